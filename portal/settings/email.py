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
else:
    EMAIL_BACKEND = "mailer.backends.OutboxFolderBackend"

# Webhooks at /anymail/ (mounted when a provider sends or receives): basic auth with
# ANYMAIL_WEBHOOK_SECRET ("user:password") on every one, plus the provider's own signature.
ANYMAIL = {"WEBHOOK_SECRET": env("ANYMAIL_WEBHOOK_SECRET", default="")}
if ANYMAIL_PROVIDER:
    ANYMAIL[f"{ANYMAIL_PROVIDER.upper()}_API_KEY"] = env("ANYMAIL_API_KEY", default="")

# Replies to ticket e-mails arrive through Mailgun's inbound route ("forward" to
# https://<site>/anymail/mailgun/inbound/, see README): set its webhook signing key to turn it on.
MAILGUN_WEBHOOK_SIGNING_KEY = env("MAILGUN_WEBHOOK_SIGNING_KEY", default="")
if MAILGUN_WEBHOOK_SIGNING_KEY:
    ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] = MAILGUN_WEBHOOK_SIGNING_KEY
INBOUND_EMAIL_WEBHOOK = bool(MAILGUN_WEBHOOK_SIGNING_KEY)
# Embedded default: the local inbound SMTP listener (`manage.py inbound_smtp`, started by
# `make run`); the dev outbox page's "Reply" form sends to it.
INBOUND_SMTP_HOST = env.str("INBOUND_SMTP_HOST", default="127.0.0.1")
INBOUND_SMTP_PORT = env.int("INBOUND_SMTP_PORT", default=2525)
