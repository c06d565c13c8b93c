from django.apps import AppConfig


class ResetsConfig(AppConfig):
    name = "resets"
    verbose_name = "Account resets"
