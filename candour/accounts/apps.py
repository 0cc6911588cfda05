from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "candour.accounts"
    verbose_name = "Accounts"
