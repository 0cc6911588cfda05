"""Staff pages for complaints: the work queue, intake, triage, the case page and everything done from it.

Views read through selectors (scoped to the user; opening a case records an audit view event) and
write only through `candour.complaints.services`. A service's refusal is shown as a GOV.UK error.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from candour.audit import services as audit
from candour.audit.models import AuditEvent
from candour.complaints import letters, queue, services, states
from candour.complaints.models import (
    Attachment,
    Channel,
    Complaint,
    OmbudsmanReferral,
    PointOfComplaint,
    Response,
    ResponseStatus,
    Triage,
)
from candour.complaints.selectors import complaint_for_user, complaints_visible_to
from candour.complaints.services import SEVEN_ELEMENTS
from candour.complaints.staff_forms import (
    AssignForm,
    ClockStopForm,
    ExtensionForm,
    IntakeForm,
    IssueForm,
    OmbudsmanForm,
    PointForm,
    RemedyForm,
    ResponseForm,
    TransitionForm,
    TriageForm,
    add_service_errors,
    date_parts,
)
from candour.organisations.models import Organisation, ServiceArea
from candour.organisations.roles import ROLE_SPECS, Cap
from candour.organisations.selectors import organisations_for
from candour.permissions import has_capability, has_capability_anywhere

# Transitions that happen by issuing the response from the response page, not from a button.
VIA_RESPONSE = {"resolve", "issue_final_response"}


# ---- helpers ------------------------------------------------------------------------------------------


def _case(request, reference: str, *, need: str | None = Cap.HANDLE_CASES, record_view: bool = False) -> Complaint:
    """The complaint if the user may see it (403 otherwise) and, for changes, may do `need` to it."""
    complaint = complaint_for_user(request.user, reference, record_view=record_view)
    if need and not has_capability(request.user, need, complaint.organisation_id):
        raise PermissionDenied
    return complaint


def _case_url(complaint: Complaint, anchor: str = "") -> str:
    return reverse("staff_complaints:case", args=[complaint.reference]) + (f"#{anchor}" if anchor else "")


def _colleagues(complaint: Complaint, capability: str) -> list:
    """Colleagues who hold `capability` in the complaint's organisation."""
    roles = [role for role, spec in ROLE_SPECS.items() if capability in spec.capabilities]
    org = complaint.organisation
    User = get_user_model()
    candidates = (
        User.objects.filter(
            Q(memberships__organisation_id__in=[*org.ancestor_ids, org.pk])
            | Q(memberships__organisation__path__startswith=org.path),
            is_active=True,
            memberships__role__in=roles,
        )
        .distinct()
        .order_by("username")
    )
    return [user for user in candidates if has_capability(user, capability, org.pk)]


def _page(request, template: str, title: str, context: dict | None = None, status: int = 200):
    return render(request, template, {"page_title": title, **(context or {})}, status=status)


def _deadline_rows(complaint: Complaint, on) -> list[dict]:
    calendar = queue.calendars_for([complaint.organisation_id])[complaint.organisation_id]

    def tag(due, done):
        if due is None:
            return None
        status = calendar.status(due, on, completed_on=done, due_soon_days=queue.DUE_SOON_WORKING_DAYS)
        labels = {
            "overdue": ("Overdue", "govuk-tag--red"),
            "due_soon": ("Due soon", "govuk-tag--yellow"),
            "on_track": ("On track", "govuk-tag--green"),
            "done_on_time": ("Done on time", "govuk-tag--grey"),
            "done_late": ("Done late", "govuk-tag--orange"),
        }
        text, classes = labels[str(status)]
        return {"text": text, "classes": classes}

    rows = [
        {"label": "Acknowledgement", "due": complaint.acknowledgement_due, "done": complaint.acknowledged_on},
        {"label": "Stage 1 response", "due": complaint.stage1_due, "done": complaint.stage1_responded_on},
    ]
    if complaint.stage == 2 or complaint.stage2_due:
        rows.append({"label": "Stage 2 response", "due": complaint.stage2_due, "done": complaint.stage2_responded_on})
    for row in rows:
        finished = complaint.status in states.FINISHED_STATES and row["done"] is None
        row["tag"] = None if finished else tag(row["due"], row["done"])
    return rows


# ---- the work queue -----------------------------------------------------------------------------------


@login_required
def work_queue(request):
    user = request.user
    if not has_capability_anywhere(user, Cap.VIEW_CASES):
        raise PermissionDenied
    params = queue.clean_params(request.GET)
    complaints = queue.for_listing(queue.filter_queue(complaints_visible_to(user), params, user))
    page = Paginator(complaints, 50).get_page(request.GET.get("page"))
    organisations = [o for o in organisations_for(user, Cap.VIEW_CASES) if o.accepts_complaints]
    service_areas = list(ServiceArea.objects.filter(organisation__in=organisations).select_related("organisation"))
    context = {
        "params": params,
        "page": page,
        "tags": queue.deadline_tags(page.object_list),
        "tabs": queue.TABS,
        "sorts": queue.SORTS,
        "statuses": queue.STATUS_CHOICES,
        "channels": Channel.choices,
        "organisations": organisations,
        "service_areas": service_areas,
        "can_record": has_capability_anywhere(user, Cap.HANDLE_CASES),
    }
    return _page(request, "complaints/staff/queue.html", "Complaints", context)


# ---- intake and triage --------------------------------------------------------------------------------


@login_required
def intake(request):
    organisations = list(organisations_for(request.user, Cap.HANDLE_CASES).filter(accepts_complaints=True))
    if not organisations:
        raise PermissionDenied
    form = IntakeForm(
        request.POST or None,
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by("name"),
        today=services.today(),
        initial={
            "received_on": services.today(),
            "organisation": organisations[0] if len(organisations) == 1 else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            complaint, _created = services.create_complaint(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                channel=form.cleaned_data["channel"],
                description=form.cleaned_data["description"].strip(),
                received_on=form.cleaned_data["received_on"],
                points=form.points(),
                submission_key=request.POST.get("submission_key") or None,
                **form.complaint_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Complaint {complaint.reference} recorded. Now decide what this contact is.")
            return redirect("staff_complaints:triage", complaint.reference)
    context = {
        "form": form,
        "received_on": date_parts(form, "received_on"),
        "submission_key": request.POST.get("submission_key") or secrets.token_hex(16),
        "point_numbers": range(1, 4),
    }
    return _page(request, "complaints/staff/intake.html", "Record a complaint", context)


@login_required
def triage(request, reference):
    complaint = _case(request, reference)
    if complaint.triage != Triage.PENDING:
        messages.info(request, "This contact has already been triaged.")
        return redirect(_case_url(complaint))
    form = TriageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["decision"] == "not_accepted":
                    services.triage(
                        actor=request.user,
                        complaint=complaint,
                        decision=Triage.COMPLAINT,
                        signposting=data["signposting"],
                    )
                    services.transition(
                        actor=request.user, complaint=complaint, name="not_accept", reason=data["reason"].strip()
                    )
                else:
                    services.triage(
                        actor=request.user,
                        complaint=complaint,
                        decision=data["decision"],
                        other_route=data["other_route"],
                        signposting=data["signposting"],
                        reason=data["reason"].strip(),
                    )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Triage decision recorded.")
            return redirect(_case_url(complaint))
    return _page(
        request, "complaints/staff/triage.html", "What is this contact?", {"form": form, "complaint": complaint}
    )


# ---- the case page ------------------------------------------------------------------------------------


@login_required
def case(request, reference):
    complaint = complaint_for_user(request.user, reference)  # records the view in the audit trail
    user = request.user
    on = services.today()
    can_handle = user.has_perm("complaints.handle", complaint)
    transitions = [t for t in states.available_transitions(complaint) if t.name not in VIA_RESPONSE]
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
    context = {
        "complaint": complaint,
        "can_handle": can_handle,
        "can_manage": user.has_perm("complaints.manage", complaint),
        "tag": queue.deadline_tag(complaint, on),
        "deadlines": _deadline_rows(complaint, on),
        "points": list(complaint.points.all()),
        "transitions": transitions if can_handle else [],
        "response_due_now": complaint.status in (states.Status.EARLY_RESOLUTION, states.Status.INVESTIGATION),
        "transition_log": list(complaint.transitions.select_related("actor")),
        "clock_stops": list(complaint.clock_stops.all()),
        "extensions": list(complaint.extensions.all()),
        "remedies": list(complaint.remedies.all()),
        "responses": list(complaint.responses.all()),
        "draft": draft,
        "attachments": list(complaint.attachments.all()),
        "referral": OmbudsmanReferral.objects.filter(complaint=complaint).first(),
        "can_record_referral": complaint.status
        in (states.Status.RESPONSE_ISSUED, states.Status.CLOSED, states.Status.RESOLVED),
        "audit_events": list(
            AuditEvent.objects.filter(object_type="complaints.complaint", object_id=str(complaint.pk)).order_by(
                "-occurred_at", "-id"
            )[:200]
        ),
    }
    return _page(request, "complaints/staff/case.html", f"Complaint {complaint.reference}", context)


@login_required
def point(request, reference, number=None):
    complaint = _case(request, reference)
    existing = get_object_or_404(PointOfComplaint, complaint=complaint, number=number) if number else None
    initial = {}
    if existing:
        initial = {f: getattr(existing, f) for f in PointForm.base_fields}
    form = PointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {key: value.strip() if isinstance(value, str) else value for key, value in form.cleaned_data.items()}
        try:
            if existing:
                services.update_point(actor=request.user, point=existing, **data)
            else:
                new = services.add_point(
                    actor=request.user,
                    complaint=complaint,
                    summary=data["summary"],
                    outcome_sought=data["outcome_sought"],
                )
                rest = {k: v for k, v in data.items() if k not in ("summary", "outcome_sought") and v}
                if rest:
                    services.update_point(actor=request.user, point=new, **rest)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Point {number or 'of complaint'} saved.")
            return redirect(_case_url(complaint, "points"))
    title = f"Point {number}" if existing else "Add a point of complaint"
    return _page(
        request, "complaints/staff/point.html", title, {"form": form, "complaint": complaint, "point": existing}
    )


@login_required
def assign(request, reference, stage):
    complaint = _case(request, reference)
    if stage not in (1, 2):
        raise Http404
    user = request.user
    capability = Cap.INVESTIGATE if stage == 2 else Cap.HANDLE_CASES
    if user.has_perm("complaints.manage", complaint):
        colleagues = _colleagues(complaint, capability)
    elif has_capability(user, capability, complaint.organisation_id):
        colleagues = [user]  # without the manager's capability, a colleague can only take a case themselves
    else:
        raise PermissionDenied
    form = AssignForm(request.POST or None, colleagues=colleagues, ask_conflict=stage == 2)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(
                actor=user,
                complaint=complaint,
                user=form.cleaned_data["user"],
                stage=stage,
                declaration=form.declaration() if stage == 2 else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            role = "investigator" if stage == 2 else "handler"
            messages.success(request, f"Stage {stage} {role} assigned.")
            return redirect(_case_url(complaint))
    title = "Assign the stage 2 investigator" if stage == 2 else "Assign the stage 1 handler"
    context = {"form": form, "complaint": complaint, "stage": stage}
    return _page(request, "complaints/staff/assign.html", title, context)


@login_required
def transition(request, reference, name):
    complaint = _case(request, reference)
    spec = states.TRANSITIONS.get(name)
    if spec is None or name in VIA_RESPONSE:
        raise Http404
    colleagues = _colleagues(complaint, Cap.INVESTIGATE) if name == "escalate" else []
    form = TransitionForm(request.POST or None, transition=spec, colleagues=colleagues)
    refusal = None
    if request.method == "GET" and complaint.status not in spec.sources:
        refusal = states.refusal(complaint, spec, {"reason": "-"})
    if request.method == "POST" and form.is_valid():
        context = {}
        if name == "escalate" and form.cleaned_data["investigator"]:
            context["investigator"] = form.cleaned_data["investigator"]
            context["declaration"] = form.declaration()
        try:
            services.transition(
                actor=request.user,
                complaint=complaint,
                name=name,
                reason=form.cleaned_data["reason"].strip(),
                **context,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                add_service_errors(form, error)
            else:
                field = "investigator" if name == "escalate" and "investigat" in " ".join(error.messages) else None
                for message in error.messages:
                    form.add_error(field, message)
        else:
            messages.success(request, f"{spec.label}: done.")
            return redirect(_case_url(complaint))
    context = {"form": form, "complaint": complaint, "transition": spec, "refusal": refusal}
    return _page(request, "complaints/staff/transition.html", str(spec.label), context)


@login_required
def stop_clock(request, reference):
    complaint = _case(request, reference)
    form = ClockStopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_clock(actor=request.user, complaint=complaint, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The clock is stopped. Restart it when the complainant replies.")
            return redirect(_case_url(complaint, "deadlines"))
    return _page(request, "complaints/staff/stop_clock.html", "Stop the clock", {"form": form, "complaint": complaint})


@login_required
@require_POST
def restart_clock(request, reference):
    complaint = _case(request, reference)
    try:
        services.restart_clock(actor=request.user, complaint=complaint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The clock is running again. The stopped working days were added to the due date.")
    return redirect(_case_url(complaint, "deadlines"))


@login_required
def extend(request, reference):
    complaint = _case(request, reference)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extend(
                actor=request.user,
                complaint=complaint,
                new_due=form.cleaned_data["new_due"],
                reason=form.cleaned_data["reason"],
                complainant_agreed=form.cleaned_data["complainant_agreed"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Extension recorded.")
            return redirect(_case_url(complaint, "deadlines"))
    context = {"form": form, "complaint": complaint, "new_due": date_parts(form, "new_due")}
    return _page(request, "complaints/staff/extend.html", "Extend the response date", context)


@login_required
def remedy(request, reference):
    complaint = _case(request, reference)
    form = RemedyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
        try:
            services.add_remedy(
                actor=request.user,
                complaint=complaint,
                type=form.cleaned_data["type"],
                description=form.cleaned_data["description"],
                amount=form.cleaned_data["amount"],
                response=draft,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Remedy recorded.")
            return redirect(_case_url(complaint, "remedies"))
    return _page(request, "complaints/staff/remedy.html", "Add a remedy", {"form": form, "complaint": complaint})


# ---- the response -------------------------------------------------------------------------------------


def _draft(complaint: Complaint) -> Response:
    """The current stage's open response, or an unsaved one with the escalation rights filled in."""
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
    if draft is None:
        draft = Response(
            complaint=complaint, stage=complaint.stage, next_steps=services.escalation_rights_text(complaint)
        )
    return draft


@login_required
def response(request, reference):
    complaint = _case(request, reference, record_view=True)
    draft = _draft(complaint)
    fields = [name for name, _ in SEVEN_ELEMENTS] + ["apology", "outcome"]
    form = ResponseForm(request.POST or None, initial={name: getattr(draft, name) for name in fields})
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.save_response(
                actor=request.user, complaint=complaint, **{name: form.cleaned_data[name].strip() for name in fields}
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Response saved.")
            return redirect("staff_complaints:response", complaint.reference)
    problems = services.response_problems(draft)
    awaiting = complaint.status in (states.Status.EARLY_RESOLUTION, states.Status.INVESTIGATION)
    context = {
        "form": form,
        "complaint": complaint,
        "draft": draft,
        "elements": SEVEN_ELEMENTS,
        "checklist": [(problems.get(name, message), name not in problems) for name, message in SEVEN_ELEMENTS]
        + [(message, False) for name, message in problems.items() if name not in dict(SEVEN_ELEMENTS)],
        "problems": problems,
        "can_issue": awaiting and draft.pk is not None and not problems,
        "awaiting": awaiting,
        "issue_form": IssueForm(),
    }
    return _page(request, "complaints/staff/response.html", f"Stage {complaint.stage} response", context)


@login_required
def issue(request, reference):
    complaint = _case(request, reference, record_view=True)
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
    if draft is None:
        messages.error(request, "Write and save the response before issuing it.")
        return redirect("staff_complaints:response", complaint.reference)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            on = services.today()
            services.issue_response(
                actor=request.user,
                response=draft,
                delivery_method=form.cleaned_data["delivery_method"],
                letter_html=letters.render_letter_html(complaint, draft, on=on),
                on=on,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Stage {draft.stage} response issued.")
            return redirect(_case_url(complaint))
    context = {"form": form, "complaint": complaint, "draft": draft, "problems": services.response_problems(draft)}
    return _page(request, "complaints/staff/issue.html", "Issue the response", context)


def _letter_source(request, reference):
    """The letter to show: an issued response's frozen letter, or the current draft rendered now."""
    complaint = _case(request, reference, need=Cap.VIEW_CASES, record_view=True)
    response_id = request.GET.get("response")
    if response_id:
        issued = get_object_or_404(Response, complaint=complaint, pk=response_id if response_id.isdigit() else 0)
        if issued.status == ResponseStatus.ISSUED and issued.letter_html:
            return complaint, issued, issued.letter_html
        return complaint, issued, letters.render_letter_html(complaint, issued)
    draft = _draft(complaint)
    return complaint, draft, letters.render_letter_html(complaint, draft)


@login_required
def letter_preview(request, reference):
    complaint = _case(request, reference, need=Cap.VIEW_CASES, record_view=True)
    draft = _draft(complaint)
    context = {
        "complaint": complaint,
        "response": draft,
        "letter_body": letters.render_letter_body(complaint, draft, top=2),
        "letter_language": letters.letter_language(complaint),
    }
    return _page(request, "complaints/staff/letter_preview.html", "Preview the response letter", context)


@login_required
def letter_download(request, reference, fmt):
    complaint, _resp, html = _letter_source(request, reference)
    if fmt not in ("pdf", "html"):
        raise Http404
    if fmt == "pdf":
        response = HttpResponse(letters.render_letter_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-response.pdf"'
        return response
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-response.html"'
    return response


# ---- after the response -------------------------------------------------------------------------------


@login_required
def ombudsman(request, reference):
    complaint = _case(request, reference)
    referral = OmbudsmanReferral.objects.filter(complaint=complaint).first()
    names = ["mp_referral_date", "phso_reference", "decision", "decision_date", "recommendations", "compliance",
             "complied_on"]  # fmt: skip
    initial = {name: getattr(referral, name) for name in names} if referral else {}
    form = OmbudsmanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["phso_reference"] = data["phso_reference"].strip()
        try:
            services.record_ombudsman_referral(actor=request.user, complaint=complaint, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Ombudsman referral recorded.")
            return redirect(_case_url(complaint, "ombudsman"))
    context = {
        "form": form,
        "complaint": complaint,
        "dates": {name: date_parts(form, name) for name in ("mp_referral_date", "decision_date", "complied_on")},
    }
    return _page(request, "complaints/staff/ombudsman.html", "Ombudsman referral", context)


@login_required
def attachment(request, reference, pk):
    complaint = complaint_for_user(request.user, reference, record_view=False)
    if not request.user.has_perm("complaints.view", complaint):
        raise PermissionDenied
    item = get_object_or_404(Attachment, complaint=complaint, pk=pk)
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / item.stored_name).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    audit.record_view(actor=request.user, obj=complaint, what=f"attachment {item.pk}")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
