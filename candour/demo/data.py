"""The demo world: a department, three related organisations in different UK nations, teams, and a
colleague in every role. Later capabilities add their demo data through `EXTENDERS`."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from candour.organisations import services as org_services
from candour.organisations.models import Kind, Nation, Organisation
from candour.organisations.roles import Role

DEMO_PASSWORD = "candour-demo-password"

ORGANISATIONS = [
    # slug, name, Welsh name, kind, parent slug, nation, Welsh service
    (
        "dps",
        "Department for Public Services",
        "Adran Gwasanaethau Cyhoeddus",
        Kind.DEPARTMENT,
        None,
        Nation.ENGLAND,
        True,
    ),
    (
        "vla",
        "Vehicle Licensing Agency",
        "Asiantaeth Trwyddedu Cerbydau",
        Kind.EXECUTIVE_AGENCY,
        "dps",
        Nation.WALES,
        True,
    ),
    ("sgb", "Scottish Grants Board", "", Kind.NDPB, "dps", Nation.SCOTLAND, False),
    ("nirs", "Northern Ireland Records Service", "", Kind.OTHER_ALB, "dps", Nation.NORTHERN_IRELAND, False),
]
TEAMS = {
    "dps": ["Policy and Guidance", "Customer Contact"],
    "vla": ["Licensing Operations", "Customer Services"],
    "sgb": ["Grant Payments", "Applications"],
    "nirs": ["Records Requests", "Digital Services"],
}

# username, first, last, organisation slug, roles
PEOPLE = [
    ("admin", "Asha", "Admin", "dps", [Role.SYSTEM_ADMIN]),
    ("oversight", "Owen", "Oversight", "dps", [Role.PARENT_OVERSIGHT]),
    ("dps.manager", "Mina", "Manager", "dps", [Role.COMPLAINTS_MANAGER]),
    ("dps.handler", "Harri", "Handler", "dps", [Role.COMPLAINT_HANDLER]),
    ("dps.leader", "Leah", "Leader", "dps", [Role.SENIOR_LEADER]),
    ("vla.handler", "Huw", "Hughes", "vla", [Role.COMPLAINT_HANDLER]),
    ("vla.handler2", "Ffion", "Jones", "vla", [Role.COMPLAINT_HANDLER]),
    ("vla.investigator", "Iwan", "Evans", "vla", [Role.INVESTIGATOR]),
    ("vla.manager", "Megan", "Morgan", "vla", [Role.COMPLAINTS_MANAGER]),
    ("vla.leader", "Llinos", "Lewis", "vla", [Role.SENIOR_LEADER]),
    ("vla.board", "Gareth", "Board", "vla", [Role.GOVERNANCE_MEMBER]),
    ("vla.trainer", "Tomos", "Trainer", "vla", [Role.TRAINER]),
    ("sgb.handler", "Hamish", "Henderson", "sgb", [Role.COMPLAINT_HANDLER]),
    ("sgb.investigator", "Isla", "Irvine", "sgb", [Role.INVESTIGATOR]),
    ("sgb.manager", "Morag", "McLeod", "sgb", [Role.COMPLAINTS_MANAGER]),
    ("sgb.leader", "Lachlan", "Lindsay", "sgb", [Role.SENIOR_LEADER]),
    ("nirs.handler", "Niamh", "Nolan", "nirs", [Role.COMPLAINT_HANDLER]),
    ("nirs.investigator", "Ciaran", "Kelly", "nirs", [Role.INVESTIGATOR]),
    ("nirs.manager", "Orla", "Murphy", "nirs", [Role.COMPLAINTS_MANAGER]),
    ("nirs.leader", "Declan", "Doyle", "nirs", [Role.SENIOR_LEADER]),
]

# Later capabilities append functions(organisations: dict[str, Organisation], people: dict[str, User], out)
EXTENDERS: list[Callable] = []


def build(out=None, complaints: int = 2000) -> dict:
    """Create whatever of the demo world is missing. Safe to run again."""
    User = get_user_model()
    with transaction.atomic():
        orgs: dict[str, Organisation] = {}
        for slug, name, name_cy, kind, parent_slug, nation, welsh in ORGANISATIONS:
            org = Organisation.objects.filter(slug=slug).first()
            if org is None:
                org = org_services.create_organisation(
                    actor=None,
                    slug=slug,
                    name=name,
                    name_cy=name_cy,
                    kind=kind,
                    parent=orgs.get(parent_slug),
                    nation=nation,
                    welsh_language_service=welsh,
                    accepts_complaints=True,
                )
            orgs[slug] = org
        for slug, team_names in TEAMS.items():
            for team_name in team_names:
                team_slug = f"{slug}-{team_name.lower().replace(' ', '-')}"
                if not Organisation.objects.filter(slug=team_slug).exists():
                    org_services.create_organisation(
                        actor=None, slug=team_slug, name=team_name, kind=Kind.TEAM, parent=orgs[slug]
                    )
        if not orgs["vla"].closure_days.exists():
            org_services.add_closure_day(
                actor=None,
                organisation=orgs["vla"],
                date=datetime.date(2026, 12, 29),
                reason="Office closure between Christmas and New Year",
            )
        people = {}
        password_hash = make_password(DEMO_PASSWORD)  # hashed once: the strong hasher is deliberately slow
        for username, first, last, org_slug, roles in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@{org_slug}.example.gov.uk",
                    password=password_hash,
                    is_staff=username == "admin",
                    is_superuser=username == "admin",
                )
            for role in roles:
                org_services.add_membership(actor=None, user=user, organisation=orgs[org_slug], role=role)
            people[username] = user
    from candour.demo import complaints as demo_complaints

    demo_complaints.build(orgs, people, out, count=complaints)
    for extend in EXTENDERS:
        extend(orgs, people, out)
    return {"organisations": orgs, "people": people}
