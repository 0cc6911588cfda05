from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "candour.learning"
    verbose_name = "Learning"

    def ready(self):
        from candour.complaints import services as complaint_services
        from candour.complaints import states as complaint_states
        from candour.demo.data import EXTENDERS
        from candour.learning import (
            demo,
            permissions,
            services,
            sweeps,  # noqa: F401 - registers the overdue and weekly sweeps
        )

        permissions.register()
        if services.learning_missing_for_closure not in complaint_states.TRANSITIONS["close"].guards:
            complaint_states.add_guard("close", services.learning_missing_for_closure)
        if services.upheld_response_quotes_learning not in complaint_services.RESPONSE_CHECKS:
            complaint_services.RESPONSE_CHECKS.append(services.upheld_response_quotes_learning)
        if demo.build not in EXTENDERS:
            EXTENDERS.append(demo.build)
