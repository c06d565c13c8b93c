from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "App API"

    def ready(self):
        from . import emails, schema  # noqa: F401 - outbox renderer, OpenAPI auth extension
