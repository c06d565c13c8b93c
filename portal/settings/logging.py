"""Logging to stderr, with a filter that scrubs anything that looks like a secret.

Every handler carries the scrub filter. Django's own default handlers (its `console` with
`require_debug_true`, `mail_admins`, and runserver's `django.server`) are replaced here, so
that no log line, the dev run log included, carries a link token.
"""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "scrub_secrets": {"()": "core.logfilters.ScrubSecretsFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "null": {"class": "logging.NullHandler"},
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["scrub_secrets"],
        },
        # runserver's request lines ("GET /reset/link/<token>/ ..."): the dev run log.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["scrub_secrets"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "scrub_secrets"],
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # A request naming a host not in ALLOWED_HOSTS: Django logs it at ERROR with a traceback
        # (and mails the admins). Behind a proxy that is every scanner on the internet; the client
        # is answered 400 and nothing of ours went wrong (Django's documented way to silence it).
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
        # fido2 logs a passkey's credential id at INFO on every check: an identifier, kept out.
        "fido2": {"level": "WARNING"},
    },
}
