"""Staff pages for investigations, under /staff/investigations/. Reads through selectors; writes only through
`candour.investigations.services` (and the complaint services they call). Refusals show as GOV.UK errors and
keep what was typed."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from candour.complaints.models import Complaint, Remedy, ResponseStatus
from candour.complaints.selectors import complaint_for_user
from candour.complaints.staff_forms import GovukDateField, add_service_errors, date_parts
from candour.complaints.staff_views import _colleagues
from candour.investigations import forms, letters, selectors, services
from candour.investigations.models import (
    CHECKLIST,
    CaseRole,
    ConflictDeclaration,
    ContactRestriction,
    InitialView,
    InvestigationPlan,
    InvolvedColleague,
    QualityReview,
)
from candour.organisations.models import Organisation
from candour.organisations.roles import Cap
from candour.organisations.selectors import organisations_for
from candour.permissions import has_capability, has_capability_anywhere

# ---- helpers -------------------------------------------------------------------------------------------------


def _case(request, reference: str, need: str | None = Cap.HANDLE_CASES, record_view: bool = False) -> Complaint:
    complaint = complaint_for_user(request.user, reference, record_view=record_view)
    if need and not has_capability(request.user, need, complaint.organisation_id):
        raise PermissionDenied
    return complaint


def _overview(complaint: Complaint, anchor: str = "") -> str:
    return reverse("investigations:case", args=[complaint.reference]) + (f"#{anchor}" if anchor else "")


def field_specs(form) -> list[dict]:
    """How to draw each field with the GOV.UK macros (see form.html)."""
    specs = []
    for bound in form:
        field = bound.field
        spec = {"name": bound.name, "label": str(field.label or bound.name), "hint": str(field.help_text or "")}
        if isinstance(field, GovukDateField):
            spec.update(kind="date", parts=date_parts(form, bound.name))
        elif isinstance(field, django_forms.FileField):
            spec["kind"] = "file"
        elif isinstance(field.widget, django_forms.CheckboxSelectMultiple):
            value = bound.value() or []
            spec.update(
                kind="checkboxes", items=[{"value": k, "text": str(t), "checked": k in value} for k, t in field.choices]
            )
        elif isinstance(field, django_forms.BooleanField):
            spec.update(kind="checkbox", checked=bool(bound.value()))
        elif isinstance(field.widget, django_forms.RadioSelect):
            spec.update(kind="radios", choices=[(k, str(t)) for k, t in field.choices])
        elif isinstance(field, django_forms.ChoiceField):
            spec.update(kind="select", choices=[(k, str(t)) for k, t in field.choices])
        elif isinstance(field.widget, django_forms.Textarea):
            spec.update(kind="textarea", rows=field.widget.attrs.get("rows", 4))
        else:
            spec["kind"] = "input"
        specs.append(spec)
    return specs


def _form_page(request, complaint, form, title, *, intro=None, submit="Save", back=None, status=200):
    context = {
        "page_title": title,
        "complaint": complaint,
        "form": form,
        "fields": field_specs(form),
        "intro": intro or [],
        "submit": submit,
        "back_url": back or (_overview(complaint) if complaint else reverse("investigations:home")),
        "multipart": any(isinstance(f.field, django_forms.FileField) for f in form),
    }
    return render(request, "investigations/form.html", context, status=status)


def _handle(request, form, action, *, success: str, redirect_to: str):
    """Run a service on a valid POST: a refusal goes back on the form; success redirects."""
    if request.method == "POST" and form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    return None


def _strip(data: dict) -> dict:
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}


def _case_form(
    request, complaint, form, service, /, *, success, title, anchor="", strip=True, intro=None, submit="Save", **target
):
    """The usual form page of a case: a valid POST calls `service(actor=<user>, **target, **<what was typed>)`; a
    refusal goes back on the form (keeping what was typed), success returns to the investigation page at
    `anchor`. `target` names what the service acts on (complaint=..., point=..., ...)."""

    def act(data):
        service(actor=request.user, **target, **(_strip(data) if strip else data))

    done = _handle(request, form, act, success=success, redirect_to=_overview(complaint, anchor))
    return done or _form_page(request, complaint, form, title, intro=intro, submit=submit)


# ---- home: what is waiting for me ---------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    if not (has_capability_anywhere(user, Cap.VIEW_CASES) or has_capability_anywhere(user, Cap.VIEW_AGGREGATES)):
        raise PermissionDenied
    context = {
        "page_title": "Investigations",
        "reviews": list(selectors.reviews_for(user)),
        "partners": list(selectors.partners_visible_to(user)),
        "can_manage": has_capability_anywhere(user, Cap.MANAGE_CASES),
        "can_report": has_capability_anywhere(user, Cap.VIEW_AGGREGATES),
        "organisations": [o for o in organisations_for(user, Cap.MANAGE_CASES) if o.accepts_complaints],
    }
    return render(request, "investigations/home.html", context)


# ---- the investigation page of a case ----------------------------------------------------------------------


@login_required
def case(request, reference):
    complaint = complaint_for_user(request.user, reference)  # records the view
    user = request.user
    on = services.today()
    plan = InvestigationPlan.objects.filter(complaint=complaint).first()
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
    reviews = list(draft.quality_reviews.select_related("reviewer").order_by("-requested_at")) if draft else []
    involved = list(complaint.involved_colleagues.select_related("user").prefetch_related("statements"))
    involved_ids = {i.user_id for i in involved}
    warnings = []
    if complaint.stage2_handler_id in involved_ids:
        warnings.append("The stage 2 investigator was involved in the events: assign someone else.")
    if complaint.stage1_handler_id in involved_ids:
        warnings.append("The stage 1 handler was involved in the events.")
    declarations = list(complaint.conflict_declarations.select_related("user", "overridden_by"))
    if complaint.stage2_handler_id and not any(
        d.user_id == complaint.stage2_handler_id and d.role == CaseRole.INVESTIGATOR for d in declarations
    ):
        warnings.append("The stage 2 investigator has not declared whether they have a conflict of interest.")
    remedies = list(complaint.remedies.select_related("banding__band").prefetch_related("extensions_to_others"))
    context = {
        "page_title": f"Investigation of {complaint.reference}",
        "complaint": complaint,
        "adjustments": letters.adjustments_for(complaint),
        "can_handle": user.has_perm("complaints.handle", complaint),
        "can_manage": user.has_perm("complaints.manage", complaint),
        "can_govern": has_capability(user, Cap.GOVERN, complaint.organisation_id),
        "warnings": warnings,
        "involved": involved,
        "declarations": declarations,
        "plan": plan,
        "update_due": services.update_is_due(plan, on),
        "updates": list(complaint.plan_updates.all()[:20]),
        "evidence": list(complaint.evidence.select_related("point", "attachment")),
        "points": list(complaint.points.all()),
        "initial_views": list(complaint.initial_views.prefetch_related("replies")),
        "draft": draft,
        "sign_off_required": bool(draft and services.sign_off_required(draft)),
        "approval": services.current_approval(draft) if draft else None,
        "reviews": reviews,
        "checklist": CHECKLIST,
        "remedies": remedies,
        "partners": list(complaint.partners.select_related("organisation")),
        "incidents": list(complaint.behaviour_incidents.all()),
        "restrictions": list(complaint.restrictions.select_related("approved_by", "single_point_of_contact")),
        "support": list(complaint.colleague_support.select_related("user")),
        "today": on,
    }
    return render(request, "investigations/case.html", context)


# ---- independence -------------------------------------------------------------------------------------------


@login_required
def add_involved(request, reference):
    complaint = _case(request, reference)
    form = forms.InvolvedForm(request.POST or None, people=_colleagues(complaint, Cap.VIEW_CASES))
    return _case_form(
        request,
        complaint,
        form,
        services.record_involved_colleague,
        complaint=complaint,
        success="Colleague recorded as involved.",
        anchor="independence",
        title="Record a colleague involved in the events",
        intro=[
            "Colleagues involved in the events cannot investigate the complaint or review its response.",
        ],
    )


@login_required
def told(request, reference, pk):
    complaint = _case(request, reference)
    involved = get_object_or_404(InvolvedColleague, complaint=complaint, pk=pk)
    form = forms.ToldForm(request.POST or None)
    return _case_form(
        request,
        complaint,
        form,
        services.record_colleague_told,
        involved=involved,
        success="Recorded that the colleague was told and offered support.",
        anchor="independence",
        title="Tell the colleague and offer support",
    )


@login_required
def statement(request, reference, pk):
    complaint = _case(request, reference)
    involved = get_object_or_404(InvolvedColleague, complaint=complaint, pk=pk)
    form = forms.StatementForm(request.POST or None)
    return _case_form(
        request,
        complaint,
        form,
        services.add_statement,
        involved=involved,
        success="Statement recorded.",
        anchor="independence",
        title="Record the colleague's account or response",
    )


@login_required
def declare(request, reference):
    complaint = _case(request, reference)
    form = forms.DeclarationForm(request.POST or None, people=_colleagues(complaint, Cap.VIEW_CASES))
    return _case_form(
        request,
        complaint,
        form,
        services.declare_conflict,
        complaint=complaint,
        success="Declaration recorded.",
        anchor="independence",
        title="Declare any conflict of interest",
    )


@login_required
def override(request, reference, pk):
    complaint = _case(request, reference, need=Cap.GOVERN)
    declaration = get_object_or_404(ConflictDeclaration, complaint=complaint, pk=pk)
    form = forms.OverrideForm(request.POST or None)

    def act(data):
        services.override_conflict(actor=request.user, declaration=declaration, reason=data["reason"])

    done = _handle(
        request, form, act, success="Conflict of interest overridden.", redirect_to=_overview(complaint, "independence")
    )
    who = declaration.user.get_full_name() or declaration.user.get_username()
    return done or _form_page(
        request,
        complaint,
        form,
        "Override a conflict of interest",
        intro=[
            f"{who} declared: {declaration.details}",
            "Only override if no one else suitable can take the role. Your reason is recorded.",
        ],
        submit="Override",
    )


@login_required
def assign_investigator(request, reference):
    complaint = _case(request, reference, need=Cap.MANAGE_CASES)
    form = forms.AssignInvestigatorForm(request.POST or None, people=_colleagues(complaint, Cap.INVESTIGATE))

    def act(data):
        declaration = form.declaration()
        services.assign_investigator(
            actor=request.user,
            complaint=complaint,
            user=data["user"],
            has_conflict=declaration.has_conflict if declaration else None,
            details=declaration.details if declaration else "",
        )

    done = _handle(request, form, act, success="Stage 2 investigator assigned.", redirect_to=_overview(complaint))
    return done or _form_page(
        request,
        complaint,
        form,
        "Assign the stage 2 investigator",
        intro=[
            "The investigator declares any conflict of interest. A declared conflict stops the assignment unless a "
            "senior leader overrides it. After an override, choose “already declared” so the override stands.",
        ],
        submit="Assign",
    )


# ---- plan ---------------------------------------------------------------------------------------------------


@login_required
def plan(request, reference):
    complaint = _case(request, reference)
    current = InvestigationPlan.objects.filter(complaint=complaint).first()
    if current:
        initial = {name: getattr(current, name) for name in services.PLAN_FIELDS}
        initial["is_complex"] = "yes" if current.is_complex else "no"
    else:
        initial = {
            "key_issues": "\n\n".join(p.summary for p in complaint.points.all()),
            "outcome_sought": complaint.outcome_sought,
            "target_date": complaint.response_due,
            "update_every_days": 10,
            "is_complex": "no",
        }
    form = forms.PlanForm(request.POST or None, initial=initial)
    return _case_form(
        request,
        complaint,
        form,
        services.save_plan,
        complaint=complaint,
        success="Investigation plan saved.",
        anchor="plan",
        title="Investigation plan",
    )


@login_required
def share_plan(request, reference):
    complaint = _case(request, reference)
    if request.method != "POST":
        raise Http404
    try:
        services.share_plan(actor=request.user, complaint=complaint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Plan shared with the complainant.")
    return redirect(_overview(complaint, "plan"))


@login_required
def plan_letter(request, reference):
    complaint = _case(request, reference, need=Cap.VIEW_CASES, record_view=True)
    current = get_object_or_404(InvestigationPlan, complaint=complaint)
    html = current.letter_html or letters.render_plan_letter(complaint, current)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


@login_required
def add_update(request, reference):
    complaint = _case(request, reference)
    form = forms.PlanUpdateForm(request.POST or None, initial={"given_on": services.today()})
    return _case_form(
        request,
        complaint,
        form,
        services.log_update,
        complaint=complaint,
        success="Update logged.",
        anchor="plan",
        title="Log an update to the parties",
    )


# ---- evidence and findings ----------------------------------------------------------------------------------


@login_required
def add_evidence(request, reference):
    complaint = _case(request, reference)
    form = forms.EvidenceForm(request.POST or None, request.FILES or None, points=list(complaint.points.all()))

    def act(data):
        data = _strip(data)
        services.add_evidence(actor=request.user, complaint=complaint, uploaded_file=data.pop("file"), **data)

    done = _handle(request, form, act, success="Evidence recorded.", redirect_to=_overview(complaint, "evidence"))
    return done or _form_page(request, complaint, form, "Add to the evidence log")


@login_required
def finding(request, reference, number):
    complaint = _case(request, reference)
    point = get_object_or_404(complaint.points, number=number)
    initial = {k: getattr(point, k) for k in ("should_have_happened", "what_happened", "finding", "outcome")}
    form = forms.FindingForm(request.POST or None, initial=initial)

    rules = [e for e in point.evidence.all() if e.rule_reference]
    intro = [f"Point {point.number}: {point.summary}"] + [f"Relied on: {e.rule_reference}" for e in rules]
    return _case_form(
        request,
        complaint,
        form,
        services.record_finding,
        point=point,
        success=f"Finding for point {number} saved.",
        anchor="evidence",
        title=f"Finding on point {number}",
        intro=intro,
    )


# ---- initial views ----------------------------------------------------------------------------------------


@login_required
def add_initial_view(request, reference):
    complaint = _case(request, reference)
    form = forms.InitialViewForm(request.POST or None, initial={"shared_on": services.today()})
    return _case_form(
        request,
        complaint,
        form,
        services.share_initial_view,
        complaint=complaint,
        success="Initial view recorded.",
        anchor="initial-views",
        title="Share initial views",
    )


@login_required
def add_reply(request, reference, pk):
    complaint = _case(request, reference)
    view = get_object_or_404(InitialView, complaint=complaint, pk=pk)
    form = forms.ReplyForm(request.POST or None)
    return _case_form(
        request,
        complaint,
        form,
        services.record_reply,
        view=view,
        success="Reply recorded.",
        anchor="initial-views",
        title="Record a reply to the initial view",
    )


# ---- quality review ---------------------------------------------------------------------------------------


@login_required
def request_review(request, reference):
    complaint = _case(request, reference)
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()
    if draft is None:
        messages.error(request, "Write and save the response before asking for a review.")
        return redirect(_overview(complaint, "quality-review"))
    form = forms.RequestReviewForm(request.POST or None, people=_colleagues(complaint, Cap.MANAGE_CASES))

    def act(data):
        services.request_review(
            actor=request.user, response=draft, reviewer=data["reviewer"], declaration=form.declaration()
        )

    done = _handle(request, form, act, success="Review requested.", redirect_to=_overview(complaint, "quality-review"))
    return done or _form_page(
        request,
        complaint,
        form,
        "Ask for a quality review",
        intro=[
            "The reviewer declares any conflict of interest. A declared conflict stops the request unless a senior "
            "leader overrides it.",
        ],
        submit="Ask for review",
    )


@login_required
def review(request, reference, pk):
    complaint = _case(request, reference, need=Cap.VIEW_CASES, record_view=True)
    item = get_object_or_404(QualityReview.objects.select_related("response"), response__complaint=complaint, pk=pk)
    if item.reviewer_id != request.user.pk:
        raise PermissionDenied
    form = forms.ReviewDecisionForm(request.POST or None)

    def act(data):
        checks = {name: name in data["checklist"] for name, _label in CHECKLIST}
        services.decide_review(
            actor=request.user, review=item, decision=data["decision"], checklist=checks, comments=data["comments"]
        )

    done = _handle(
        request, form, act, success="Review decision recorded.", redirect_to=_overview(complaint, "quality-review")
    )
    if done:
        return done
    context = {
        "page_title": f"Quality review of {complaint.reference}",
        "complaint": complaint,
        "form": form,
        "fields": field_specs(form),
        "draft": item.response,
        "review": item,
        "points": list(complaint.points.all()),
        "remedies": list(complaint.remedies.all()),
        "elements": [(name, label, getattr(item.response, name)) for name, label in letters_elements()],
    }
    return render(request, "investigations/review.html", context)


def letters_elements():
    from candour.complaints.letters import LETTER_HEADINGS

    return list(LETTER_HEADINGS.items()) + [("apology", "Apology")]


# ---- remedies ---------------------------------------------------------------------------------------------


@login_required
def add_remedy(request, reference):
    complaint = _case(request, reference)
    bands = list(selectors.bands_for(complaint.organisation))
    if not bands:
        messages.error(request, "This organisation has no redress bands yet. A complaints manager can add them.")
        return redirect(_overview(complaint, "remedies"))
    form = forms.BandedRemedyForm(request.POST or None, bands=bands)
    draft = complaint.responses.exclude(status=ResponseStatus.ISSUED).filter(stage=complaint.stage).first()

    intro = [f"{b}: {b.guidance}" if b.guidance else str(b) for b in bands]
    return _case_form(
        request,
        complaint,
        form,
        services.add_banded_remedy,
        complaint=complaint,
        response=draft,
        success="Redress recorded.",
        anchor="remedies",
        title="Add financial redress",
        intro=intro,
    )


@login_required
def extend_remedy(request, reference, pk):
    complaint = _case(request, reference)
    remedy = get_object_or_404(Remedy, complaint=complaint, pk=pk)
    form = forms.ExtendRemedyForm(request.POST or None)
    return _case_form(
        request,
        complaint,
        form,
        services.extend_remedy,
        remedy=remedy,
        success="Remedy extended to others affected.",
        anchor="remedies",
        title="Extend the remedy to others affected",
    )


def _managed_org(request, pk) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if not has_capability(request.user, Cap.MANAGE_CASES, organisation.pk):
        raise PermissionDenied
    return organisation


@login_required
def bands(request, org):
    organisation = _managed_org(request, org)
    form = forms.BandForm(request.POST or None)

    def act(data):
        services.save_band(actor=request.user, organisation=organisation, **_strip(data))

    here = reverse("investigations:bands", args=[organisation.pk])
    done = _handle(request, form, act, success="Redress band saved.", redirect_to=here)
    if done:
        return done
    context = {
        "page_title": f"Redress bands: {organisation.name}",
        "organisation": organisation,
        "bands": list(selectors.bands_for(organisation, active_only=False)),
        "form": form,
        "fields": field_specs(form),
        "settings": services.settings_for(organisation),
    }
    return render(request, "investigations/bands.html", context)


@login_required
def sign_off_settings(request, org):
    organisation = _managed_org(request, org)
    current = services.settings_for(organisation)
    form = forms.SettingsForm(
        request.POST or None, initial={"sign_off": current.sign_off, "sign_off_above": current.sign_off_above}
    )

    def act(data):
        services.update_settings(actor=request.user, organisation=organisation, **data)

    done = _handle(
        request,
        form,
        act,
        success="Sign-off settings saved.",
        redirect_to=reverse("investigations:bands", args=[organisation.pk]),
    )
    return done or _form_page(
        request,
        None,
        form,
        f"Quality review sign-off: {organisation.name}",
        back=reverse("investigations:bands", args=[organisation.pk]),
    )


@login_required
def remedies_report(request):
    def money(value):
        return f"£{value:,.2f}" if value is not None else "—"

    table_rows = [
        [
            {"text": r["organisation"]},
            {"text": r["service_area"]},
            {"text": r["type"]},
            {"text": r["band"]},
            {"text": str(r["count"]), "format": "numeric"},
            {"text": money(r["total"]), "format": "numeric"},
            {"text": money(r["lowest"]), "format": "numeric"},
            {"text": money(r["highest"]), "format": "numeric"},
            {"text": str(r["outside"]), "format": "numeric"},
        ]
        for r in selectors.remedies_report(request.user)
    ]
    context = {"page_title": "Remedies by service area", "table_rows": table_rows}
    return render(request, "investigations/report.html", context)


# ---- multi-organisation ------------------------------------------------------------------------------------


@login_required
def add_partner(request, reference):
    complaint = _case(request, reference)
    organisations = (
        Organisation.objects.filter(accepts_complaints=True).exclude(pk=complaint.organisation_id).order_by("name")
    )
    form = forms.PartnerForm(request.POST or None, organisations=organisations)
    return _case_form(
        request,
        complaint,
        form,
        services.add_partner,
        complaint=complaint,
        success="Contributing organisation added.",
        anchor="partners",
        title="Add a contributing organisation",
    )


@login_required
def partner(request, pk):
    """What a contributing organisation sees: its own part and the shared response, nothing else of the case."""
    item = selectors.partner_for_user(request.user, pk)
    can_contribute = request.user.has_perm("investigations.contribute", item)
    form = forms.ContributeForm(request.POST or None, initial={"part_text": item.part_text})
    if request.method == "POST":
        if not can_contribute:
            raise PermissionDenied

        def act(data):
            services.contribute_part(actor=request.user, partner=item, part_text=data["part_text"])

        done = _handle(
            request,
            form,
            act,
            success="Your part has been added to the draft.",
            redirect_to=reverse("investigations:partner", args=[item.pk]),
        )
        if done:
            return done
    draft = selectors.shared_draft(item)
    context = {
        "page_title": f"Your part of complaint {item.complaint.reference}",
        "partner": item,
        "draft": draft,
        "elements": [(label, getattr(draft, name)) for name, label in letters_elements()] if draft else [],
        "form": form,
        "fields": field_specs(form),
        "can_contribute": can_contribute,
    }
    return render(request, "investigations/partner.html", context)


# ---- challenging behaviour -------------------------------------------------------------------------------


@login_required
def add_incident(request, reference):
    complaint = _case(request, reference)
    form = forms.IncidentForm(request.POST or None)
    return _case_form(
        request,
        complaint,
        form,
        services.record_incident,
        complaint=complaint,
        success="Incident recorded.",
        anchor="behaviour",
        title="Record challenging behaviour",
    )


@login_required
def add_restriction(request, reference):
    complaint = _case(request, reference)
    people = _colleagues(complaint, Cap.VIEW_CASES)
    form = forms.RestrictionForm(request.POST or None, people=people)
    return _case_form(
        request,
        complaint,
        form,
        services.impose_restriction,
        complaint=complaint,
        success="Restriction recorded and the letter sent.",
        anchor="behaviour",
        title="Restrict contact",
        intro=[
            "A restriction must be proportionate, approved by a senior leader, explained in writing and reviewed. "
            "It never stops a new complaint being recorded.",
        ],
    )


@login_required
def renew_restriction(request, reference, pk):
    complaint = _case(request, reference)
    restriction = get_object_or_404(ContactRestriction, complaint=complaint, pk=pk)
    form = forms.RenewForm(request.POST or None, people=_colleagues(complaint, Cap.VIEW_CASES))
    return _case_form(
        request,
        complaint,
        form,
        services.renew_restriction,
        restriction=restriction,
        success="Restriction renewed.",
        anchor="behaviour",
        title="Review and renew the restriction",
    )


@login_required
def restriction_letter(request, reference, pk):
    complaint = _case(request, reference, need=Cap.VIEW_CASES, record_view=True)
    restriction = get_object_or_404(ContactRestriction, complaint=complaint, pk=pk)
    return HttpResponse(restriction.letter_html, content_type="text/html; charset=utf-8")


@login_required
def add_support(request, reference):
    complaint = _case(request, reference)
    form = forms.SupportForm(request.POST or None, people=_colleagues(complaint, Cap.VIEW_CASES))
    return _case_form(
        request,
        complaint,
        form,
        services.record_support,
        complaint=complaint,
        success="Support recorded.",
        anchor="behaviour",
        title="Record support or a debrief for a colleague",
    )


@login_required
def adjustments(request, reference):
    complaint = _case(request, reference)
    current = letters.adjustments_for(complaint)
    initial = {k: getattr(current, k) for k in ("large_print", "easy_read", "delivery", "send_copy_to")}
    form = forms.AdjustmentsForm(request.POST or None, initial=initial)

    intro = (
        [f"Reasonable adjustments recorded: {complaint.reasonable_adjustments}"]
        if complaint.reasonable_adjustments
        else []
    )
    return _case_form(
        request,
        complaint,
        form,
        services.save_letter_adjustments,
        complaint=complaint,
        success="Letter adjustments saved.",
        title="How letters reach the complainant",
        intro=intro,
        strip=False,
    )
