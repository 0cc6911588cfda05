"""Demo data for People: defaults, training (some current, some expired, some due soon), acknowledgements,
practical examples and a debrief. Idempotent."""

from __future__ import annotations

import datetime

from django.utils import timezone

from candour.people import services
from candour.people.models import Acknowledgement, PracticalExample, SupportRecord, TrainingCompletion, TrainingModule


def _complete(user, org, code, completed_on, provider="Civil Service Learning"):
    module = TrainingModule.objects.get(organisation=org, code=code)
    if not TrainingCompletion.objects.filter(user=user, module=module).exists():
        services.record_completion(
            actor=None, user=user, module=module, completed_on=completed_on, provider=provider, evidence="CSL-DEMO"
        )


def build_demo(orgs, people, out=None) -> None:
    today = timezone.localdate()
    for org in orgs.values():
        services.ensure_defaults(org)
    vla = orgs["vla"]
    years_ago = today - datetime.timedelta(days=365 * 2 + 20)  # two-year refresh: expired 20 days ago
    due_soon = today - datetime.timedelta(days=365 * 2 - 15)  # expires in about two weeks
    recent = today - datetime.timedelta(days=60)
    plan = [
        ("vla.handler", "identifying-complaints", recent),
        ("vla.handler", "early-resolution", recent),
        ("vla.handler", "final-responses", due_soon),
        ("vla.handler", "challenging-conversations", recent),
        ("vla.handler", "learning-from-complaints", recent),
        ("vla.handler2", "identifying-complaints", years_ago),
        ("vla.handler2", "early-resolution", recent),
        ("vla.investigator", "investigating-complaints", due_soon),
        ("vla.investigator", "identifying-complaints", recent),
        ("vla.manager", "investigating-complaints", recent),
        ("vla.manager", "challenging-conversations", years_ago),
        ("vla.leader", "governance-senior-leaders", recent),
        ("sgb.investigator", "investigating-complaints", years_ago),
        ("nirs.investigator", "investigating-complaints", recent),
    ]
    for username, code, completed_on in plan:
        user = people[username]
        org = orgs[username.split(".")[0]]
        _complete(user, org, code, completed_on)
    for username in ("vla.handler", "vla.investigator", "vla.leader"):
        user = people[username]
        for responsibility in vla.role_responsibilities.filter(role__in=user.memberships.values("role")):
            if not Acknowledgement.objects.filter(user=user, responsibility=responsibility).exists():
                services.acknowledge(actor=user, responsibility=responsibility)
    if not PracticalExample.objects.filter(author=people["vla.handler"]).exists():
        services.record_example(
            actor=people["vla.handler"],
            organisation=vla,
            title="Spotted a pattern in licence renewal complaints",
            what_happened="Several people complained that renewal reminders arrived after their licence expired.",
            what_i_did="Logged the pattern and raised it with my manager instead of answering each one alone.",
            difference_made="The reminder letters are now sent six weeks earlier.",
            occurred_on=today - datetime.timedelta(days=40),
            related_complaint_reference="VLA-2026-0001",
        )
    if not PracticalExample.objects.filter(author=people["vla.leader"]).exists():
        example = services.record_example(
            actor=people["vla.leader"],
            organisation=vla,
            title="Thanked the team for a complaint that led to change",
            what_happened="A complaint showed our online form did not work with a screen reader.",
            what_i_did="Shared it at the all-staff meeting as a good catch and agreed funding for the fix.",
            difference_made="Colleagues now raise accessibility problems early.",
            occurred_on=today - datetime.timedelta(days=20),
        )
        services.approve_example(  # by a second person: nobody approves their own example
            actor=people["vla.manager"],
            example=example,
            anonymised_text="A senior leader shared a complaint about an inaccessible form as a good catch and "
            "agreed funding to fix it; colleagues now raise accessibility problems early.",
            approve=True,
        )
    handler = people["vla.handler2"]
    if not SupportRecord.objects.filter(colleague=handler).exists():
        services.record_support(
            actor=people["vla.manager"],
            colleague=handler,
            interaction_on=today - datetime.timedelta(days=6),
            debriefed_on=today - datetime.timedelta(days=5),
            interaction_kind="challenging_conversation",
            notes="A long call with a distressed caller. Talked through what went well and what was hard.",
            support_offered=["debrief", "time_away"],
        )
    if out is not None:
        out.write("People: training, acknowledgements, practical examples and a debrief.\n")
