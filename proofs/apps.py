from django.apps import AppConfig


class ProofsConfig(AppConfig):
    name = "proofs"
    verbose_name = "Owner proofs for support"

    def ready(self):
        from . import emails  # noqa: F401 - e-mail renderers
