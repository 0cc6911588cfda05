"""The page's language comes from its address alone: /cy/... is Welsh, everything else English.

Public pages exist in both languages (i18n_patterns); staff pages are English. Deciding by the path, not
by cookies or browser headers, means a link always shows the language it names.
"""

from django.http import Http404, JsonResponse
from django.utils import translation


class PathLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            # No address holds NUL, and PostgreSQL cannot compare text that does: not found, before any view looks
            # a reference or slug up (in the API's JSON error shape for the API).
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": "Not found."}, status=404)
            raise Http404
        language = "cy" if request.path_info == "/cy" or request.path_info.startswith("/cy/") else "en"
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
