"""Demo reporting: the Vehicle Licensing Agency's published report for last financial year, with the
governing body's response. Added to `candour.demo.data.EXTENDERS` from ReportingConfig.ready(); safe to run
again (nothing is made when a version is already published)."""

from __future__ import annotations

from django.utils import timezone

from candour.reporting import selectors, services
from candour.reporting.models import PublishedReport

RESPONSE = (
    "The Agency's board reviewed this report at its meeting in May. It welcomes the faster stage 1 responses "
    "and asks for a quarterly update on the improvements still in progress, starting with payment failures."
    "\n\nThe board accepts the report and its self-assessment."
)


def build(orgs: dict, people: dict, out=None) -> int:
    vla = orgs.get("vla")
    if vla is None:
        return 0
    year = selectors.financial_year(timezone.localdate()) - 1
    if PublishedReport.objects.filter(organisation=vla, year=year, consolidated=False).exists():
        return 0
    leader = people.get("vla.leader")
    details = selectors.details_for(vla, year)
    if not details.governing_body_response:
        services.save_details(actor=leader, organisation=vla, year=year, interactions=details.interactions or 250000,
                              governing_body_response=RESPONSE)  # fmt: skip
    services.publish_report(actor=leader, organisation=vla, year=year)
    if out is not None:
        out.write(f"Published the Vehicle Licensing Agency's annual report for {selectors.year_label(year)}\n")
    return 1
