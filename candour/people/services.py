"""Every write in People: each validates, changes state in one transaction and records an audit event that
names fields, never personal values."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from candour.audit import services as audit
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap, Role
from candour.organisations.selectors import body_of
from candour.people import csv_import, defaults
from candour.people.models import (
    Acknowledgement,
    CompletionSource,
    GateMode,
    ImportStatus,
    PeopleSettings,
    PracticalExample,
    ReminderKind,
    RoleResponsibility,
    SupportOffered,
    SupportRecord,
    TrainingCompletion,
    TrainingImport,
    TrainingModule,
    TrainingReminder,
)
from candour.people.selectors import current_completions, parts_of


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day if it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def expiry_for(module: TrainingModule, completed_on: datetime.date) -> datetime.date | None:
    return add_months(completed_on, module.refresh_months) if module.refresh_months else None


# ---- defaults ----------------------------------------------------------------------------------------------


@transaction.atomic
def ensure_defaults(organisation: Organisation) -> bool:
    """Give an organisation its settings, default modules and role responsibilities if it lacks them.
    Safe to call on every page: it only ever adds what is missing, and never overwrites an edit."""
    body = body_of(organisation)
    created = []
    if PeopleSettings.objects.get_or_create(organisation=body)[1]:
        created.append("settings")
    existing_codes = set(TrainingModule.objects.filter(organisation=body).values_list("code", flat=True))
    for code, title, description, roles, refresh in defaults.MODULES:
        if code not in existing_codes:
            TrainingModule.objects.create(
                organisation=body,
                code=code,
                title=title,
                description=description,
                required_for_roles=[str(r.value) for r in roles],
                refresh_months=refresh,
            )
            created.append(f"module:{code}")
    existing_roles = set(RoleResponsibility.objects.filter(organisation=body).values_list("role", flat=True))
    for role, (summary, expectations, examples) in defaults.RESPONSIBILITIES.items():
        if role.value not in existing_roles:
            RoleResponsibility.objects.create(
                organisation=body,
                role=role.value,
                summary=summary,
                expectations="\n".join(expectations),
                examples="\n".join(examples),
            )
            created.append(f"responsibility:{role.value}")
    if created:
        audit.record(
            actor=None,
            verb="people_defaults_added",
            obj=body,
            summary=f"Added {len(created)} people defaults",
            changes={"fields": created},
            actor_label="system",
        )
    return bool(created)


# ---- role responsibilities ----------------------------------------------------------------------------------


@transaction.atomic
def update_responsibility(*, actor, responsibility: RoleResponsibility, **changes) -> RoleResponsibility:
    allowed = {"summary", "expectations", "examples"}
    if set(changes) - allowed:
        raise ValueError("Not a responsibility field")
    item = RoleResponsibility.objects.select_for_update().get(pk=responsibility.pk)
    before = {name: getattr(item, name) for name in changes}
    for name, value in changes.items():
        setattr(item, name, value)
    if not item.expectation_lines:
        raise ValidationError({"expectations": "Enter at least one expectation"})
    if before != changes:
        # A changed expectation must be read again: acknowledgements of earlier versions no longer count.
        item.version += 1
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        verb="responsibility_updated",
        obj=item,
        summary=f"Updated the responsibilities of {item.get_role_display()} (version {item.version})",
        changes=audit.changed_fields(before, changes),
    )
    return item


@transaction.atomic
def acknowledge(*, actor, responsibility: RoleResponsibility) -> Acknowledgement:
    from candour.organisations.models import Membership

    if not Membership.objects.filter(
        user=actor, role=responsibility.role, organisation_id__in=parts_of(responsibility.organisation)
    ).exists():
        raise PermissionDenied("You do not hold this role")
    ack, created = Acknowledgement.objects.get_or_create(
        user=actor, responsibility=responsibility, version=responsibility.version
    )
    if created:
        audit.record(
            actor=actor,
            verb="responsibility_acknowledged",
            obj=ack,
            organisation=responsibility.organisation,
            summary=f"Acknowledged {responsibility.get_role_display()} version {responsibility.version}",
        )
    return ack


# ---- training catalogue and settings --------------------------------------------------------------------------


MODULE_FIELDS = ("code", "title", "description", "required_for_roles", "refresh_months", "active")


def _clean_roles(roles) -> list[str]:
    roles = [str(r) for r in roles or []]
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"required_for_roles": "Choose roles from the list"})
    return sorted(set(roles), key=Role.values.index)


@transaction.atomic
def create_module(*, actor, organisation: Organisation, **fields) -> TrainingModule:
    fields["required_for_roles"] = _clean_roles(fields.get("required_for_roles"))
    module = TrainingModule(organisation=body_of(organisation), **fields)
    module.full_clean()
    module.save()
    audit.record(actor=actor, verb="training_module_created", obj=module, summary=f"Added module {module.code}")
    return module


@transaction.atomic
def update_module(*, actor, module: TrainingModule, **changes) -> TrainingModule:
    if set(changes) - set(MODULE_FIELDS):
        raise ValueError("Not a module field")
    if "required_for_roles" in changes:
        changes["required_for_roles"] = _clean_roles(changes["required_for_roles"])
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    before = {name: getattr(module, name) for name in changes}
    for name, value in changes.items():
        setattr(module, name, value)
    module.full_clean()
    module.save()
    recalculated = 0
    if before.get("refresh_months", module.refresh_months) != module.refresh_months:
        # Expiries worked out from the refresh period follow it; dates given by a provider stand.
        for completion in module.completions.filter(expiry_given=False):
            completion.expires_on = expiry_for(module, completion.completed_on)
            completion.save(update_fields=["expires_on"])
            recalculated += 1
    audit.record(
        actor=actor,
        verb="training_module_updated",
        obj=module,
        summary=f"Updated module {module.code}"
        + (f"; {recalculated} expiry dates recalculated" if recalculated else ""),
        changes=audit.changed_fields(before, changes),
    )
    return module


@transaction.atomic
def update_settings(*, actor, organisation: Organisation, **changes) -> PeopleSettings:
    allowed = {"investigator_training_gate", "reminder_days"}
    if set(changes) - allowed:
        raise ValueError("Not a people setting")
    settings, _ = PeopleSettings.objects.select_for_update().get_or_create(organisation=body_of(organisation))
    before = {name: getattr(settings, name) for name in changes}
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    audit.record(
        actor=actor,
        verb="people_settings_updated",
        obj=settings,
        summary="Changed training settings",
        changes=audit.changed_fields(before, changes),
    )
    return settings


# ---- completions ------------------------------------------------------------------------------------------


def _new_completion(*, actor, user, module, completed_on, expires_on, provider, evidence, source):
    completion = TrainingCompletion(
        user=user,
        module=module,
        completed_on=completed_on,
        expires_on=expires_on or expiry_for(module, completed_on),
        expiry_given=expires_on is not None,
        provider=provider,
        evidence=evidence,
        source=source,
        recorded_by=actor,
    )
    completion.full_clean()
    completion.save()
    return completion


@transaction.atomic
def record_completion(
    *,
    actor,
    user,
    module: TrainingModule,
    completed_on: datetime.date,
    expires_on: datetime.date | None = None,
    provider: str = "",
    evidence: str = "",
) -> TrainingCompletion:
    from candour.organisations.models import Membership

    if not Membership.objects.filter(user=user, organisation_id__in=parts_of(module.organisation)).exists():
        raise ValidationError({"user": f"This person is not a colleague in {module.organisation.name}"})
    if completed_on > timezone.localdate():
        raise ValidationError({"completed_on": "The completion date must be today or in the past"})
    if expires_on and expires_on <= completed_on:
        raise ValidationError({"expires_on": "The expiry date must be after the completion date"})
    if TrainingCompletion.objects.filter(user=user, module=module, completed_on=completed_on).exists():
        raise ValidationError({"completed_on": "This completion is already recorded"})
    completion = _new_completion(
        actor=actor,
        user=user,
        module=module,
        completed_on=completed_on,
        expires_on=expires_on,
        provider=provider,
        evidence=evidence,
        source=CompletionSource.MANUAL,
    )
    audit.record(
        actor=actor,
        verb="training_recorded",
        obj=completion,
        organisation=module.organisation,
        summary=f"Recorded completion of {module.code}",
    )
    return completion


@dataclass
class UploadOutcome:
    check: csv_import.CsvCheck
    upload: TrainingImport | None
    imported: int


@transaction.atomic
def upload_training_csv(*, actor, organisation: Organisation, filename: str, raw: bytes) -> UploadOutcome:
    """Check an e-learning export. A clean file is imported at once; a file with errors imports nothing and is
    kept so the trainer can choose to import its valid rows (`import_valid_rows`)."""
    body = body_of(organisation)
    text, error = csv_import.decode(raw)
    if error:
        return UploadOutcome(csv_import.CsvCheck(file_error=error), None, 0)
    result = csv_import.check(text, organisation=body, parts=parts_of(body), today=timezone.localdate())
    if result.file_error:
        return UploadOutcome(result, None, 0)
    upload = TrainingImport.objects.create(organisation=body, uploaded_by=actor, filename=filename[:255], content=text)
    audit.record(
        actor=actor,
        verb="training_import_checked",
        obj=upload,
        summary=f"Checked a training export: {len(result.valid)} valid rows, {len(result.errors)} with errors",
    )
    imported = 0
    if not result.errors:
        imported = _import_rows(actor=actor, upload=upload, rows=result.valid)
    return UploadOutcome(result, upload, imported)


def check_upload(upload: TrainingImport) -> csv_import.CsvCheck:
    body = upload.organisation
    return csv_import.check(upload.content, organisation=body, parts=parts_of(body), today=timezone.localdate())


@transaction.atomic
def import_valid_rows(*, actor, upload: TrainingImport) -> int:
    """The trainer chose to import the valid rows of a file with errors. Checked again first, since completions
    may have been recorded since."""
    upload = TrainingImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportStatus.CHECKED:
        raise ValidationError("This file has already been dealt with")
    result = check_upload(upload)
    if not result.can_import_valid_rows:
        raise ValidationError("There are no valid rows to import")
    return _import_rows(actor=actor, upload=upload, rows=result.valid)


@transaction.atomic
def cancel_import(*, actor, upload: TrainingImport) -> None:
    upload = TrainingImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != ImportStatus.CHECKED:
        raise ValidationError("This file has already been dealt with")
    upload.status = ImportStatus.CANCELLED
    upload.content = ""  # nothing personal kept from a file that was not used
    upload.save(update_fields=["status", "content"])
    audit.record(actor=actor, verb="training_import_cancelled", obj=upload, summary="Cancelled a training import")


def _import_rows(*, actor, upload: TrainingImport, rows) -> int:
    for row in rows:
        _new_completion(
            actor=actor,
            user=row.user,
            module=row.module,
            completed_on=row.completed_on,
            expires_on=row.expires_on,
            provider=row.provider,
            evidence=row.evidence,
            source=CompletionSource.IMPORT,
        )
    upload.status = ImportStatus.IMPORTED
    upload.imported_count = len(rows)
    upload.content = ""  # the completions now hold what was needed; keep no second copy of the file
    upload.save(update_fields=["status", "imported_count", "content"])
    audit.record(
        actor=actor, verb="training_imported", obj=upload, summary=f"Imported {len(rows)} training completions"
    )
    return len(rows)


# ---- gating -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GateResult:
    allowed: bool
    warning: str | None = None


def check_training_gate(
    *, organisation: Organisation, user, module_code: str, on_date: datetime.date, mode: str | None = None
) -> GateResult:
    body = body_of(organisation)
    if mode is None:
        settings = PeopleSettings.objects.filter(organisation=body).first()
        mode = settings.investigator_training_gate if settings else GateMode.WARN
    if mode == GateMode.OFF:
        return GateResult(True)
    if current_completions(on_date).filter(user=user, module__organisation=body, module__code=module_code).exists():
        return GateResult(True)
    module = TrainingModule.objects.filter(organisation=body, code=module_code).first()
    title = module.title if module else module_code
    message = f"{user} does not have current training in “{title}”"
    if mode == GateMode.REFUSE:
        return GateResult(False, f"{message}. {body.name} requires it before this work can be assigned.")
    return GateResult(True, f"{message}. You can still assign the work.")


def check_investigator_training(*, organisation: Organisation, user, on_date: datetime.date) -> GateResult:
    """For the investigations app: may `user` be assigned as investigator in `organisation` on `on_date`?

    By the organisation's setting: off (always allowed), warn (allowed with a warning) or refuse (not allowed)
    when the person lacks current "Investigating complaints" training."""
    return check_training_gate(
        organisation=organisation, user=user, module_code=defaults.INVESTIGATION_MODULE, on_date=on_date
    )


# ---- practical examples -------------------------------------------------------------------------------------


EXAMPLE_FIELDS = (
    "title",
    "what_happened",
    "what_i_did",
    "difference_made",
    "occurred_on",
    "related_complaint_reference",
    "related_action_id",
)


@transaction.atomic
def record_example(*, actor, organisation: Organisation, **fields) -> PracticalExample:
    if set(fields) - set(EXAMPLE_FIELDS):
        raise ValueError("Not a practical example field")
    body = body_of(organisation)
    from candour.organisations.models import Membership

    if not Membership.objects.filter(user=actor, organisation_id__in=parts_of(body)).exists():
        raise PermissionDenied("You do not work in this organisation")
    if fields.get("occurred_on") and fields["occurred_on"] > timezone.localdate():
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    example = PracticalExample(author=actor, organisation=body, **fields)
    example.full_clean()
    example.save()
    audit.record(actor=actor, verb="practical_example_recorded", obj=example, summary="Recorded a practical example")
    return example


@transaction.atomic
def approve_example(*, actor, example: PracticalExample, anonymised_text: str, approve: bool) -> PracticalExample:
    """A reviewer writes the anonymised version and decides whether it may appear in reports."""
    if not actor.has_perm("people.review_examples", example.organisation):
        raise PermissionDenied
    anonymised_text = anonymised_text.strip()
    if approve and example.author_id == actor.pk:
        # A second person checks that the anonymised version really identifies no one.
        raise ValidationError(
            {"approve": "You cannot approve your own practical example for reports. Ask another reviewer to approve it"}
        )
    if approve and not anonymised_text:
        raise ValidationError({"anonymised_text": "Write an anonymised version before approving it for reports"})
    example = PracticalExample.objects.select_for_update().get(pk=example.pk)
    before = {"anonymised_text": example.anonymised_text, "approved_for_reports": example.approved_for_reports}
    example.anonymised_text = anonymised_text
    example.approved_for_reports = approve
    example.approved_by = actor if approve else None
    example.approved_at = timezone.now() if approve else None
    example.full_clean()
    example.save()
    audit.record(
        actor=actor,
        verb="practical_example_approved" if approve else "practical_example_reviewed",
        obj=example,
        summary="Approved an anonymised example for reports" if approve else "Reviewed a practical example",
        changes=audit.changed_fields(before, {"anonymised_text": anonymised_text, "approved_for_reports": approve}),
    )
    return example


# ---- line managers ----------------------------------------------------------------------------------------


def _chain_reaches(start_id: int, target_id: int) -> bool:
    """Whether following line managers upwards from `start_id` reaches `target_id` (one query a step; stops on
    a loop already in the data)."""
    from candour.accounts.models import User

    seen: set[int] = set()
    current: int | None = start_id
    while current is not None and current not in seen:
        if current == target_id:
            return True
        seen.add(current)
        current = User.objects.filter(pk=current).values_list("line_manager_id", flat=True).first()
    return False


@transaction.atomic
def set_line_manager(*, actor, colleague, line_manager) -> bool:
    """Set (or, with `line_manager` None, clear) a colleague's line manager. The line manager sees the colleague's
    training, practical examples and debriefs, so they must have a role in one of the colleague's organisations
    or an organisation above it, may not be the colleague, and may not be someone the colleague already manages
    (directly or through others). Returns whether anything changed."""
    from candour.accounts.models import User
    from candour.organisations.models import Membership
    from candour.permissions import organisation_ids_with

    if actor is not None and not actor.has_perm("people.manage_people", colleague):
        raise PermissionDenied("You cannot change this colleague's line manager")
    # Lock both people, in a fixed order, so two changes cannot make a loop between them at the same time.
    locked = {
        user.pk: user
        for user in User.objects.select_for_update()
        .filter(pk__in={colleague.pk, getattr(line_manager, "pk", colleague.pk)})
        .order_by("pk")
    }
    colleague = locked[colleague.pk]
    new_id = line_manager.pk if line_manager is not None else None
    if colleague.line_manager_id == new_id:
        return False
    if line_manager is not None:
        name = str(colleague)
        if line_manager.pk == colleague.pk:
            raise ValidationError({"line_manager": f"{name} cannot be their own line manager"})
        if not line_manager.is_active:
            raise ValidationError({"line_manager": f"{line_manager} no longer has an account: choose someone else"})
        paths = Membership.objects.filter(user=colleague).values_list("organisation__path", flat=True)
        allowed = {int(part) for path in paths for part in path.strip("/").split("/") if part}
        if not Membership.objects.filter(user=line_manager, organisation_id__in=allowed).exists():
            raise ValidationError(
                {
                    "line_manager": f"{line_manager} does not work in {name}’s organisation or an organisation above "
                    "it: choose someone who does"
                }
            )
        if _chain_reaches(line_manager.pk, colleague.pk):
            raise ValidationError(
                {
                    "line_manager": f"{line_manager} reports to {name}, directly or through others: "
                    "someone cannot line manage their own line manager"
                }
            )
    before = colleague.line_manager_id
    colleague.line_manager_id = new_id
    colleague.save(update_fields=["line_manager"])
    # The audit event belongs to the colleague's organisation (the one the actor manages them in, if any).
    scope = organisation_ids_with(actor, Cap.MANAGE_PEOPLE) if actor is not None else None
    from candour.people.selectors import bodies_where_works

    bodies = list(bodies_where_works(colleague))
    body = next((b for b in bodies if scope is None or b.pk in scope), bodies[0] if bodies else None)
    audit.record(
        actor=actor,
        verb="line_manager_set" if new_id else "line_manager_removed",
        obj=colleague,
        organisation=body,
        summary="Set a colleague's line manager" if new_id else "Removed a colleague's line manager",
        changes=audit.changed_fields({"line_manager": before}, {"line_manager": new_id}),
    )
    return True


# ---- support ----------------------------------------------------------------------------------------------


@transaction.atomic
def record_support(
    *,
    actor,
    colleague,
    interaction_on: datetime.date,
    debriefed_on: datetime.date,
    interaction_kind: str,
    notes: str,
    support_offered: list[str],
    support_detail: str = "",
    behaviour_incident_id: int | None = None,
    organisation: Organisation | None = None,
) -> SupportRecord:
    if not actor.has_perm("people.record_support", colleague):
        raise PermissionDenied("Only the colleague's managers can record a debrief")
    from candour.people.selectors import bodies_where_works

    bodies = list(bodies_where_works(colleague))
    if organisation is None:
        if not bodies:
            raise ValidationError("This colleague has no role in an organisation")
        organisation = bodies[0]
    elif organisation.pk not in {b.pk for b in bodies}:
        raise ValidationError({"organisation": "The colleague does not work in this organisation"})
    errors = {}
    today = timezone.localdate()
    if interaction_on > today:
        errors["interaction_on"] = "The date of the interaction must be today or in the past"
    if debriefed_on > today:
        errors["debriefed_on"] = "The date of the debrief must be today or in the past"
    elif debriefed_on < interaction_on:
        errors["debriefed_on"] = "The debrief must be on or after the interaction"
    if not support_offered:
        errors["support_offered"] = "Select the support offered"
    elif set(support_offered) - set(SupportOffered.values):
        errors["support_offered"] = "Choose support from the list"
    if SupportOffered.OTHER in support_offered and not support_detail.strip():
        errors["support_detail"] = "Say what other support was offered"
    if errors:
        raise ValidationError(errors)
    record = SupportRecord(
        colleague=colleague,
        organisation=organisation,
        recorded_by=actor,
        interaction_on=interaction_on,
        debriefed_on=debriefed_on,
        interaction_kind=interaction_kind,
        notes=notes,
        support_offered=list(support_offered),
        support_detail=support_detail,
        behaviour_incident_id=behaviour_incident_id,
    )
    record.full_clean()
    record.save()
    audit.record(actor=actor, verb="support_recorded", obj=record, summary="Recorded a debrief and support offered")
    return record


# ---- reminders ------------------------------------------------------------------------------------------------

# Reminders about training a colleague's role requires and they do not hold now also go to their line manager;
# a reminder that training expires soon goes to the colleague alone, who still has time to renew it.
TELL_LINE_MANAGER = frozenset({ReminderKind.OVERDUE, ReminderKind.MISSING})


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _email_reminder(reminder: TrainingReminder) -> None:
    """Queue the reminder in the notifications outbox, to the colleague and (where the training is overdue or
    never completed) their line manager. Sent after this transaction commits; never twice."""
    from django.conf import settings as django_settings

    from candour.notifications.services import queue_email

    user, module = reminder.user, reminder.module
    base_url = django_settings.CANDOUR_BASE_URL.rstrip("/")
    when = _long_date(reminder.due_on)
    name = user.get_full_name() or user.username
    if reminder.kind == ReminderKind.MISSING:
        subject = f"You have not completed {module.title} training"
        body = f"Your role requires training in “{module.title}”, and you have not completed it yet. Please book it."
        manager_subject = f"{name} has not completed {module.title} training"
        manager_body = f"{name}’s role requires training in “{module.title}”, and they have not completed it yet."
    elif reminder.kind == ReminderKind.OVERDUE:
        subject = f"Your {module.title} training has expired"
        body = f"Your training in “{module.title}” expired on {when}. Your role requires it: please book a refresher."
        manager_subject = f"{name}’s {module.title} training has expired"
        manager_body = f"{name}’s training in “{module.title}” expired on {when}. Their role requires it."
    else:
        subject = f"Your {module.title} training expires soon"
        body = f"Your training in “{module.title}” expires on {when}. Please book a refresher before then."
        manager_subject = manager_body = ""
    if user.email:
        queue_email(
            to=user.email,
            template="generic",
            context={
                "subject": subject,
                "greeting": f"Dear {name},",
                "paragraphs": [body],
                "action_url": base_url + "/staff/people/training/",
                "action_text": "See your training",
            },
            organisation=module.organisation,
            obj=reminder,
            idempotency_key=f"people:training-reminder:{reminder.pk}",
        )
    manager = user.line_manager
    if reminder.kind in TELL_LINE_MANAGER and manager is not None and manager.is_active and manager.email:
        queue_email(
            to=manager.email,
            template="generic",
            context={
                "subject": manager_subject,
                "greeting": f"Dear {manager.get_full_name() or manager.username},",
                "paragraphs": [manager_body, "You are receiving this because you are their line manager."],
                "action_url": base_url + f"/staff/people/colleagues/{user.pk}/",
                "action_text": "See their training",
            },
            organisation=module.organisation,
            obj=reminder,
            idempotency_key=f"people:training-reminder:{reminder.pk}:line-manager",
        )


# ---- recording reminders --------------------------------------------------------------------------------------


def _send_reminder(*, user_id: int, module_id: int, body_id: int, due_on: datetime.date, kind: str) -> bool:
    """Record one reminder and queue its e-mails, unless the same reminder was recorded before."""
    reminder, created = TrainingReminder.objects.get_or_create(
        user_id=user_id, module_id=module_id, due_on=due_on, kind=kind
    )
    if created:
        audit.record(
            actor=None,
            actor_label="system",
            verb="training_reminder_recorded",
            obj=reminder,
            organisation=Organisation(pk=body_id),
            summary=f"Training reminder: {reminder.get_kind_display().lower()}",
        )
        reminder = TrainingReminder.objects.select_related("user__line_manager", "module__organisation").get(
            pk=reminder.pk
        )
        _email_reminder(reminder)
    return created


def _required_never_completed(today: datetime.date) -> list[tuple[int, int, int]]:
    """(body id, user id, module id) for each active module that a colleague's role in a body requires and that
    they have never completed. A fixed handful of queries over ids, whatever the number of people."""
    from candour.organisations.models import Membership
    from candour.people.selectors import _org_map

    required_by: dict[tuple[int, str], set[int]] = {}
    for pk, body_id, roles in TrainingModule.objects.filter(active=True).values_list(
        "pk", "organisation_id", "required_for_roles"
    ):
        for role in roles or []:
            required_by.setdefault((body_id, role), set()).add(pk)
    if not required_by:
        return []
    org_map = _org_map({body_id for body_id, _role in required_by})
    needs: dict[tuple[int, int], set[int]] = {}
    for user_id, org_id, role in Membership.objects.filter(
        organisation_id__in=list(org_map.body_of), user__is_active=True
    ).values_list("user_id", "organisation_id", "role"):
        body_id = org_map.body_of[org_id]
        modules = required_by.get((body_id, role))
        if modules:
            needs.setdefault((body_id, user_id), set()).update(modules)
    if not needs:
        return []
    module_ids = set().union(*required_by.values())
    done = set(
        TrainingCompletion.objects.filter(module_id__in=module_ids, completed_on__lte=today)
        .values_list("user_id", "module_id")
        .distinct()
    )
    return sorted(
        (body_id, user_id, module_id)
        for (body_id, user_id), modules in needs.items()
        for module_id in modules
        if (user_id, module_id) not in done
    )


@transaction.atomic
def record_training_reminders(today: datetime.date) -> dict[str, int]:
    """Remind people about training their roles require: training that expires within their organisation's
    reminder period or has expired without renewal (once per expiry date), and training they have never
    completed (once per reminder period until they complete it). Running it again the same day, or any day
    before the period has passed, records and sends nothing more."""
    from candour.organisations.models import Membership

    horizon_days = {s.organisation_id: s.reminder_days for s in PeopleSettings.objects.all()}
    longest = max([30, *horizon_days.values()])
    counts = {ReminderKind.EXPIRING.value: 0, ReminderKind.OVERDUE.value: 0, ReminderKind.MISSING.value: 0}

    # Expiring and overdue: the latest expiry per person and module; anything that never expires is left alone.
    latest = (
        TrainingCompletion.objects.filter(module__active=True)
        .values("user_id", "module_id", "module__organisation_id", "module__required_for_roles")
        .annotate(latest=Max("expires_on"), never=Count("pk", filter=Q(expires_on__isnull=True)))
        .filter(never=0, latest__lte=today + datetime.timedelta(days=longest))
    )
    candidates = list(latest)
    if candidates:
        roles: dict[tuple[int, int], set[str]] = {}
        from candour.people.selectors import _org_map

        org_map = _org_map({c["module__organisation_id"] for c in candidates})
        for user_id, org_id, role in Membership.objects.filter(
            organisation_id__in=list(org_map.body_of), user_id__in={c["user_id"] for c in candidates}
        ).values_list("user_id", "organisation_id", "role"):
            roles.setdefault((org_map.body_of[org_id], user_id), set()).add(role)
        for c in candidates:
            body_id = c["module__organisation_id"]
            if c["latest"] > today + datetime.timedelta(days=horizon_days.get(body_id, 30)):
                continue
            if not roles.get((body_id, c["user_id"]), set()) & set(c["module__required_for_roles"]):
                continue
            kind = ReminderKind.OVERDUE if c["latest"] <= today else ReminderKind.EXPIRING
            if _send_reminder(
                user_id=c["user_id"], module_id=c["module_id"], body_id=body_id, due_on=c["latest"], kind=kind
            ):
                counts[kind] += 1

    # Never completed: `due_on` is the day the reminder is sent; another follows once the period has passed.
    missing = _required_never_completed(today)
    if missing:
        last_sent: dict[tuple[int, int], datetime.date] = {}
        for user_id, module_id, sent_on in TrainingReminder.objects.filter(
            kind=ReminderKind.MISSING, due_on__gt=today - datetime.timedelta(days=longest)
        ).values_list("user_id", "module_id", "due_on"):
            key = (user_id, module_id)
            last_sent[key] = max(sent_on, last_sent.get(key, sent_on))
        for body_id, user_id, module_id in missing:
            sent_on = last_sent.get((user_id, module_id))
            if sent_on is not None and (today - sent_on).days < horizon_days.get(body_id, 30):
                continue
            if _send_reminder(
                user_id=user_id, module_id=module_id, body_id=body_id, due_on=today, kind=ReminderKind.MISSING
            ):
                counts[ReminderKind.MISSING] += 1
    return counts
