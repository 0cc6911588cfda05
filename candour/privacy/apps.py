from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "candour.privacy"
    verbose_name = "Privacy (UK GDPR)"

    def ready(self):
        from candour.privacy import sweeps  # noqa: F401  (registers the retention sweep)
