"""The client's address for django-axes' lockout, honest behind a known number of reverse proxies."""

from django.conf import settings


def client_address(request) -> str | None:
    """REMOTE_ADDR, or with TRUSTED_PROXY_COUNT = n > 0 the n-th address from the right of X-Forwarded-For.

    Each trusted proxy appends the address it received the request from, so the right-most n entries were
    written by our proxies and anything further left was sent by the client (and may be forged).
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote
    return forwarded[-count]
