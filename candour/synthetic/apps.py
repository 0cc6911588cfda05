from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "candour.synthetic"
    verbose_name = "Synthetic data"
