"""Demo data for investigations (appended to `candour.demo.data.EXTENDERS`; safe to run again): redress bands,
sign-off settings, and a few Vehicle Licensing Agency investigations with plans, evidence, an initial view,
a quality review returned and then approved, and one contact restriction."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from candour.complaints import notify
from candour.complaints import services as complaint_services
from candour.complaints.models import Complaint
from candour.complaints.services import Declaration
from candour.investigations import services
from candour.investigations.models import CaseRole, InvestigationPlan, RedressBand, ReviewDecision, SignOff

BANDS = [
    ("worry_distress", "Low", "50", "150", "Short-lived worry or inconvenience."),
    ("worry_distress", "Moderate", "150", "500", "Sustained distress over weeks or months."),
    ("worry_distress", "Significant", "500", "1500", "Severe, lasting distress."),
    ("poor_handling", "Standard", "50", "250", "Delays or failures in how the complaint was handled."),
    ("financial_loss", "Evidenced loss", "1", "10000", "Actual loss, with evidence such as receipts."),
]


def build(orgs, people, out=None) -> None:
    vla = orgs["vla"]
    with transaction.atomic(), notify.suppressed():
        for organisation in orgs.values():
            for category, name, low, high, guidance in BANDS:
                if not RedressBand.objects.filter(organisation=organisation, category=category, name=name).exists():
                    services.save_band(
                        actor=None,
                        organisation=organisation,
                        category=category,
                        name=name,
                        minimum=Decimal(low),
                        maximum=Decimal(high),
                        guidance=guidance,
                    )
        if not services.settings_for(vla).pk:
            services.update_settings(actor=None, organisation=vla, sign_off=SignOff.INVESTIGATIONS)
        # Investigations are added to existing demo complaints (the demo's complaint count stays as asked).
        if not InvestigationPlan.objects.filter(complaint__organisation=vla).exists():
            candidates = (
                Complaint.objects.filter(organisation=vla, status__in=["acknowledged", "early_resolution", "resolved"])
                .exclude(stage1_handler__username__in=["vla.investigator", "vla.manager"])
                .filter(is_anonymous=False, points__isnull=False)
                .distinct()
                .order_by("-received_on", "id")[:2]
            )
            for number, complaint in enumerate(candidates):
                _case(complaint, people, number)
    if out is not None:
        out.write("Investigations demo data ready.\n")


def _case(complaint, people, number) -> None:
    investigator, manager, leader = people["vla.investigator"], people["vla.manager"], people["vla.leader"]
    vla = complaint.organisation
    today = complaint_services.today()
    name = complaint.complainant_name or "The complainant"
    key_issues = "\n\n".join(p.summary for p in complaint.points.all())
    services.record_involved_colleague(
        actor=manager,
        complaint=complaint,
        user=people["vla.handler2"],
        involvement="Handled the original application.",
        complained_about=True,
    )
    involved = complaint.involved_colleagues.get()
    services.record_colleague_told(
        actor=manager,
        involved=involved,
        told_on=today - datetime.timedelta(days=20),
        support_offered="Conversation with line manager; employee assistance programme.",
    )
    services.add_statement(
        actor=investigator,
        involved=involved,
        kind="account",
        given_on=today - datetime.timedelta(days=12),
        text="The application was held because the medical form was missing a signature.",
    )
    services.declare_conflict(
        actor=investigator, complaint=complaint, user=investigator, role=CaseRole.INVESTIGATOR, has_conflict=False
    )
    complaint_services.transition(
        actor=manager, complaint=complaint, name="escalate", reason="Not resolved at stage 1", investigator=investigator
    )
    complaint.refresh_from_db()
    services.save_plan(
        actor=investigator,
        complaint=complaint,
        key_issues=key_issues,
        outcome_sought=complaint.outcome_sought or "An apology and an explanation",
        confirmed_with_complainant_on=today - datetime.timedelta(days=9),
        approach="Review the application record and the e-mail inbox; interview the licensing officer.",
        information_needed="Evidence of lost earnings, if any.",
        people_to_speak_to="The licensing officer.",
        final_response_by="Head of Customer Services",
        target_date=complaint.response_due,
        update_every_days=7,
        is_complex=number == 0,
    )
    services.share_plan(actor=investigator, complaint=complaint, on=today - datetime.timedelta(days=9))
    services.log_update(
        actor=investigator,
        complaint=complaint,
        given_on=today - datetime.timedelta(days=3),
        given_to="The complainant",
        summary="Records reviewed; interview arranged.",
    )
    points = list(complaint.points.all())
    services.add_evidence(
        actor=investigator,
        complaint=complaint,
        kind="rule",
        title="Licensing service standard",
        rule_reference="Licensing Customer Charter 2024, section 3.1 (renewals within 10 working days)",
        point=points[0],
    )
    services.add_evidence(
        actor=investigator,
        complaint=complaint,
        kind="interview",
        title="Licensing officer",
        notes="Confirmed the form was set aside and not chased.",
        point=points[0],
    )
    for point in points:
        services.record_finding(
            actor=investigator,
            point=point,
            outcome="upheld",
            should_have_happened="Under the Licensing Customer Charter 2024, section 3.1, a renewal is decided within "
            "10 working days, and a missing signature is chased within 2 days.",
            what_happened="The application waited four months and the missing signature was not chased.",
            finding="Service failure: the renewal was not progressed.",
        )
    if number != 0:
        return
    view = services.share_initial_view(
        actor=investigator,
        complaint=complaint,
        text="Our initial view is that the delay was a service failure.",
        shared_with="The complainant",
        shared_on=today - datetime.timedelta(days=6),
        reply_by=today - datetime.timedelta(days=1),
    )
    services.record_reply(
        actor=investigator,
        view=view,
        party=name,
        from_complainant=True,
        text="I agree, and I lost two weeks' pay.",
        received_on=today - datetime.timedelta(days=2),
    )
    elements = {
        "understanding": "You complained that your renewal took four months and nobody replied to you.",
        "what_was_investigated": "The handling of your renewal and of your e-mails.",
        "how_it_was_investigated": "We reviewed the records and spoke to the licensing officer.",
        "decision_reasoning": "The Licensing Customer Charter 2024, section 3.1, says renewals are decided within 10 "
        "working days. Yours took four months. We uphold both points.",
        "impact": "You could not drive to work.",
        "what_will_happen": "We will chase missing signatures within 2 days and have changed our process.",
        "apology": "We are sorry. We failed to process your renewal on time, and we accept responsibility.",
        "outcome": "upheld",
    }
    response = complaint_services.save_response(actor=investigator, complaint=complaint, **elements)
    band = RedressBand.objects.get(organisation=vla, category="worry_distress", name="Moderate")
    services.add_banded_remedy(
        actor=investigator,
        complaint=complaint,
        band=band,
        amount=Decimal("250"),
        description="For the distress caused by four months' delay.",
        response=response,
    )
    review = services.request_review(
        actor=investigator, response=response, reviewer=manager, declaration=Declaration(has_conflict=False)
    )
    services.decide_review(
        actor=manager,
        review=review,
        decision=ReviewDecision.RETURNED,
        checklist={"balanced_account": True},
        comments="Say what you will learn from this.",
    )
    response = complaint_services.save_response(
        actor=investigator,
        complaint=complaint,
        what_will_happen=elements["what_will_happen"] + " We are sharing this with every licensing team as learning.",
    )
    review = services.request_review(actor=investigator, response=response, reviewer=manager)
    services.decide_review(
        actor=manager,
        review=review,
        decision=ReviewDecision.APPROVED,
        checklist=dict.fromkeys(services.CHECKLIST_NAMES, True),
    )
    incident = services.record_incident(
        actor=people["vla.handler2"],
        complaint=complaint,
        type="abusive",
        occurred_on=today - datetime.timedelta(days=4),
        description="Shouted and swore during a phone call.",
        impact_on_colleagues="The colleague was upset.",
    )
    services.record_support(
        actor=manager,
        complaint=complaint,
        user=people["vla.handler2"],
        kind="debrief",
        on=today - datetime.timedelta(days=3),
        notes="Debrief with the team leader.",
        incident=incident,
    )
    services.impose_restriction(
        actor=manager,
        complaint=complaint,
        approved_by=leader,
        reasons="Calls have included abusive language.",
        review_on=today + datetime.timedelta(days=90),
        written_contact_only=True,
        single_point_of_contact=investigator,
    )
