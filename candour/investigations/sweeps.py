"""Periodic work: contact restrictions lapse unless renewed; the approver is reminded before the review date."""

from candour.investigations import services
from candour.scheduling import DAILY, sweep


@sweep("investigations.restriction_reviews", every=DAILY)
def restriction_reviews():
    return {"reminded": services.remind_restriction_reviews(), "lapsed": services.lapse_restrictions()}
