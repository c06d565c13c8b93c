from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MailerConfig(AppConfig):
    name = "mailer"
    verbose_name = "Outgoing e-mail"

    def ready(self):
        from . import signals  # noqa: F401

        # Every app's `emails.py` declares its kinds (mailer/registry.py): load them all, in
        # every process, before anything queues, sends or labels an e-mail.
        autodiscover_modules("emails")
