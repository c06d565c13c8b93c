"""E-mail: an SMTP server from EMAIL_URL, an anymail provider, or the dev outbox folder."""

from .env import BASE_DIR, env

DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Vault <no-reply@vault.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_OUTBOX_DIR = env.path("EMAIL_OUTBOX_DIR", default=BASE_DIR / "var" / "mail")
EMAIL_TIMEOUT = 10

EMAIL_URL = env("EMAIL_URL", default="")
ANYMAIL_PROVIDER = env("ANYMAIL_PROVIDER", default="")

if EMAIL_URL:
    vars().update(env.email_url("EMAIL_URL"))
elif ANYMAIL_PROVIDER:
    EMAIL_BACKEND = f"anymail.backends.{ANYMAIL_PROVIDER}.EmailBackend"
    ANYMAIL = {
        f"{ANYMAIL_PROVIDER.upper()}_API_KEY": env("ANYMAIL_API_KEY", default=""),
        "WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default=""),
    }
else:
    EMAIL_BACKEND = "mailer.backends.OutboxFolderBackend"
