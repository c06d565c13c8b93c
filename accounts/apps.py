from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from . import emails, signals  # noqa: F401 - signals; the e-mail change renderers
