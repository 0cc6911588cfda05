"""The feedback app asks investigations who else to survey and whether contact is restricted."""

import datetime

import pytest

from candour.complaints import services as complaint_services
from candour.feedback import services as feedback_services
from candour.investigations import selectors
from candour.investigations.models import ContactRestriction, InvolvedColleague, RestrictionStatus
from candour.organisations.roles import Role

pytestmark = pytest.mark.django_db


def test_colleagues_complained_about_are_surveyed_and_restricted_contact_is_respected(tree, member):
    complaint, _ = complaint_services.create_complaint(
        actor=None, organisation=tree["agency"], channel="online", description="x", complainant_email="a@example.com"
    )
    colleague = member(Role.COMPLAINT_HANDLER, tree["agency"], username="complained-about")
    InvolvedColleague.objects.create(complaint=complaint, user=colleague, involvement="On the phone call",
                                     complained_about=True)  # fmt: skip
    involved = feedback_services.colleagues_involved(complaint)
    assert involved[colleague.pk][1] == "complained_about"
    assert not selectors.contact_restricted(complaint)
    leader = member(Role.SENIOR_LEADER, tree["agency"], username="leader")
    ContactRestriction.objects.create(
        complaint=complaint,
        written_contact_only=True,
        reasons="Repeated calls",
        approved_by=leader,
        starts_on=datetime.date(2026, 11, 1),
        review_on=datetime.date(2027, 2, 1),
        status=RestrictionStatus.ACTIVE,
    )
    assert selectors.contact_restricted(complaint)
    assert feedback_services.contact_restricted(complaint)
    ContactRestriction.objects.filter(complaint=complaint).update(status=RestrictionStatus.LAPSED)
    assert not feedback_services.contact_restricted(complaint)


def test_the_response_letter_carries_contributed_parts_and_large_print(tree, member):
    from candour.complaints.letters import render_letter_html
    from candour.investigations.models import ComplaintPartner, LetterAdjustments, PartnerStatus

    complaint, _ = complaint_services.create_complaint(
        actor=None, organisation=tree["agency"], channel="online", description="x", complainant_name="Ann"
    )
    response = complaint_services.save_response(actor=None, complaint=complaint, understanding="We understood.")
    ComplaintPartner.objects.create(
        complaint=complaint,
        organisation=tree["sibling"],
        question="Your part?",
        part_text="We checked our records.",
        status=PartnerStatus.CONTRIBUTED,
    )
    LetterAdjustments.objects.create(complaint=complaint, large_print=True)
    html = render_letter_html(complaint, response)
    assert "From Sibling Body" in html and "We checked our records." in html
    assert "font-size: 18pt" in html


def test_a_post_only_adjustment_refuses_an_emailed_response(tree):
    from django.core.exceptions import ValidationError

    from candour.investigations.models import LetterAdjustments

    complaint, _ = complaint_services.create_complaint(
        actor=None,
        organisation=tree["agency"],
        channel="online",
        description="x",
        complainant_name="Ann",
        complainant_email="ann@example.com",
        points=[complaint_services.PointInput("Late", "Sorry")],
    )
    complaint_services.transition(actor=None, complaint=complaint, name="start_early_resolution")
    complaint_services.update_point(actor=None, point=complaint.points.get(), outcome="not_upheld")
    response = complaint_services.save_response(
        actor=None,
        complaint=complaint,
        outcome="not_upheld",
        understanding="u",
        what_was_investigated="w",
        how_it_was_investigated="h",
        decision_reasoning="d",
        impact="i",
        what_will_happen="n",
    )
    LetterAdjustments.objects.create(complaint=complaint, delivery="post", large_print=True)
    with pytest.raises(ValidationError, match="by post"):
        complaint_services.issue_response(actor=None, response=response, delivery_method="email", letter_html="x")
    complaint_services.issue_response(actor=None, response=response, delivery_method="post", letter_html="x")
    complaint.refresh_from_db()
    assert complaint.status == "resolved"
