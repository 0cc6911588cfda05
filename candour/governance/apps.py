from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "candour.governance"

    def ready(self):
        from candour.demo.data import EXTENDERS
        from candour.governance import demo, sweeps  # noqa: F401 - registers the missed-review sweep

        if demo.extend not in EXTENDERS:
            EXTENDERS.append(demo.extend)
