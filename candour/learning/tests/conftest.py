import datetime

import pytest

from candour.complaints import services as complaint_services
from candour.complaints.models import Channel
from candour.complaints.services import PointInput
from candour.learning.models import RootCause
from candour.organisations.models import ServiceArea
from candour.organisations.roles import Role


@pytest.fixture
def people(tree, member, django_user_model):
    agency = tree["agency"]
    made = {
        "handler": member(Role.COMPLAINT_HANDLER, agency, "handler"),
        "manager": member(Role.COMPLAINTS_MANAGER, agency, "manager"),
        "leader": member(Role.SENIOR_LEADER, agency, "leader"),
        "oversight": member(Role.PARENT_OVERSIGHT, tree["dept"], "oversight"),
        "dept_manager": member(Role.COMPLAINTS_MANAGER, tree["dept"], "dept_manager"),
        "sibling_manager": member(Role.COMPLAINTS_MANAGER, tree["sibling"], "sibling_manager"),
    }
    names = {"handler": ("Rhian", "Pritchard"), "manager": ("Megan", "Morgan"), "leader": ("Llinos", "Lewis")}
    for key, user in made.items():
        first, last = names.get(key, (key.title(), "Example"))
        user.first_name, user.last_name, user.email = first, last, f"{key}@agency.example.gov.uk"
        user.save()
    return made


@pytest.fixture
def area(tree):
    return ServiceArea.objects.create(organisation=tree["agency"], name="Vehicle tax")


@pytest.fixture
def cause(db):
    return RootCause.objects.get(organisation__isnull=True, name="Process")


@pytest.fixture
def make_complaint(tree, people, area):
    """make_complaint(outcome=None, received_on=...) -> a complaint; with an outcome, its response is issued."""

    def make(outcome=None, received_on=datetime.date(2026, 1, 5), organisation=None, service_area=area):
        handler = people["handler"]
        complaint, _ = complaint_services.create_complaint(
            actor=handler,
            organisation=organisation or tree["agency"],
            channel=Channel.ONLINE,
            description="My tax payment failed.",
            received_on=received_on,
            complainant_name="Alex Sample",
            complainant_email="alex@example.com",
            service_area=service_area,
            points=[PointInput("The payment failed", "A refund")],
        )
        complaint = complaint_services.assign(actor=handler, complaint=complaint, user=handler, stage=1)
        if outcome is None:
            return complaint
        complaint_services.transition(actor=handler, complaint=complaint, name="start_early_resolution")
        for point in complaint.points.all():
            complaint_services.update_point(actor=handler, point=point, outcome=outcome)
        response = complaint_services.save_response(
            actor=handler, complaint=complaint, outcome=outcome, understanding="u", what_was_investigated="w",
            how_it_was_investigated="h", decision_reasoning="d", impact="i", what_will_happen="x",
            apology="We are sorry." if outcome != "not_upheld" else "",
        )  # fmt: skip
        complaint_services.issue_response(actor=handler, response=response, delivery_method="email", letter_html="l")
        complaint.refresh_from_db()
        return complaint

    return make
