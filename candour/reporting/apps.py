from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "candour.reporting"
    verbose_name = "Reporting"

    def ready(self):
        from candour.demo.data import EXTENDERS
        from candour.reporting import demo

        if demo.build not in EXTENDERS:
            EXTENDERS.append(demo.build)
