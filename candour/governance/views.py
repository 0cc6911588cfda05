"""Staff pages: the organisation dashboard, exports, parent-department oversight, governance reviews and
the review pack (HTML and PDF)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from candour.governance import selectors, services
from candour.governance.forms import DecisionStatusForm, GovernanceBodyForm, ReviewForm, ThresholdForm, VolumeForm
from candour.governance.models import Decision, GovernanceBody, Indicator, InteractionVolume
from candour.governance.periods import financial_year_containing, parse_period, quarter_containing
from candour.governance.tables import comparison_table, dashboard_charts, dashboard_tables, trend_table_and_chart
from candour.learning import selectors as learning_selectors
from candour.organisations.models import BODY_KIND_VALUES, Organisation
from candour.organisations.roles import Cap
from candour.permissions import has_capability, has_capability_anywhere
from candour.reporting import exports

# The staff work queue (candour.complaints.queue.clean_params): tab, status, stage, organisation, service_area,
# channel, received_from, received_to.
QUEUE_URL = reverse_lazy("staff_complaints:queue")


def _body(request, slug: str, capability: str = Cap.VIEW_AGGREGATES) -> Organisation:
    """The organisation, if the user holds `capability` there; otherwise it does not exist for them."""
    organisation = Organisation.objects.filter(slug=slug, kind__in=BODY_KIND_VALUES).first()
    if organisation is None or not has_capability(request.user, capability, organisation.pk):
        raise Http404
    return organisation


def _period(request):
    today = timezone.localdate()
    preset = request.GET.get("preset")
    if preset == "year":
        return financial_year_containing(today)
    if preset == "quarter" or "start" not in request.GET:
        return quarter_containing(today)
    return parse_period(request.GET.get("start"), request.GET.get("end"), today)


def case_links(request, organisation: Organisation, period, tables: dict) -> dict:
    """Work-queue links per table row, only for those who may see the cases behind the figures."""
    if not has_capability(request.user, Cap.VIEW_CASES, organisation.pk):
        return {}
    base = {
        "tab": "all",
        "status": "any",
        "organisation": organisation.pk,
        "received_from": period.start,
        "received_to": period.end,
    }
    links = {}
    for key, table in tables.items():
        links[key] = [
            None if filters is None else f"{QUEUE_URL}?{urlencode({**base, **filters})}"
            for filters in table.row_filters
        ]
    return links


def _presets(request, name: str, organisation: Organisation):
    today = timezone.localdate()

    href = reverse(name, args=[organisation.slug])
    quarter, year = quarter_containing(today), financial_year_containing(today)
    return [
        {"text": "This quarter", "href": f"{href}?preset=quarter", "period": quarter},
        {"text": "This financial year", "href": f"{href}?preset=year", "period": year},
    ]


@login_required
def index(request):
    if not has_capability_anywhere(request.user, Cap.VIEW_AGGREGATES):
        raise PermissionDenied
    bodies = list(selectors.bodies_visible_to(request.user))
    parents = {b.pk for b in bodies for other in bodies if other.pk != b.pk and other.path.startswith(b.path)}
    return render(
        request,
        "governance/index.html",
        {"page_title": "Governance", "bodies": bodies, "parents": parents},
    )


@login_required
def dashboard(request, slug):
    organisation = _body(request, slug)
    period = _period(request)
    figures = selectors.dashboard_figures([organisation.pk], period.start, period.end)
    tables = dashboard_tables(figures)
    return render(
        request,
        "governance/dashboard.html",
        {
            "page_title": f"Dashboard: {organisation.name}",
            "organisation": organisation,
            "period": period,
            "figures": figures,
            "tables": tables,
            "charts": dashboard_charts(figures, tables),
            "links": case_links(request, organisation, period, tables),
            "presets": _presets(request, "governance:dashboard", organisation),
            "query": urlencode({"start": period.start, "end": period.end}),
            "can_govern": has_capability(request.user, Cap.GOVERN, organisation.pk),
        },
    )


def _download(table_or_tables, fmt: str, filename: str):
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(table_or_tables), content_type=exports.CSV_CONTENT_TYPE)
    elif fmt == "ods":
        response = HttpResponse(exports.to_ods(table_or_tables), content_type=exports.ODS_CONTENT_TYPE)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def export_table(request, slug, table, fmt):
    organisation = _body(request, slug)
    period = _period(request)
    tables = dashboard_tables(selectors.dashboard_figures([organisation.pk], period.start, period.end))
    name = f"{organisation.slug}-{period.start}-{period.end}"
    if table == "all" and fmt == "ods":
        return _download(list(tables.values()), fmt, f"{name}-dashboard")
    if table not in tables:
        raise Http404
    return _download(tables[table], fmt, f"{name}-{table}")


# ---- parent-department oversight --------------------------------------------------------------------


def _oversight_data(request, department: Organisation, period):
    bodies = selectors.subtree_bodies_visible_to(request.user, department)
    rows, consolidated, trend = selectors.oversight_figures(bodies, period.start, period.end)
    thresholds = selectors.thresholds_for(department)
    for row in rows:
        row["shortfalls"] = selectors.shortfalls(row, thresholds)
    return bodies, rows, thresholds, consolidated, trend


@login_required
def oversight(request, slug):
    department = _body(request, slug)
    period = _period(request)
    bodies, rows, thresholds, consolidated, trend = _oversight_data(request, department, period)
    tables = dashboard_tables(consolidated)
    comparison = comparison_table(rows, thresholds)
    trend_table, trend_chart = trend_table_and_chart(trend)
    return render(
        request,
        "governance/oversight.html",
        {
            "page_title": f"Oversight: {department.name}",
            "organisation": department,
            "period": period,
            "rows": rows,
            "comparison": comparison,
            "trend_table": trend_table,
            "trend_chart": trend_chart,
            "thresholds": thresholds,
            "figures": consolidated,
            "tables": tables,
            "charts": dashboard_charts(consolidated, tables),
            "presets": _presets(request, "governance:oversight", department),
            "query": urlencode({"start": period.start, "end": period.end}),
            "threshold_form": ThresholdForm(),
            "can_set_thresholds": has_capability(request.user, Cap.GOVERN, department.pk),
            "indicator_items": [{"value": v, "text": str(label)} for v, label in Indicator.choices],
        },
    )


@login_required
def oversight_export(request, slug, fmt):
    department = _body(request, slug)
    period = _period(request)
    _bodies, rows, thresholds, consolidated, trend = _oversight_data(request, department, period)
    comparison = comparison_table(rows, thresholds)
    name = f"{department.slug}-oversight-{period.start}-{period.end}"
    if fmt == "csv":
        return _download(comparison, fmt, name)
    tables = [comparison, trend_table_and_chart(trend)[0]] + list(dashboard_tables(consolidated).values())
    return _download(tables, fmt, name)


@login_required
@require_POST
def thresholds(request, slug):
    department = _body(request, slug, Cap.GOVERN)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        services.set_threshold(
            actor=request.user,
            department=department,
            indicator=form.cleaned_data["indicator"],
            value=form.cleaned_data["value"],
        )
        messages.success(request, "Threshold saved.")
    else:
        messages.error(request, "Enter a percentage between 0 and 100.")
    return redirect("governance:oversight", slug=department.slug)


# ---- governance reviews -----------------------------------------------------------------------------


@login_required
def reviews(request, slug):
    organisation = _body(request, slug)
    rhythm = selectors.review_rhythm([organisation.pk]).get(organisation.pk)
    return render(
        request,
        "governance/reviews.html",
        {
            "page_title": f"Governance reviews: {organisation.name}",
            "organisation": organisation,
            "rhythm": rhythm,
            "reviews": selectors.reviews_for(organisation),
            "decisions": selectors.earlier_decisions(organisation),
            "actions": selectors.open_review_actions(organisation),
            "can_govern": has_capability(request.user, Cap.GOVERN, organisation.pk),
            "last_quarter": quarter_containing(timezone.localdate()),
            "today": timezone.localdate(),
        },
    )


@login_required
def body(request, slug):
    organisation = _body(request, slug, Cap.GOVERN)
    existing = GovernanceBody.objects.filter(organisation=organisation).first()
    initial = (
        {"name": existing.name, "rhythm": existing.rhythm, "accountable_leader": existing.accountable_leader_id}
        if existing
        else {}
    )
    form = GovernanceBodyForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.set_governance_body(actor=request.user, organisation=organisation, **form.cleaned_data)
        messages.success(request, "Governance body saved.")
        return redirect("governance:reviews", slug=organisation.slug)
    return render(
        request,
        "governance/body.html",
        {"page_title": "Governance body", "organisation": organisation, "form": form},
    )


@login_required
def record_review(request, slug):
    organisation = _body(request, slug, Cap.GOVERN)
    period = quarter_containing(timezone.localdate())
    form = ReviewForm(
        request.POST or None,
        organisation=organisation,
        initial={"period_start": period.start, "period_end": period.end, "held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions = [
            services.ActionInput(
                description=data[f"action_{i}_description"],
                owner=data[f"action_{i}_owner"],
                due_on=data[f"action_{i}_due_on"],
                delivery_owner=data.get(f"action_{i}_delivery_owner"),
            )
            for i in range(form.ACTION_ROWS)
            if data.get(f"action_{i}_description")
        ]
        try:
            review = services.record_review(
                actor=request.user,
                organisation=organisation,
                period_start=data["period_start"],
                period_end=data["period_end"],
                held_on=data["held_on"],
                attendees=data["attendees"],
                discussion=data["discussion"],
                decisions=[line for line in data["decisions"].splitlines() if line.strip()],
                actions=actions,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Review recorded.")
            return redirect("governance:review", slug=organisation.slug, pk=review.pk)
    return render(
        request,
        "governance/record_review.html",
        {"page_title": "Record a governance review", "organisation": organisation, "form": form},
    )


@login_required
def review_detail(request, slug, pk):
    organisation = _body(request, slug)
    review = get_object_or_404(selectors.reviews_for(organisation).select_related("recorded_by"), pk=pk)
    return render(
        request,
        "governance/review.html",
        {
            "page_title": str(review),
            "organisation": organisation,
            "review": review,
            "decisions": review.decisions.all(),
            "actions": review.actions.select_related("owner", "improvement_action"),
            "can_govern": has_capability(request.user, Cap.GOVERN, organisation.pk),
            "status_form": DecisionStatusForm(),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def decision(request, slug, pk):
    organisation = _body(request, slug, Cap.GOVERN)
    item = get_object_or_404(Decision, pk=pk, review__organisation=organisation)
    form = DecisionStatusForm(request.POST)
    if form.is_valid():
        services.update_decision(
            actor=request.user, decision=item, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
        messages.success(request, "Decision updated.")
    return redirect("governance:review", slug=organisation.slug, pk=item.review_id)


@login_required
def volumes(request, slug):
    organisation = _body(request, slug, Cap.GOVERN)
    form = VolumeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.record_interaction_volume(
            actor=request.user,
            organisation=organisation,
            month=form.cleaned_data["month"],
            count=form.cleaned_data["count"],
        )
        messages.success(request, "Interaction volume saved.")
        return redirect("governance:volumes", slug=organisation.slug)
    return render(
        request,
        "governance/volumes.html",
        {
            "page_title": "Monthly interaction volumes",
            "organisation": organisation,
            "form": form,
            "volumes": InteractionVolume.objects.filter(organisation=organisation).order_by("-month")[:36],
        },
    )


# ---- the review pack ----------------------------------------------------------------------------------


def pack_context(request, organisation: Organisation, period) -> dict:
    figures = selectors.dashboard_figures([organisation.pk], period.start, period.end)
    tables = dashboard_tables(figures)
    ids = [organisation.pk]
    today = timezone.localdate()
    learning = {
        # Emerging in the period's last month, compared with the six months before it.
        "emerging_themes": learning_selectors.emerging_themes(ids, period.end),
        "overdue_actions": list(learning_selectors.overdue_actions(ids, today)),
    }
    return {
        "page_title": f"Governance review pack: {organisation.name}",
        "organisation": organisation,
        "period": period,
        "generated_at": timezone.localtime(),
        "figures": figures,
        "tables": tables,
        "charts": dashboard_charts(figures, tables),
        "rhythm": selectors.review_rhythm(ids).get(organisation.pk),
        "decisions": selectors.earlier_decisions(organisation),
        # Every action from earlier reviews with its improvement action's current status. Overdue ones are
        # also in learning.overdue_actions (they are improvement actions), listed there once.
        "review_actions": selectors.earlier_review_actions(organisation),
        "learning": learning,
        "ombudsman_cases": selectors.ombudsman_cases(ids, period.start, period.end),
        "notable_cases": selectors.notable_cases(ids, period.start, period.end),
        "query": urlencode({"start": period.start, "end": period.end}),
    }


def render_pack(request, organisation, period, *, for_pdf: bool) -> str:
    context = pack_context(request, organisation, period)
    context["for_pdf"] = for_pdf
    return render_to_string("governance/pack.html", context, request=request)


@login_required
def pack(request, slug):
    organisation = _body(request, slug)
    return HttpResponse(render_pack(request, organisation, _period(request), for_pdf=False))


PACK_CSS = Path(__file__).parent / "static" / "governance" / "pack.css"


@login_required
def pack_pdf(request, slug):
    from weasyprint import CSS, HTML

    organisation = _body(request, slug)
    period = _period(request)
    html = render_pack(request, organisation, period, for_pdf=True)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[CSS(filename=str(PACK_CSS))]
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-review-pack-{period.start}-{period.end}.pdf"'
    )
    return response
