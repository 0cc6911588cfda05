"""Rate limits on the public forms: the complaint journey, the progress page and the survey.

Counted per client address (honest behind TRUSTED_PROXY_COUNT proxies) per minute in the cache — Redis when
REDIS_URL is set, so every web process shares the count. Only POSTs count: reading a page is never limited.
Over the limit a person gets a clear GOV.UK page (429) saying when to try again; nothing they typed is lost,
because the browser's back button returns them to the form as they left it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from candour.accounts.client_address import client_address

# path prefix (after an optional /cy) -> POSTs allowed per client per minute
DEFAULT_LIMITS = {"/complain/": 60, "/complaint/progress/": 20, "/survey/": 10}


def _limit_for(path: str) -> int | None:
    if path.startswith("/cy/"):
        path = path[3:]
    limits = getattr(settings, "CANDOUR_PUBLIC_POST_LIMITS", DEFAULT_LIMITS)
    for prefix, limit in limits.items():
        if path.startswith(prefix):
            return limit
    return None


class PublicRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            limit = _limit_for(request.path_info)
            if limit is not None and self._over(request, limit):
                response = render(
                    request, "shell/rate_limited.html", {"page_title": _("Too many attempts")}, status=429
                )
                response["Retry-After"] = "60"
                return response
        return self.get_response(request)

    @staticmethod
    def _over(request, limit: int) -> bool:
        minute = int(time.time() // 60)
        key = f"public-post:{client_address(request)}:{minute}"
        cache.add(key, 0, timeout=120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, timeout=120)
            count = 1
        return count > limit
