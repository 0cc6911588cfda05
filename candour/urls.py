from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from candour.shell import urls as shell_urls

handler403 = "candour.shell.views.forbidden"
handler404 = "candour.shell.views.not_found"
handler500 = "candour.shell.views.server_error"

# Public pages: English at /..., Welsh at /cy/...
urlpatterns = i18n_patterns(
    path("", include((shell_urls.public_urlpatterns, "shell"), namespace="shell")),
    prefix_default_language=False,
)

# Staff pages and the API: English only.
urlpatterns += [
    path("staff/", include((shell_urls.staff_urlpatterns, "staff"))),
    path("staff/", include("candour.accounts.urls")),
    path("staff/audit/", include("candour.audit.urls")),
    path("staff/people/", include("candour.people.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("candour.organisations.api_urls")),
    path("api/v1/", include("candour.audit.api_urls")),
]
