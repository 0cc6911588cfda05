from django_tasks import task

from candour.notifications import services


@task()
def send_message(message_id: int) -> str:
    """Send one message from the outbox (see `services.send_message`)."""
    return services.send_message(message_id)
