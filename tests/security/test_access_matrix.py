"""Every URL × every role: the access matrix in `access_matrix.py`, checked cell by cell against real requests."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from candour.audit.models import AuditEvent
from candour.complaints import services as complaint_services
from candour.complaints.models import Attachment
from candour.organisations import services as org_services
from tests.security.access_matrix import ACTORS, ADMIN_ROWS, ALLOW, DENY, KWARGS, LOGIN, MATRIX, PUBLIC, Actor

TWO_FACTOR = "two-factor"


def _params(pattern) -> list[str]:
    inner = pattern.pattern
    if hasattr(inner, "converters"):
        return list(inner.converters)
    return list(getattr(getattr(inner, "regex", None), "groupindex", {}) or {})


def named_patterns(patterns=None, namespace: str = "", params: tuple[str, ...] = ()):
    """(full name, URL parameter names) for every pattern reachable from the root URLconf."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner_ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern.url_patterns, inner_ns, params + tuple(_params(pattern)))
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name, namespace, params + tuple(_params(pattern)), str(pattern.pattern)


def endpoints() -> dict[str, tuple[str, ...]]:
    found = {}
    for name, namespace, params, route in named_patterns():
        if namespace.startswith("admin:") and name not in ADMIN_ROWS:
            continue  # the admin's own model pages, guarded by the admin site as a whole
        if name is None:
            raise AssertionError(f"URL pattern {route!r} has no name: name it and add a row to the access matrix")
        found[name] = params
    return found


def test_every_url_has_a_row_in_the_access_matrix():
    missing = sorted(set(endpoints()) - set(MATRIX))
    assert not missing, f"Add these URL names to tests/security/access_matrix.py MATRIX: {missing}"


def test_every_row_in_the_access_matrix_is_a_real_url():
    stale = sorted(set(MATRIX) - set(endpoints()))
    assert not stale, f"These rows name no URL any more: {stale}"


# Pages opened by a link's token instead of an account: a token that was never issued opens nothing, for anyone.
TOKEN_ROWS = ["complaints_public:progress", "complaints_public:add-information", "complaints_public:withdraw"]
TOKEN_ROWS += [name for name in ("feedback:survey",) if name in MATRIX]


@pytest.mark.django_db
@pytest.mark.parametrize("name", TOKEN_ROWS)
def test_a_token_that_was_never_issued_opens_nothing(name, context):
    url = reverse(name, kwargs={"token": "not-a-real-token-0123456789abcdef"})
    client = Client()
    for actor in (ACTORS[0], next(a for a in ACTORS if a.label == "complaint_handler@own")):
        client_for(actor, context, client)
        for method in ("GET", "POST"):
            response = client.get(url) if method == "GET" else client.post(url, {})
            assert outcome(response) == DENY, f"{method} {url} as {actor.label}: {response.status_code}"


@pytest.mark.django_db
def test_the_welsh_versions_of_public_pages_are_public_too(context):
    """Public pages are served in English at /... and Welsh at /cy/...: the Welsh URL opens for anonymous too."""
    from django.utils import translation

    checked, wrong = [], []
    client = Client()
    for name, row in sorted(MATRIX.items()):
        if row.rule is not PUBLIC:
            continue
        values = {**KWARGS, **row.kwargs}
        kwargs = {p: values[p](context) for p in endpoints()[name]}
        with translation.override("cy"):
            url = reverse(name, kwargs=kwargs)
        if not url.startswith("/cy/"):
            continue  # not a translated page (the API)
        checked.append(url)
        response = client.get(url)
        if outcome(response) != ALLOW:
            wrong.append(f"{name} ({url}): {response.status_code}")
    assert len(checked) > 10 and not wrong, "\n".join(wrong)


@pytest.fixture
def context(tree, django_user_model):
    complaint, _ = complaint_services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel="online",
        description="The letter about my licence never arrived.",
        complainant_name="Ada Lovelace",
        complainant_email="ada@example.com",
        points=[complaint_services.PointInput("The letter never arrived", "A new letter")],
    )
    complaint_services.save_response(actor=None, complaint=complaint, understanding="You told us about a letter.")
    attachment = _attachment(complaint)
    event = AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).first()
    places = {"own": tree["agency"], "parent": tree["dept"], "sibling": tree["sibling"]}
    users = {}
    for actor in ACTORS:
        if actor.role is None:
            continue
        user = django_user_model.objects.create(username=actor.label)
        org_services.add_membership(actor=None, user=user, organisation=places[actor.place], role=actor.role)
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
        users[actor] = user
    action, evidence = _action(complaint)
    return {
        **_investigation(complaint, users, tree),
        **_people(tree, users),
        "complaint": complaint,
        "own": tree["agency"],
        "tree": tree,
        "users": users,
        "attachment": attachment,
        "event": event,
        "action": action,
        "evidence": evidence,
    }


def _action(complaint):
    """An improvement action with an evidence file, in the own organisation (nobody in ACTORS owns it)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from candour.learning import services as learning_services

    action = learning_services.create_action(
        actor=None, organisation=complaint.organisation, description="Check letters are sent", complaints=[complaint]
    )
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    evidence = learning_services.add_evidence_file(
        actor=None, action=action, uploaded=SimpleUploadedFile("evidence.pdf", pdf, content_type="application/pdf")
    )
    return action, evidence


def _investigation(complaint, users, tree):
    """An investigation with one of everything a URL can name, made through the app's services. The people:
    complaint_handler@own was involved in the events, investigator@own declared a conflict, complaints_manager@own
    is asked to review the response, senior_leader@own approved a restriction; the sibling body contributes."""
    import datetime
    from decimal import Decimal

    from candour.investigations import services as inv
    from candour.investigations.models import CaseRole

    def user(label):
        role, place = label.split("@")
        return users[Actor(role, place)]

    today = inv.today()
    draft = complaint.responses.filter(stage=complaint.stage).order_by("-id").first()
    involved = inv.record_involved_colleague(
        actor=None,
        complaint=complaint,
        user=user("complaint_handler@own"),
        involvement="Sent the letter",
        complained_about=True,
    )
    declaration = inv.declare_conflict(
        actor=None,
        complaint=complaint,
        user=user("investigator@own"),
        role=CaseRole.INVESTIGATOR,
        has_conflict=True,
        details="Knows the complainant",
    )
    plan = inv.save_plan(
        actor=None,
        complaint=complaint,
        key_issues="The missing letter",
        outcome_sought="A new letter",
        approach="Check the post log",
        final_response_by="The complaints manager",
        target_date=today + datetime.timedelta(days=20),
        update_every_days=10,
        is_complex=False,
    )
    initial_view = inv.share_initial_view(
        actor=None,
        complaint=complaint,
        text="The letter was not sent.",
        shared_with="The complainant",
        shared_on=today,
        reply_by=today + datetime.timedelta(days=10),
    )
    band = inv.save_band(
        actor=None,
        organisation=complaint.organisation,
        category="worry_distress",
        name="Low",
        minimum=Decimal("50"),
        maximum=Decimal("250"),
    )
    remedy = inv.add_banded_remedy(
        actor=None, complaint=complaint, band=band, description="For the worry caused", amount=Decimal("100")
    )
    review = inv.request_review(
        actor=None,
        response=draft,
        reviewer=user("complaints_manager@own"),
        declaration=complaint_services.Declaration(has_conflict=False),
    )
    partner = inv.add_partner(
        actor=None, complaint=complaint, organisation=tree["sibling"], question="What did your office send?"
    )
    inv.record_incident(
        actor=None,
        complaint=complaint,
        type="abusive",
        occurred_on=today,
        description="Shouted on the phone",
        impact_on_colleagues="Upset",
    )
    restriction = inv.impose_restriction(
        actor=None,
        complaint=complaint,
        approved_by=user("senior_leader@own"),
        reasons="Repeated abuse",
        review_on=today + datetime.timedelta(days=90),
        written_contact_only=True,
    )
    return {
        "involved": involved,
        "declaration": declaration,
        "plan": plan,
        "initial_view": initial_view,
        "band": band,
        "remedy": remedy,
        "quality_review": review,
        "partner": partner,
        "restriction": restriction,
    }


def _people(tree, users):
    """People records in the own organisation: complaint_handler@own is the colleague (line-managed by
    investigator@own) with a practical example; a training module, a checked import with a bad row, and the
    role responsibilities."""
    import datetime

    from candour.people import services as people
    from candour.people.models import RoleResponsibility

    colleague = users[Actor("complaint_handler", "own")]
    colleague.line_manager = users[Actor("investigator", "own")]
    colleague.save(update_fields=["line_manager"])
    own = tree["agency"]
    people.ensure_defaults(own)
    example = people.record_example(
        actor=colleague,
        organisation=own,
        title="A difficult call",
        what_happened="The caller was upset",
        what_i_did="Listened and called back",
        occurred_on=datetime.date(2025, 5, 1),
    )
    module = people.create_module(actor=None, organisation=own, code="matrix-module", title="Matrix module")
    outcome = people.upload_training_csv(
        actor=None,
        organisation=own,
        filename="export.csv",
        raw=b"email,module,completed\nnobody@example.com,no-such-module,01/01/2025\n",
    )
    assert outcome.upload is not None, "the import fixture should be kept for checking"
    return {
        "colleague": colleague,
        "example": example,
        "module": module,
        "training_import": outcome.upload,
        "responsibility": RoleResponsibility.objects.get(organisation=own, role="complaint_handler"),
    }


def _attachment(complaint):
    """A small stored file on the complaint, as intake would leave it."""
    import hashlib
    import uuid

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    content = b"Notes about the call.\n"
    stored = default_storage.save(f"matrix-{uuid.uuid4().hex}.txt", ContentFile(content))
    return Attachment.objects.create(
        complaint=complaint,
        stored_name=stored,
        original_name="notes.txt",
        content_type="text/plain",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )


def client_for(actor, context, client: Client) -> Client:
    """The one test client (making a Client per request reloads the middleware), as this actor."""
    client.cookies.clear()
    if actor.role is not None:
        user = context["users"][actor]
        client.force_login(user)
        session = client.session
        # Signed in with a second factor too, so the matrix sees permissions, not the two-factor gate.
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return client


def outcome(response) -> str:
    status = response.status_code
    assert status < 500, f"server error {status}"
    if status in (401, 403, 404, 405):
        return DENY
    if status in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith((reverse("accounts:sign-in"), reverse("admin:login"))):
            return LOGIN
        if location.startswith((reverse("accounts:two-factor-set-up"), reverse("accounts:two-factor-verify"))):
            return TWO_FACTOR
    return ALLOW


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, context):
    row = MATRIX[name]
    params = endpoints()[name]
    values = {**KWARGS, **row.kwargs}
    unknown = [p for p in params if p not in values]
    assert not unknown, f"add a value for URL parameter(s) {unknown} to KWARGS in access_matrix.py"
    url = reverse(name, kwargs={p: values[p](context) for p in params}) + (f"?{row.query}" if row.query else "")
    data = {key: (value(context) if callable(value) else value) for key, value in row.data.items()}
    wrong = []
    client = Client()
    for actor in ACTORS:
        for method in row.methods:
            expected = row.rule_for(method).expect(actor)
            client_for(actor, context, client)
            response = client.get(url) if method == "GET" else client.post(url, data)
            got = outcome(response)
            if got != expected:
                wrong.append(f"{method} {actor.label}: expected {expected}, got {got} ({response.status_code})")
    assert not wrong, f"{name} ({url}):\n" + "\n".join(wrong)
