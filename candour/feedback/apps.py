from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "candour.feedback"

    def ready(self):
        from candour.complaints import signals
        from candour.demo import data as demo_data
        from candour.feedback import demo, permissions, services, sweeps  # noqa: F401 - registers predicates, sweep

        # Colleagues involved are invited as soon as a complaint closes; the complainant after a delay (sweeps.py).
        signals.complaint_transitioned.connect(services.on_transitioned, dispatch_uid="feedback.colleague_invitations")
        if demo.build not in demo_data.EXTENDERS:
            demo_data.EXTENDERS.append(demo.build)
