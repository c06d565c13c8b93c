from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"

    def ready(self):
        from . import emails  # noqa: F401 - registers the ticket e-mail renderers
