import datetime

from candour.notifications import services
from candour.scheduling import sweep


@sweep("notifications.retry", every=datetime.timedelta(minutes=1))
def retry_failed_messages():
    return f"{services.retry_failed_messages()} message(s) enqueued"
