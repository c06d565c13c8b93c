from django.apps import AppConfig


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = "Community forums"

    def ready(self):
        from . import emails  # noqa: F401 - declares the e-mail kinds
