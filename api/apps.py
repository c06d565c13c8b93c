from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "App API"

    def ready(self):
        from . import emails  # noqa: F401 - registers the QR e-mail's outbox renderer
