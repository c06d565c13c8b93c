from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core"

    def ready(self):
        # `checks` registers the rate-format check. `eager` connects the after-response task runner
        # to the request signals now, not when a task class is first built (maybe mid-request);
        # `beat` connects the embedded default's beat to the first request.
        from . import beat, checks, eager  # noqa: F401
