from django.apps import AppConfig


class ResetsConfig(AppConfig):
    name = "resets"
    verbose_name = "Account resets"

    def ready(self):
        from . import emails, signals  # noqa: F401 - e-mail renderers; receivers of accounts' signals
