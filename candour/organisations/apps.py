from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "candour.organisations"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from candour.organisations.models import ClosureDay, Organisation
        from candour.organisations.selectors import forget_intake_targets

        for model in (Organisation, ClosureDay):
            post_save.connect(forget_intake_targets, sender=model, dispatch_uid=f"intake-{model.__name__}-save")
            post_delete.connect(forget_intake_targets, sender=model, dispatch_uid=f"intake-{model.__name__}-delete")
