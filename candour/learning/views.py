"""Staff pages (English) for learning, and the public "You said, we did" page (English and Welsh)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from candour.complaints.models import Complaint
from candour.complaints.selectors import complaint_for_user
from candour.learning import selectors, services, states, trends
from candour.learning.forms import ActionForm, EvidenceForm, LearningRecordForm, PublishForm, TransitionForm, split_tags
from candour.learning.models import EvidenceFile, ImprovementAction, LearningRecord
from candour.organisations.models import Organisation, ServiceArea
from candour.organisations.roles import Cap
from candour.permissions import has_capability_anywhere, organisation_ids_with

DIMENSION_LABELS = {"theme": "Theme", "root_cause": "Root cause", "service_area": "Service area"}


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---- dashboard ---------------------------------------------------------------------------------------


@login_required
def dashboard(request):
    user = request.user
    org_ids = selectors.learning_organisation_ids(user)
    if not org_ids:
        raise PermissionDenied
    today = timezone.localdate()
    this_month = trends.month_start(today)
    months = [trends.add_months(this_month, -n) for n in range(6, -1, -1)]
    rows = selectors.theme_trends(org_ids, months[0], trends.add_months(this_month, 1), dimensions=("theme",))
    grid: dict[tuple, dict] = {}
    for row in rows:
        entry = grid.setdefault((row["key"], row["organisation_id"]), {"name": row["name"], "counts": {}})
        entry["counts"][row["month"]] = row["count"]
    names = dict(Organisation.objects.filter(pk__in={k[1] for k in grid}).values_list("pk", "name"))
    trend_rows = sorted(
        ({"name": e["name"], "organisation": names.get(org), "counts": [e["counts"].get(m, 0) for m in months]}
         for (key, org), e in grid.items()),
        key=lambda r: (-sum(r["counts"]), r["name"]),
    )[:20]  # fmt: skip
    emerging = []
    for month in (trends.add_months(this_month, -1), this_month):
        for item in selectors.emerging_themes(org_ids, month):
            emerging.append({**item, "label": DIMENSION_LABELS[item["dimension"]],
                             "organisation": Organisation.objects.get(pk=item["organisation_id"]).name})  # fmt: skip
    detail_ids = organisation_ids_with(user, Cap.MANAGE_LEARNING) | organisation_ids_with(user, Cap.GOVERN)
    context = {
        "page_title": "Learning from complaints",
        "summary": selectors.action_summary(org_ids, today),
        "emerging": emerging,
        "months": months,
        "trend_rows": trend_rows,
        "overdue": list(selectors.overdue_actions(detail_ids, today)),
        "may_see_actions": bool(detail_ids),
        "may_manage": has_capability_anywhere(user, Cap.MANAGE_LEARNING),
        "today": today,
    }
    return render(request, "learning/staff_dashboard.html", context)


@login_required
def learning_settings(request):
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids_with(request.user, Cap.MANAGE_LEARNING),
                                                     accepts_complaints=True))  # fmt: skip
    if not organisations:
        raise PermissionDenied
    if request.method == "POST":
        organisation = next((o for o in organisations if str(o.pk) == request.POST.get("organisation")), None)
        if organisation is None:
            raise PermissionDenied
        if request.POST.get("root_cause", "").strip():
            services.add_root_cause(actor=request.user, organisation=organisation, name=request.POST["root_cause"])
        else:
            services.update_settings(
                actor=request.user, organisation=organisation,
                learning_required_before_closure=request.POST.get("required") == "yes",
            )  # fmt: skip
        messages.success(request, "Learning settings saved")
        return redirect("learning:settings")
    rows = [{"organisation": o, "settings": services.settings_for(o), "causes": selectors.root_causes_for(o)}
            for o in organisations]  # fmt: skip
    return render(request, "learning/staff_settings.html", {"page_title": "Learning settings", "rows": rows})


# ---- learning records --------------------------------------------------------------------------------


@login_required
def learning_record(request, reference: str):
    complaint = complaint_for_user(request.user, reference, record_view=False)
    if not request.user.has_perm("learning.record", complaint):
        raise PermissionDenied
    record = LearningRecord.objects.filter(complaint=complaint).prefetch_related("themes").first()
    kwargs = {
        "root_causes": selectors.root_causes_for(complaint.organisation),
        "service_areas": ServiceArea.objects.filter(organisation=complaint.organisation),
    }
    if request.method == "POST" and request.POST.get("form") == "quote":
        try:
            services.quote_learning_in_response(actor=request.user, complaint=complaint)
            messages.success(request, "The learning was added to the draft response")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:record", reference=reference)
    if request.method == "POST":
        form = LearningRecordForm(request.POST, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_learning_record(
                    actor=request.user, complaint=complaint, what_went_wrong=data["what_went_wrong"],
                    root_cause=data["root_cause"], service_area=data["service_area"],
                    themes=split_tags(data["themes"]),
                )  # fmt: skip
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "Learning recorded")
                return redirect("learning:record", reference=reference)
    else:
        initial = {}
        if record is not None:
            initial = {
                "what_went_wrong": record.what_went_wrong,
                "root_cause": record.root_cause_id,
                "service_area": record.service_area_id,
                "themes": ", ".join(t.name for t in record.themes.all()),
            }
        elif complaint.service_area_id:
            initial = {"service_area": complaint.service_area_id}
        form = LearningRecordForm(initial=initial, **kwargs)
    context = {
        "page_title": f"Learning from {complaint.reference}",
        "complaint": complaint,
        "record": record,
        "form": form,
        "actions": ImprovementAction.objects.filter(complaints=complaint).order_by("id"),
        "response_text": services.response_learning_text(complaint),
        "may_manage": request.user.has_perm("learning.manage", complaint),
    }
    return render(request, "learning/staff_record.html", context)


# ---- actions -----------------------------------------------------------------------------------------


@login_required
def action_list(request):
    if (
        not request.user.has_perm("learning.view_action", None)
        and not selectors.actions_visible_to(request.user).exists()
    ):
        raise PermissionDenied
    status = request.GET.get("status", "")
    actions = selectors.actions_visible_to(request.user).order_by("due_date", "id")
    if status == "overdue":
        actions = actions.filter(status__in=selectors.OPEN, due_date__lt=timezone.localdate())
    elif status in states.ActionStatus.values:
        actions = actions.filter(status=status)
    actions = actions.annotate(complaint_count=Count("complaints", distinct=True))
    context = {
        "page_title": "Improvement actions",
        "actions": list(actions[:200]),
        "status": status,
        "statuses": states.ActionStatus.choices,
        "today": timezone.localdate(),
        "may_manage": has_capability_anywhere(request.user, Cap.MANAGE_LEARNING),
    }
    return render(request, "learning/staff_actions.html", context)


def _people_for(organisations) -> list:
    condition = Q(pk__in=[])
    for org in organisations:
        condition |= Q(memberships__organisation__path__startswith=org.path)
    return list(get_user_model().objects.filter(condition, is_active=True).distinct().order_by("last_name", "pk"))


def _action_form_context(request, form, organisations, action=None):
    return {
        "page_title": "Edit improvement action" if action else "Propose an improvement action",
        "form": form,
        "action": action,
        "people": _people_for(organisations),
        "service_areas": ServiceArea.objects.filter(organisation__in=organisations).select_related("organisation"),
        "single_organisation": len(organisations) == 1,
    }


def _complaints_from(form, organisation) -> list[Complaint]:
    references = [r.upper() for r in split_tags(form.cleaned_data["complaints"].replace(" ", ","))]
    found = list(Complaint.objects.filter(reference__in=references, organisation=organisation))
    missing = sorted(set(references) - {c.reference for c in found})
    if missing:
        form.add_error("complaints", f"No complaint in this organisation has the reference {', '.join(missing)}")
    return found


@login_required
def action_create(request):
    organisations = list(Organisation.objects.filter(
        pk__in=organisation_ids_with(request.user, Cap.MANAGE_LEARNING), accepts_complaints=True))  # fmt: skip
    if not organisations:
        raise PermissionDenied
    if request.method == "POST":
        form = ActionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            organisation = next(o for o in organisations if str(o.pk) == data["organisation"])
            complaints = _complaints_from(form, organisation)
            area = ServiceArea.objects.filter(pk=data["service_area"], organisation=organisation).first()
            if not form.errors:
                try:
                    action = services.create_action(
                        actor=request.user, organisation=organisation, description=data["description"],
                        complaints=complaints, themes=split_tags(data["themes"]), service_area=area,
                        senior_owner=data["senior_owner"], delivery_owner=data["delivery_owner"],
                        due_date=data["due_date"], expected_impact=data["expected_impact"],
                        how_measured=data["how_measured"],
                    )  # fmt: skip
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(request, f"Improvement action {action.pk} proposed")
                    return redirect("learning:action", pk=action.pk)
    else:
        reference = request.GET.get("complaint", "")[:40]
        complaint = Complaint.objects.filter(reference=reference, organisation__in=organisations).first()
        initial = {"organisation": str(organisations[0].pk)}
        if complaint is not None:
            record = LearningRecord.objects.filter(complaint=complaint).prefetch_related("themes").first()
            initial.update(organisation=str(complaint.organisation_id), complaints=complaint.reference,
                           service_area=complaint.service_area_id)  # fmt: skip
            if record is not None:
                initial["themes"] = ", ".join(t.name for t in record.themes.all())
        form = ActionForm(initial=initial, organisations=organisations)
    return render(request, "learning/staff_action_form.html", _action_form_context(request, form, organisations))


@login_required
def action_edit(request, pk: int):
    action = selectors.action_for_user(request.user, pk)
    if not request.user.has_perm("learning.manage", action):
        raise PermissionDenied
    organisations = [action.organisation]
    if request.method == "POST":
        form = ActionForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            complaints = _complaints_from(form, action.organisation)
            area = ServiceArea.objects.filter(pk=data["service_area"], organisation=action.organisation).first()
            if not form.errors:
                try:
                    services.update_action(
                        actor=request.user, action=action, complaints=complaints, themes=split_tags(data["themes"]),
                        description=data["description"], service_area=area, senior_owner=data["senior_owner"],
                        delivery_owner=data["delivery_owner"], due_date=data["due_date"],
                        expected_impact=data["expected_impact"], how_measured=data["how_measured"],
                    )  # fmt: skip
                except ValidationError as error:
                    _apply_errors(form, error)
                else:
                    messages.success(request, "Improvement action saved")
                    return redirect("learning:action", pk=action.pk)
    else:
        form = ActionForm(
            initial={
                "organisation": str(action.organisation_id), "description": action.description,
                "complaints": ", ".join(action.complaints.values_list("reference", flat=True)),
                "themes": ", ".join(action.themes.values_list("name", flat=True)),
                "service_area": action.service_area_id, "senior_owner": action.senior_owner_id,
                "delivery_owner": action.delivery_owner_id, "due_date": action.due_date,
                "expected_impact": action.expected_impact, "how_measured": action.how_measured,
            },
            organisations=organisations,
        )  # fmt: skip
    return render(
        request, "learning/staff_action_form.html", _action_form_context(request, form, organisations, action)
    )


@login_required
def action_detail(request, pk: int):
    action = selectors.action_for_user(request.user, pk)
    user = request.user
    transition_form, evidence_form, publish_form = TransitionForm(), EvidenceForm(), PublishForm(
        initial={"you_said": action.you_said, "we_did": action.we_did or action.description,
                 "you_said_cy": action.you_said_cy, "we_did_cy": action.we_did_cy})  # fmt: skip
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "transition":
                transition_form = TransitionForm(request.POST)
                if transition_form.is_valid():
                    services.transition_action(
                        actor=user, action=action, name=transition_form.cleaned_data["name"],
                        reason=transition_form.cleaned_data["reason"],
                    )  # fmt: skip
                    messages.success(request, "Action status changed")
                    return redirect("learning:action", pk=pk)
            elif which == "evidence":
                evidence_form = EvidenceForm(request.POST, request.FILES)
                if evidence_form.is_valid():
                    data = evidence_form.cleaned_data
                    if data["file"]:
                        services.add_evidence_file(actor=user, action=action, uploaded=data["file"])
                    if data["evidence"] != action.evidence:
                        services.record_evidence(actor=user, action=action, evidence=data["evidence"])
                    messages.success(request, "Evidence saved")
                    return redirect("learning:action", pk=pk)
            elif which == "publish":
                publish_form = PublishForm(request.POST)
                if publish_form.is_valid():
                    services.publish_summary(actor=user, action=action, **publish_form.cleaned_data)
                    messages.success(request, "Summary approved and published")
                    return redirect("learning:action", pk=pk)
            elif which == "unpublish":
                services.unpublish_summary(actor=user, action=action)
                messages.success(request, "Summary withdrawn from the public page")
                return redirect("learning:action", pk=pk)
        except services.ActionRefused as error:
            transition_form.add_error("reason", " ".join(error.messages))
        except ValidationError as error:
            _apply_errors(evidence_form if which == "evidence" else publish_form, error)
    context = {
        "page_title": f"Improvement action {action.pk}",
        "action": action,
        "complaints": list(action.complaints.order_by("reference").values_list("reference", flat=True)),
        "themes": list(action.themes.values_list("name", flat=True)),
        "log": list(action.status_log.all()),
        "files": list(action.evidence_files.all()),
        "transitions": [
            t for t in states.available_transitions(action) if services.may_transition(user, action, t.name)
        ],
        "impact": selectors.impact(action, timezone.localdate()),
        "transition_form": transition_form,
        "evidence_form": evidence_form,
        "publish_form": publish_form,
        "form": next((f for f in (transition_form, evidence_form, publish_form) if f.is_bound and f.errors), None),
        "may_manage": user.has_perm("learning.manage", action),
        "may_add_evidence": services.may_transition(user, action, "complete"),
        "overdue": action.status in states.OPEN_STATUSES and action.due_date and action.due_date < timezone.localdate(),
        "delivered": action.status in states.DELIVERED_STATUSES,
    }
    return render(request, "learning/staff_action.html", context)


@login_required
def evidence_download(request, pk: int, file_pk: int):
    action = selectors.action_for_user(request.user, pk)
    evidence = EvidenceFile.objects.filter(pk=file_pk, action=action).first()
    if evidence is None:
        raise Http404
    path = services.evidence_path(evidence.stored_name)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )


# ---- public ------------------------------------------------------------------------------------------


def you_said_we_did(request):
    language = get_language() or "en"
    groups = selectors.published_changes("cy" if language.startswith("cy") else "en")
    return render(request, "learning/you_said_we_did.html", {"page_title": _("You said, we did"), "groups": groups})
