from django.apps import AppConfig


class ResetsConfig(AppConfig):
    name = "resets"
    verbose_name = "Account resets"

    def ready(self):
        from . import emails  # noqa: F401 - registers the reset e-mail renderers
