"""Demo governance: a governance body and rhythm for each demo organisation, monthly interaction volumes,
past reviews with decisions and accountable actions (learning improvement actions, one moved along), and the
department's thresholds. Idempotent: nothing is added once the demo organisations have governance bodies."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from candour.governance import services
from candour.governance.models import DecisionStatus, GovernanceBody, Indicator, Rhythm
from candour.governance.periods import add_months, previous_quarter, quarter_containing
from candour.learning import services as learning

BODIES = {
    # slug: (name, rhythm, monthly interactions, reviews to record)
    "dps": ("Departmental Audit and Risk Committee", Rhythm.QUARTERLY, 6000, 2),
    "vla": ("Customer Experience Board", Rhythm.QUARTERLY, 45000, 2),
    "sgb": ("Board of the Scottish Grants Board", Rhythm.QUARTERLY, 4000, 2),
    # No review recorded for two quarters: the missed-review flag has something to show.
    "nirs": ("Records Service Management Board", Rhythm.QUARTERLY, 2500, 0),
}


def extend(orgs: dict, people: dict, out=None) -> None:
    if GovernanceBody.objects.filter(organisation__slug__in=BODIES).exists():
        return
    today = timezone.localdate()
    rng = random.Random(6)
    with transaction.atomic():
        for slug, (name, rhythm, monthly, review_count) in BODIES.items():
            org = orgs.get(slug)
            if org is None:
                continue
            leader = people.get(f"{slug}.leader")
            manager = people.get(f"{slug}.manager") or leader
            services.set_governance_body(
                actor=None,
                organisation=org,
                name=name,
                rhythm=rhythm,
                accountable_leader=leader,
                since=add_months(today, -9),
            )
            month = datetime.date(today.year - 2, 4, 1)
            while month <= today:
                count = int(monthly * rng.uniform(0.85, 1.15))
                services.record_interaction_volume(actor=None, organisation=org, month=month, count=count)
                month = add_months(month, 1)
            period = previous_quarter(today)
            earlier = previous_quarter(period.start)
            reviews = []
            for index, reviewed in enumerate([earlier, period][:review_count]):
                held_on = min(today, reviewed.end + datetime.timedelta(days=20))
                review = services.record_review(
                    actor=None,
                    organisation=org,
                    period_start=reviewed.start,
                    period_end=reviewed.end,
                    held_on=held_on,
                    attendees=f"{leader.get_full_name()} (chair, senior leader)\n{manager.get_full_name()} "
                    "(complaints manager)\nTwo non-executive members",
                    discussion=(
                        "The board reviewed the quarter's figures. Stage 1 timeliness dipped in the busiest month; "
                        "delays in call-backs were the most common theme. The board asked for the learning from "
                        "upheld stage 2 complaints to be shared with operational teams."
                        if index == 0
                        else "Timeliness recovered after the call-back changes. The board noted one Ombudsman "
                        "case still open and reviewed progress on earlier decisions."
                    ),
                    decisions=[
                        "Introduce a call-back tracker in customer contact",
                        "Report stage 2 learning to operational teams each month",
                    ]
                    if index == 0
                    else ["Review redress bands against the Ombudsman's guidance"],
                    actions=[
                        services.ActionInput(
                            description="Introduce a call-back tracker and report its use to the next review"
                            if index == 0
                            else "Bring revised redress bands to the next review",
                            owner=leader or manager,
                            due_on=held_on + datetime.timedelta(days=45 if index == 0 else 60),
                            delivery_owner=manager,
                        )
                    ],
                )
                reviews.append(review)
            if reviews:
                first = reviews[0].decisions.order_by("id").first()
                services.update_decision(
                    actor=None, decision=first, status=DecisionStatus.DONE, note="Tracker live in all teams"
                )
                # The earlier review's action is an improvement action: agreed and under way by the next pack.
                improvement = reviews[0].actions.get().improvement_action
                for name in ("agree", "start"):
                    improvement = learning.transition_action(actor=None, action=improvement, name=name)
        if "dps" in orgs:
            services.set_threshold(actor=None, department=orgs["dps"], indicator=Indicator.STAGE1_ON_TIME, value=80)
            services.set_threshold(actor=None, department=orgs["dps"], indicator=Indicator.ACK_ON_TIME, value=90)
    if out is not None:
        out.write("Governance bodies, reviews and interaction volumes added.\n")


__all__ = ["extend", "quarter_containing"]
