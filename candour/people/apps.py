from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "candour.people"

    def ready(self):
        # Permission predicates (to be folded into candour.permissions), the reminder sweep and demo data.
        from candour.demo.data import EXTENDERS
        from candour.people import permissions, sweeps  # noqa: F401
        from candour.people.demo import build_demo

        if build_demo not in EXTENDERS:
            EXTENDERS.append(build_demo)
