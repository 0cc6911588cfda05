"""A local stand-in for GOV.UK Notify's HTTP API, for tests.

It runs a real HTTP server on 127.0.0.1 (a random port) in a thread, so the real
`notifications_python_client` talks to it over HTTP exactly as it would to Notify. It implements
`POST /v2/notifications/email`:

- the bearer token must be a JWT signed HS256 with the API key's secret, `iss` the key's service id and
  `iat` within 30 seconds of now (as Notify checks), otherwise 403 `AuthError`;
- the JSON body must have a valid `email_address`, the expected `template_id`, and `personalisation`
  with the template's placeholders (`subject`, `body`), otherwise 400 `ValidationError` /
  `BadRequestError`;
- on success it returns 201 with Notify's response shape and records the request.

It also implements `GET /v2/notifications?reference=...` (the notifications accepted with that reference,
newest first, in Notify's list shape), which Candour uses to find out whether an e-mail whose sender died
mid-request was accepted.

`fail_next(n, status=500)` makes the next n requests fail with that status (for retry tests).

API keys have Notify's form `{key name}-{service id}-{secret}`.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt

EMAIL_PATH = "/v2/notifications/email"
LIST_PATH = "/v2/notifications"
TEMPLATE_PLACEHOLDERS = ("subject", "body")
TOKEN_BOUND_SECONDS = 30
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

ERROR_NAMES = {
    400: "BadRequestError",
    401: "AuthError",
    403: "AuthError",
    404: "NotFound",
    429: "RateLimitError",
    500: "Exception",
}


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict
    body: dict | None
    claims: dict | None  # the verified JWT claims, None if authentication failed
    status: int
    response: dict = field(default_factory=dict)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    def do_POST(self):
        self.server.stub._handle(self)

    def do_GET(self):
        self.server.stub._handle(self)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    stub: NotifyStub


class NotifyStub:
    def __init__(self, key_name: str = "candour_test"):
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"{key_name}-{self.service_id}-{self.secret}"
        self.template_id = str(uuid.uuid4())
        self.requests: list[RecordedRequest] = []
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._verified_claims = threading.local()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- control -------------------------------------------------------------------------------------
    def start(self) -> NotifyStub:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.stub = self
        self._thread = threading.Thread(target=self._server.serve_forever, name="notify-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> NotifyStub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail_next(self, count: int = 1, status: int = 500) -> None:
        """The next `count` requests fail with `status` (after authentication, like a Notify outage)."""
        with self._lock:
            self._failures.extend([status] * count)

    @property
    def sent(self) -> list[RecordedRequest]:
        """The e-mails Notify accepted (201)."""
        with self._lock:
            return [r for r in self.requests if r.status == 201]

    def _list(self, query: dict) -> tuple[int, dict]:
        references = query.get("reference")
        with self._lock:
            accepted = [r.response for r in self.requests if r.status == 201]
        if references:
            accepted = [n for n in accepted if n.get("reference") == references[0]]
        notifications = [
            {"id": n["id"], "reference": n["reference"], "type": "email", "status": "sending"} for n in accepted
        ]
        return 200, {"notifications": notifications[::-1], "links": {"current": f"{self.base_url}{LIST_PATH}"}}

    # -- the API -------------------------------------------------------------------------------------
    def _handle(self, http: _Handler) -> None:
        length = int(http.headers.get("Content-Length") or 0)
        raw = http.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in http.headers.items()}
        self._verified_claims.value = None
        status, response = self._respond(http.command, http.path, headers, raw)
        claims = self._verified_claims.value
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        with self._lock:
            self.requests.append(RecordedRequest(http.command, http.path, headers, body, claims, status, response))
        payload = json.dumps(response).encode()
        http.send_response(status)
        http.send_header("Content-Type", "application/json")
        http.send_header("Content-Length", str(len(payload)))
        http.end_headers()
        http.wfile.write(payload)

    @staticmethod
    def _error(status: int, message: str, error: str | None = None) -> tuple[int, dict]:
        return status, {
            "status_code": status,
            "errors": [{"error": error or ERROR_NAMES.get(status, "Exception"), "message": message}],
        }

    def _respond(self, method: str, path: str, headers: dict, raw: bytes) -> tuple[int, dict]:
        url = urlsplit(path)
        is_list = method == "GET" and url.path == LIST_PATH
        if not is_list and (method != "POST" or path != EMAIL_PATH):
            return self._error(404, "Not found")
        auth = headers.get("authorization", "")
        if not auth.startswith("Bearer "):
            return self._error(401, "Unauthorized: authentication token must be provided")
        token = auth.removeprefix("Bearer ").strip()
        try:
            unverified = jwt.decode(token, options={"verify_signature": False}, algorithms=["HS256"])
            if unverified.get("iss") != self.service_id:
                return self._error(403, "Invalid token: service not found")
            claims = jwt.decode(token, key=self.secret, algorithms=["HS256"], options={"require": ["iss", "iat"]})
        except jwt.PyJWTError:
            return self._error(403, "Invalid token: signature, api token not found")
        if abs(time.time() - int(claims["iat"])) > TOKEN_BOUND_SECONDS:
            return self._error(403, "Error: Your system clock must be accurate to within 30 seconds")
        self._verified_claims.value = claims

        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
        if failure is not None:
            return self._error(failure, "Internal server error" if failure >= 500 else "Simulated failure")
        if is_list:
            return self._list(parse_qs(url.query))

        if headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return self._error(400, "Content-Type header must be application/json")
        try:
            data = json.loads(raw)
        except ValueError:
            return self._error(400, "Invalid JSON supplied in POST data")
        if not isinstance(data, dict):
            return self._error(400, "JSON body must be an object", "ValidationError")
        email = data.get("email_address")
        if not isinstance(email, str) or not EMAIL_RE.match(email):
            return self._error(400, "email_address Not a valid email address", "ValidationError")
        if data.get("template_id") != self.template_id:
            return self._error(400, "Template not found", "BadRequestError")
        personalisation = data.get("personalisation") or {}
        if not isinstance(personalisation, dict):
            return self._error(400, "personalisation must be an object", "ValidationError")
        missing = [name for name in TEMPLATE_PLACEHOLDERS if name not in personalisation]
        if missing:
            return self._error(400, f"Missing personalisation: {', '.join(missing)}")
        reference = data.get("reference")
        if reference is not None and not isinstance(reference, str):
            return self._error(400, "reference is not a string", "ValidationError")

        notification_id = str(uuid.uuid4())
        return 201, {
            "id": notification_id,
            "reference": reference,
            "content": {
                "subject": str(personalisation["subject"]),
                "body": str(personalisation["body"]),
                "from_email": "candour@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"{self.base_url}/v2/notifications/{notification_id}",
            "template": {
                "id": self.template_id,
                "version": 1,
                "uri": f"{self.base_url}/v2/template/{self.template_id}",
            },
            "scheduled_for": None,
        }
