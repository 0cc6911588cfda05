from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "candour.complaints"

    def ready(self):
        from candour.complaints import notify, services, signals, sweeps  # noqa: F401 - sweeps registers itself

        # Complainant e-mails (notify.py): once each, queued in the change's transaction, sent after commit.
        signals.complaint_transitioned.connect(notify.on_transitioned, dispatch_uid="complaints.notify.acknowledge")
        if notify.extension not in services.EXTENSION_HOOKS:
            services.EXTENSION_HOOKS.append(notify.extension)
        if notify.response not in services.RESPONSE_HOOKS:
            services.RESPONSE_HOOKS.append(notify.response)
