from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support"

    def ready(self):
        from anymail.signals import inbound

        from . import emails  # noqa: F401 - registers the ticket e-mail renderers
        from .inbound import anymail_inbound_received

        inbound.connect(anymail_inbound_received, dispatch_uid="support.inbound")
