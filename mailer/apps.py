from django.apps import AppConfig


class MailerConfig(AppConfig):
    name = "mailer"
    verbose_name = "Outgoing e-mail"

    def ready(self):
        from . import signals  # noqa: F401
