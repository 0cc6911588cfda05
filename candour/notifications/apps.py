from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "candour.notifications"

    def ready(self):
        from candour.notifications import sweeps  # noqa: F401 - registers the retry sweep
