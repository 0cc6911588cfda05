from candour.governance import services
from candour.scheduling import DAILY, sweep


@sweep("governance.missed_reviews", every=DAILY)
def flag_missed_reviews():
    return f"{services.flag_missed_reviews()} missed-review e-mail(s) queued"
