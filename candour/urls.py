from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from candour.learning import urls as learning_urls
from candour.reporting import urls as reporting_urls
from candour.shell import urls as shell_urls

handler403 = "candour.shell.views.forbidden"
handler404 = "candour.shell.views.not_found"
# A database error on a public page gets the keep-your-answers page (candour/shell/resilience.py).
handler500 = "candour.shell.resilience.server_error"

# Public pages: English at /..., Welsh at /cy/...
urlpatterns = i18n_patterns(
    path("", include((shell_urls.public_urlpatterns, "shell"), namespace="shell")),
    path("", include("candour.complaints.public_urls")),
    path("", include((learning_urls.public_urlpatterns, "learning_public"), namespace="learning_public")),
    path("", include("candour.feedback.urls")),
    path("", include((reporting_urls.public_urlpatterns, "reporting_public"), namespace="reporting_public")),
    prefix_default_language=False,
)

# Staff pages and the API: English only.
urlpatterns += [
    path("staff/", include((shell_urls.staff_urlpatterns, "staff"))),
    path("staff/", include("candour.accounts.urls")),
    path("staff/audit/", include("candour.audit.urls")),
    path("staff/complaints/", include("candour.complaints.staff_urls")),
    path("staff/privacy/", include("candour.privacy.urls")),
    path("staff/learning/", include("candour.learning.urls")),
    path("staff/investigations/", include("candour.investigations.urls")),
    path("staff/feedback/", include("candour.feedback.staff_urls")),
    path("staff/reports/", include("candour.reporting.urls")),
    path("staff/governance/", include("candour.governance.urls")),
    path("staff/people/", include("candour.people.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("candour.organisations.api_urls")),
    path("api/v1/", include("candour.complaints.api_urls")),
    path("api/v1/", include("candour.audit.api_urls")),
    path("api/v1/", include("candour.people.api_urls")),
]
