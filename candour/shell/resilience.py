"""When the database cannot be reached: a clear page that keeps what the person typed, and sessions that
survive the outage (ADR 0009).

- `DatabaseUnavailableMiddleware` turns `OperationalError`/`InterfaceError` raised by a public page into
  GOV.UK's "Sorry, there is a problem with the service" page with status 503 and `Retry-After`. For a POST
  the page carries every posted field as a hidden input and a "Try again" button that posts them back to the
  same address, so nothing typed is lost. Rendering it touches neither the database nor the session.
  `server_error` (handler500) does the same for a database error raised outside a view (e.g. saving the
  session after the view ran).
- `SessionStore` (`SESSION_ENGINE = "candour.shell.resilience"`, used when a shared cache (Redis) is
  configured): the cached-database backend, reading the cache first and writing both, that keeps working
  from the cache alone while the database is down.
"""

from __future__ import annotations

import logging
import sys

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDbSessionStore
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
TEMPLATE = "shell/database_unavailable.html"
RETRY_AFTER_SECONDS = 30
# Staff pages, the admin and the API have their own error handling (JSON for the API).
NOT_PUBLIC = ("/staff/", "/admin/", "/api/")
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}


def is_public(request) -> bool:
    return not request.path_info.startswith(NOT_PUBLIC)


def database_unavailable_response(request) -> HttpResponse:
    """The 503 page. Uses only the request itself: no database, no session, no user, no messages."""
    fields = []
    if request.method == "POST":
        try:
            fields = [(name, value) for name, values in request.POST.lists() if name not in SKIPPED_FIELDS
                      for value in values]  # fmt: skip
            had_files = bool(request.FILES)
        except Exception:  # an unreadable body: still show the page
            fields, had_files = [], False
    else:
        had_files = False
    context = {
        "request": request,
        "page_title": _("Sorry, there is a problem with the service"),
        "messages": [],
        "form": None,
        "fields": fields,
        "had_files": had_files,
        "action": request.get_full_path(),
        "csrf_token": get_token(request) if fields else "",
    }
    html = engines["jinja2"].env.get_template(TEMPLATE).render(context)
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS) and is_public(request):
            logger.error("Database unavailable on %s %s: %s", request.method, request.path, exception)
            return database_unavailable_response(request)
        return None


def server_error(request):
    """handler500: the keep-your-answers page for a database error on a public page, the usual 500 otherwise."""
    from candour.shell.views import server_error as usual

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS) and is_public(request):
        return database_unavailable_response(request)
    return usual(request)


class SessionStore(CachedDbSessionStore):
    """Cache first, database as well; tolerates the database being down.

    Reads come from the cache, falling back to the database (and to an empty session if both miss while the
    database is down, keeping the key so nothing is overwritten). Writes go to the database and the cache;
    if the database write fails, the cache still has the session and the next successful save writes it to
    the database. Only safe with a cache shared by every process (Redis): see ADR 0009.
    """

    def load(self):
        try:
            return super().load()
        except DATABASE_ERRORS:
            logger.warning("Session database unavailable and the session is not in the cache")
            return {}

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except DATABASE_ERRORS:
            return False  # a random 32-character key: a collision is not a practical risk

    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            # The database backend reports any database error on update as UpdateError ("session deleted");
            # only a real deletion should end the session, not an outage.
            if not isinstance(error.__context__, DATABASE_ERRORS):
                raise
            self._save_to_cache_only()
        except DATABASE_ERRORS:
            self._save_to_cache_only()

    def _save_to_cache_only(self):
        if self.session_key is None:
            self._session_key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        logger.warning("Session database unavailable; session kept in the cache only")
        self._cache.set(self.cache_key, self._get_session(), self.get_expiry_age())

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except DATABASE_ERRORS:
            self._cache.delete(self.cache_key_prefix + (session_key or self.session_key or ""))
