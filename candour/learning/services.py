"""Every write to learning: learning records, taxonomy, improvement actions, evidence and publication.

Each function runs in one transaction, validates, changes state and records an audit event (field names,
never values). Permission checks live here too, through the `rules` permissions in `permissions.py`, so
views, the demo and sweeps cannot bypass them.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from candour.audit import services as audit
from candour.complaints.models import Complaint, Outcome
from candour.learning import states
from candour.learning.models import (
    ActionStatusLog,
    EvidenceFile,
    ImprovementAction,
    LearningRecord,
    LearningRecordTheme,
    LearningSettings,
    Publication,
    RootCause,
    Theme,
)
from candour.organisations.models import ServiceArea

UPHELD = (Outcome.UPHELD, Outcome.PARTLY_UPHELD)
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# Content types evidence may have, checked from the file's bytes (filetype), not its name.
EVIDENCE_TYPES = {
    "application/pdf": ".pdf",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
NO_NAMES_MESSAGE = (
    "Describe what went wrong in the system (process, policy, communication, tools, resourcing), not who: "
    "remove the name “{name}”. Learning is about the service, never blame. A conduct concern goes to the "
    "separate HR route."
)


def today() -> datetime.date:
    return timezone.localdate()


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _actor_label(actor) -> str:
    return actor.get_username() if _user_or_none(actor) else "system"


def _require(actor, perm: str, obj) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied


# ---- no blame: colleague names never appear in learning ----------------------------------------------


def colleague_names(complaints) -> set[str]:
    """The names a learning text must not contain: each handler's and investigator's full name, first
    name, surname and username, for the given complaints."""
    names: set[str] = set()
    for complaint in complaints:
        for user in (complaint.stage1_handler, complaint.stage2_handler):
            if user is None:
                continue
            full = f"{user.first_name} {user.last_name}".strip()
            names.update(n for n in (full, user.first_name, user.last_name, user.get_username()) if len(n) >= 2)
    return names


def named_colleague(text: str, names: set[str]) -> str | None:
    """The first colleague name found in `text` as a whole word, or None.

    Names are matched as capitalised words (proper nouns: "Will" the colleague, not "will" the verb);
    usernames are matched in any case.
    """
    for name in sorted(names, key=len, reverse=True):
        flags = re.IGNORECASE if "." in name or name.islower() else 0
        if re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text or "", flags):
            return name
    return None


def check_no_colleague_names(fields: dict[str, str], complaints) -> None:
    """Refuse (ValidationError per field) free text that names the complaints' handlers or investigators."""
    names = colleague_names(complaints)
    errors = {}
    for field, text in fields.items():
        found = named_colleague(text, names)
        if found:
            errors[field] = NO_NAMES_MESSAGE.format(name=found)
    if errors:
        raise ValidationError(errors)


# ---- settings and taxonomy ---------------------------------------------------------------------------


def settings_for(organisation) -> LearningSettings:
    return LearningSettings.objects.filter(organisation=organisation).first() or LearningSettings(
        organisation=organisation
    )


@transaction.atomic
def update_settings(*, actor, organisation, learning_required_before_closure: bool) -> LearningSettings:
    _require(actor, "learning.manage_settings", organisation)
    current, _ = LearningSettings.objects.select_for_update().get_or_create(organisation=organisation)
    before = {"learning_required_before_closure": current.learning_required_before_closure}
    current.learning_required_before_closure = learning_required_before_closure
    current.save()
    audit.record(
        actor=actor,
        verb="updated_learning_settings",
        obj=current,
        organisation=organisation,
        summary="Changed learning settings",
        changes=audit.changed_fields(before, {"learning_required_before_closure": learning_required_before_closure}),
    )
    return current


@transaction.atomic
def add_root_cause(*, actor, organisation, name: str) -> RootCause:
    _require(actor, "learning.manage_settings", organisation)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the root cause."})
    cause, _ = RootCause.objects.get_or_create(organisation=organisation, name=name)
    audit.record(actor=actor, verb="added_root_cause", obj=cause, organisation=organisation, summary="Root cause added")
    return cause


def theme_named(organisation, name: str) -> Theme:
    """The organisation's theme with this name, created if new (call inside a service's transaction)."""
    return Theme.objects.get_or_create(organisation=organisation, name=name.strip()[:120])[0]


# ---- learning records --------------------------------------------------------------------------------


@transaction.atomic
def save_learning_record(
    *,
    actor,
    complaint: Complaint,
    what_went_wrong: str,
    root_cause: RootCause,
    service_area: ServiceArea | None = None,
    themes: list[str] | None = None,
) -> LearningRecord:
    """Create or update the learning record for a complaint."""
    complaint = Complaint.objects.select_related("stage1_handler", "stage2_handler").get(pk=complaint.pk)
    _require(actor, "learning.record", complaint)
    errors = {}
    if not (what_went_wrong or "").strip():
        errors["what_went_wrong"] = "Describe what went wrong in the service."
    if root_cause is None:
        errors["root_cause"] = "Choose the root cause."
    elif root_cause.organisation_id not in (None, complaint.organisation_id):
        errors["root_cause"] = "Choose one of this organisation's root causes."
    if service_area is not None and service_area.organisation_id != complaint.organisation_id:
        errors["service_area"] = "Choose one of this organisation's service areas."
    if errors:
        raise ValidationError(errors)
    theme_names = sorted({t.strip() for t in themes or [] if t.strip()})
    check_no_colleague_names({"what_went_wrong": what_went_wrong, "themes": ", ".join(theme_names)}, [complaint])
    record = LearningRecord.objects.filter(complaint=complaint).first()
    created = record is None
    before = (
        {}
        if created
        else {
            "what_went_wrong": record.what_went_wrong,
            "root_cause": record.root_cause_id,
            "service_area": record.service_area_id,
            "themes": sorted(record.themes.values_list("name", flat=True)),
        }
    )
    record = record or LearningRecord(complaint=complaint, organisation_id=complaint.organisation_id)
    record.what_went_wrong = what_went_wrong.strip()
    record.root_cause = root_cause
    record.service_area = service_area
    if created:
        record.created_by = _user_or_none(actor)
    record.save()
    record.themes.set(
        [theme_named(complaint.organisation, name) for name in theme_names],
        through_defaults=LearningRecordTheme.keys_of(record),
    )
    after = {
        "what_went_wrong": record.what_went_wrong,
        "root_cause": record.root_cause_id,
        "service_area": record.service_area_id,
        "themes": theme_names,
    }
    audit.record(
        actor=actor,
        verb="created_learning" if created else "updated_learning",
        obj=record,
        summary=f"Learning recorded for complaint {complaint.reference}",
        changes=audit.changed_fields(before, after),
    )
    return record


def learning_missing_for_closure(complaint, context) -> str | None:
    """Guard on the complaint's `close` transition (registered in LearningConfig.ready())."""
    if complaint.outcome not in UPHELD:
        return None
    if not settings_for(complaint.organisation).learning_required_before_closure:
        return None
    if LearningRecord.objects.filter(complaint_id=complaint.pk).exists():
        return None
    return "Record the learning from this complaint (what went wrong and its root cause) before closing it."


# ---- improvement actions -----------------------------------------------------------------------------

ACTION_FIELDS = {
    "description", "service_area", "senior_owner", "delivery_owner", "due_date", "expected_impact", "how_measured",
    "evidence",
}  # fmt: skip


def _validate_action(action: ImprovementAction, complaints) -> None:
    errors = {}
    if not action.description.strip():
        errors["description"] = "Describe the change to be made."
    if action.service_area_id and action.service_area.organisation_id != action.organisation_id:
        errors["service_area"] = "Choose one of this organisation's service areas."
    for role in ("senior_owner", "delivery_owner"):
        user = getattr(action, role)
        if (
            user is not None
            and not user.memberships.filter(organisation__path__startswith=action.organisation.path).exists()
        ):
            errors[role] = "Choose a colleague in this organisation."
    if errors:
        raise ValidationError(errors)
    check_no_colleague_names(
        {"description": action.description, "evidence": action.evidence, "expected_impact": action.expected_impact},
        complaints,
    )


@transaction.atomic
def create_action(
    *,
    actor,
    organisation,
    description: str,
    complaints=(),
    themes: list[str] | None = None,
    authorised_by_caller: bool = False,
    **fields,
) -> ImprovementAction:
    """Propose an improvement action, linked to the complaints (and their learning records) it comes from.

    `authorised_by_caller=True` is for another app's service that has already made its own permission check
    for this write in the same transaction (governance: a review's actions, under `Cap.GOVERN`). It skips
    only the `learning.manage` check; the actor is still recorded in the status log and the audit event.
    """
    if not authorised_by_caller:
        _require(actor, "learning.manage", _Org(organisation))
    if set(fields) - ACTION_FIELDS:
        raise ValueError(f"Not an action field: {', '.join(sorted(set(fields) - ACTION_FIELDS))}")
    complaints = list(
        Complaint.objects.select_related("stage1_handler", "stage2_handler").filter(pk__in=[c.pk for c in complaints])
    )
    if any(c.organisation_id != organisation.pk for c in complaints):
        raise ValidationError({"complaints": "An action can only come from this organisation's complaints."})
    action = ImprovementAction(organisation=organisation, description=(description or "").strip(), **fields)
    _validate_action(action, complaints)
    action.save()
    _link(action, complaints, themes)
    ActionStatusLog.objects.create(
        action=action,
        transition="propose",
        from_status=states.ActionStatus.PROPOSED,
        to_status=states.ActionStatus.PROPOSED,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
    )
    audit.record(actor=actor, verb="created_action", obj=action, summary=f"Improvement action {action.pk} proposed")
    return action


def _link(action, complaints, themes) -> None:
    if complaints is not None:
        action.complaints.set(complaints)
        action.learning_records.set(LearningRecord.objects.filter(complaint__in=complaints))
    if themes is not None:
        action.themes.set([theme_named(action.organisation, t) for t in themes if t.strip()])


class _Org:
    """Lets an organisation be checked with the object permissions (which read `organisation_id`)."""

    def __init__(self, organisation):
        self.organisation_id = organisation.pk


@transaction.atomic
def update_action(*, actor, action: ImprovementAction, complaints=None, themes=None, **changes) -> ImprovementAction:
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    _require(actor, "learning.manage", action)
    if set(changes) - ACTION_FIELDS:
        raise ValueError(f"Not an action field: {', '.join(sorted(set(changes) - ACTION_FIELDS))}")
    before = {key: getattr(action, key) for key in changes}
    for key, value in changes.items():
        setattr(action, key, value.strip() if isinstance(value, str) else value)
    if complaints is not None:
        complaints = list(
            Complaint.objects.select_related("stage1_handler", "stage2_handler").filter(
                pk__in=[c.pk for c in complaints], organisation=action.organisation
            )
        )
    linked = (
        complaints if complaints is not None else action.complaints.select_related("stage1_handler", "stage2_handler")
    )
    _validate_action(action, linked)
    action.save()
    _link(action, complaints, themes)
    audit.record(
        actor=actor,
        verb="updated_action",
        obj=action,
        summary=f"Improvement action {action.pk} changed",
        changes=audit.changed_fields(before, changes),
    )
    return action


class ActionRefused(ValidationError):
    pass


def may_transition(actor, action: ImprovementAction, name: str) -> bool:
    """Who may make each move: the owners move their own action along; verification needs
    manage_learning and is never by the delivery owner (a guard says so, with a reason)."""
    if actor is None:
        return True
    if actor.has_perm("learning.manage", action):
        return True
    if name in ("start", "complete") and actor.pk == action.delivery_owner_id:
        return True
    if name == "agree" and actor.pk == action.senior_owner_id:
        return True
    return False


@transaction.atomic
def transition_action(
    *, actor, action: ImprovementAction, name: str, reason: str = "", on: datetime.date | None = None
) -> ImprovementAction:
    """Move an action through its lifecycle, or raise ActionRefused with the reason it may not."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    spec = states.TRANSITIONS.get(name)
    if spec is None:
        raise ActionRefused(f"Unknown transition {name!r}.")
    if not may_transition(actor, action, name):
        raise PermissionDenied
    problem = states.refusal(action, _user_or_none(actor), spec, {"reason": reason})
    if problem:
        raise ActionRefused(problem)
    on = on or today()
    from_status = action.status
    action.status = spec.target
    if name == "complete":
        action.done_on = on
    elif name in ("verify_effective", "verify_not_effective"):
        action.verified_on = on
        action.verified_by = _user_or_none(actor)
    elif name == "reopen":
        action.done_on = None
        action.verified_on = None
        action.verified_by = None
    action.save()
    ActionStatusLog.objects.create(
        action=action,
        transition=name,
        from_status=from_status,
        to_status=spec.target,
        actor=_user_or_none(actor),
        actor_label=_actor_label(actor),
        reason=reason.strip(),
    )
    target_label = states.ActionStatus(spec.target).label
    audit.record(
        actor=actor,
        verb=f"action:{name}",
        obj=action,
        summary=f"Action {action.pk}: {states.ActionStatus(from_status).label} → {target_label}",
    )
    return action


@transaction.atomic
def record_evidence(*, actor, action: ImprovementAction, evidence: str) -> ImprovementAction:
    """The evidence of completion, written by the delivery owner or a learning manager."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    if not may_transition(actor, action, "complete"):
        raise PermissionDenied
    check_no_colleague_names(
        {"evidence": evidence}, action.complaints.select_related("stage1_handler", "stage2_handler")
    )
    action.evidence = evidence.strip()
    action.save(update_fields=["evidence", "updated_at"])
    audit.record(actor=actor, verb="recorded_evidence", obj=action, summary=f"Evidence recorded for action {action.pk}",
                 changes={"fields": ["evidence"]})  # fmt: skip
    return action


# ---- evidence ----------------------------------------------------------------------------------------


def evidence_path(stored_name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "learning" / stored_name


@transaction.atomic
def add_evidence_file(*, actor, action: ImprovementAction, uploaded) -> EvidenceFile:
    """Store an evidence file after checking its size and, from its bytes, its type.

    A minimal content check through `filetype` until a shared upload checker exists.
    """
    if not may_transition(actor, action, "complete"):
        raise PermissionDenied
    if uploaded.size > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": "The file must be smaller than 10MB."})
    data = uploaded.read()
    kind = filetype.guess(data)
    if not data or kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError({"file": "The file must be a PDF, PNG, JPEG, Word, Excel or OpenDocument file."})
    stored_name = secrets.token_hex(16) + EVIDENCE_TYPES[kind.mime]
    path = evidence_path(stored_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    evidence = EvidenceFile.objects.create(
        action=action,
        stored_name=stored_name,
        original_name=Path(uploaded.name or "evidence").name[:255],
        content_type=kind.mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=_user_or_none(actor),
    )
    audit.record(actor=actor, verb="added_evidence", obj=action, summary=f"Evidence file added to action {action.pk}")
    return evidence


# ---- "You said, we did" ------------------------------------------------------------------------------


def _complainant_names(action) -> set[str]:
    names = set()
    for complaint in action.complaints.all():
        for value in (complaint.complainant_name, complaint.person_affected_name):
            value = (value or "").strip()
            if value:
                names.add(value)
                names.update(part for part in value.split() if len(part) >= 3)
    return names


@transaction.atomic
def publish_summary(
    *, actor, action: ImprovementAction, you_said: str, we_did: str, you_said_cy: str = "", we_did_cy: str = ""
) -> ImprovementAction:
    """Approve and publish an anonymised summary. Only a done or verified action can be published, and the
    text may name neither colleagues nor complainants."""
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    _require(actor, "learning.manage", action)
    fields = {"you_said": you_said.strip(), "we_did": we_did.strip(), "you_said_cy": you_said_cy.strip(),
              "we_did_cy": we_did_cy.strip()}  # fmt: skip
    errors = {}
    if action.status not in states.DELIVERED_STATUSES:
        errors["we_did"] = "Publish a change once it has been made (the action is done)."
    if not fields["you_said"]:
        errors["you_said"] = "Enter what people told us, in general terms."
    if not fields["we_did"]:
        errors["we_did"] = "Enter what we changed."
    person_names = _complainant_names(action)
    for key, text in fields.items():
        found = named_colleague(text, person_names)
        if found and key not in errors:
            errors[key] = f"Remove “{found}”: published summaries are anonymised."
    if errors:
        raise ValidationError(errors)
    check_no_colleague_names(fields, action.complaints.select_related("stage1_handler", "stage2_handler"))
    before = {key: getattr(action, key) for key in fields}
    for key, value in fields.items():
        setattr(action, key, value)
    action.publication = Publication.APPROVED
    action.published_on = action.published_on or today()
    action.save()
    audit.record(
        actor=actor,
        verb="published_action",
        obj=action,
        summary=f"“You said, we did” summary of action {action.pk} approved",
        changes=audit.changed_fields(before, fields),
    )
    return action


@transaction.atomic
def unpublish_summary(*, actor, action: ImprovementAction) -> ImprovementAction:
    action = ImprovementAction.objects.select_for_update().get(pk=action.pk)
    _require(actor, "learning.manage", action)
    action.publication = Publication.NOT_PUBLISHED
    action.save(update_fields=["publication", "updated_at"])
    audit.record(actor=actor, verb="unpublished_action", obj=action, summary=f"Action {action.pk} summary withdrawn")
    return action


# ---- response letters --------------------------------------------------------------------------------


def response_learning_text(complaint: Complaint) -> str:
    """What will change because of this complaint, in words a response letter can quote."""
    record = LearningRecord.objects.filter(complaint=complaint).select_related("root_cause").first()
    actions = list(ImprovementAction.objects.filter(complaints=complaint).exclude(status=states.ActionStatus.PROPOSED))
    if record is None and not actions:
        return ""
    parts = []
    if record is not None:
        parts.append(f"What we have learned: {record.what_went_wrong}")
    for action in actions:
        when = f" by {action.due_date:%-d %B %Y}" if action.due_date and action.status in states.OPEN_STATUSES else ""
        done = " (done)" if action.status in states.DELIVERED_STATUSES else ""
        parts.append(f"What we will change{when}{done}: {action.description}")
    return "\n\n".join(parts)


@transaction.atomic
def quote_learning_in_response(*, actor, complaint: Complaint):
    """Add the learning and actions to the draft response's "what will happen" section."""
    from candour.complaints import services as complaint_services

    text = response_learning_text(complaint)
    if not text:
        raise ValidationError("There is no learning or agreed action to quote yet.")
    draft = complaint.responses.filter(stage=complaint.stage).exclude(status="issued").first()
    current = draft.what_will_happen if draft else ""
    if text in current:
        return draft
    return complaint_services.save_response(
        actor=actor, complaint=complaint, what_will_happen=(current + "\n\n" + text).strip()
    )


def upheld_response_quotes_learning(response) -> dict[str, str]:
    """Response check (registered in LearningConfig.ready()): where actions have been agreed because of
    this complaint, the letter tells the person what will change."""
    if response.outcome not in UPHELD:
        return {}
    descriptions = list(
        ImprovementAction.objects.filter(complaints=response.complaint_id)
        .exclude(status=states.ActionStatus.PROPOSED)
        .values_list("description", flat=True)
    )
    if descriptions and not any(d in response.what_will_happen for d in descriptions):
        return {"what_will_happen": "Tell the person what will change: quote the agreed improvement actions"}
    return {}
