from candour.scheduling import DAILY, sweep


@sweep("privacy.retention", every=DAILY)
def retention():
    from candour.privacy.services import apply_retention_schedule

    return apply_retention_schedule()
