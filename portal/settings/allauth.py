"""django-allauth: e-mail login, mandatory verification, no enumeration, rate limits."""

from .env import env

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Zero-knowledge: each form reads the auth key derived on the device (static/js/zk.js), never a password.
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 1
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = (
    "[Vault] "  # PRODUCT_NAME in brackets (tests/integration/test_email_subjects.py)
)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    # "Confirm it is you": wrong passwords or codes per user, as the portal's own re-authenticated
    # pages count them (ACCOUNT_REAUTH_RATE_PER_ACCOUNT below). allauth's default is 10 a minute.
    "reauthenticate": "10/h/user",
}
USERSESSIONS_TRACK_ACTIVITY = True
# "Confirm it is you" (before second-factor changes): the password or a second factor. Not
# allauth's e-mailed code (on by default since 65.x): the mailbox alone would then do, and the
# portal declares no e-mail kind for it.
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")

# "Someone tried to sign up with your address" e-mails (queued for every web or API sign-up of
# a taken address; the worker sends at most this many per address per window, from however
# many IPs, and cancels the rest: accounts.services.taken_notice_prepare).
SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS = env.str("SIGNUP_TAKEN_NOTICE_RATE_PER_ADDRESS", default="1/h")

# Our e-mail change (allauth's e-mail management pages answer 404): the confirmation link to
# the new address lives this long; the old address can undo the change for this many days;
# at most this many change attempts (right or wrong password) per account per hour.
EMAIL_CHANGE_LINK_TTL_MINUTES = env.int("EMAIL_CHANGE_LINK_TTL_MINUTES", default=24 * 60)
EMAIL_CHANGE_UNDO_DAYS = env.int("EMAIL_CHANGE_UNDO_DAYS", default=7)
EMAIL_CHANGE_RATE_PER_ACCOUNT = env.str("EMAIL_CHANGE_RATE_PER_ACCOUNT", default="5/h")

# Second factors (allauth.mfa, issue 15): authenticator app codes, recovery codes, passkeys.
MFA_ADAPTER = "accounts.mfa.MFAAdapter"  # the TOTP secret is encrypted at rest
# allauth.mfa's forms in the portal's words: an empty code says what to type
# (accounts.forms.CodeMissingMixin); a passkey's name is checked like every name others read
# (core.hidden_characters), and bounded.
MFA_FORMS = {
    "authenticate": "accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "accounts.forms.MfaReauthenticateForm",
    "activate_totp": "accounts.forms.ActivateTotpForm",
    "add_webauthn": "accounts.forms.PasskeyAddForm",
    "edit_webauthn": "accounts.forms.PasskeyRenameForm",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Vault")
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for clocks a little off
MFA_RECOVERY_CODE_COUNT = 10
MFA_RECOVERY_CODES_SHOW_ONCE = True
# "Trust this browser": skip the code on this browser for this many days (allauth's cookie).
MFA_TRUST_ENABLED = True
MFA_TRUST_COOKIE_AGE = 14 * 24 * 3600
# Only http://localhost in development and tests (dev.py, test.py) may register a passkey.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Code entry (sign-in step, re-authentication, activation, the reset link's factor step) counts
# in allauth's "login_failed" limit under the key mfa-auth-user-<id>: the "/key" part of
# ACCOUNT_RATE_LIMITS["login_failed"] above (5 wrong codes per 5 minutes per user), and
# 10 per minute per IP. Passkey sign-in has no per-account secret: allauth's default
# MFA_RATE_LIMITS {"webauthn_login": "10/m/ip"} (not set here: core.E001 reads *_RATE_* names).
# "Send the link again" on the check-your-inbox page, per address.
EMAIL_CONFIRMATION_RESEND_RATE = env.str("EMAIL_CONFIRMATION_RESEND_RATE", default="3/h")
# Re-authenticated account changes (hint, closing): wrong passwords per account.
ACCOUNT_REAUTH_RATE_PER_ACCOUNT = env.str("ACCOUNT_REAUTH_RATE_PER_ACCOUNT", default="10/h")
# Where the apps are downloaded (shown on the account page while no app is signed in).
APP_DOWNLOADS = [
    ("iPhone and iPad", "https://apps.apple.com/app/vault"),
    ("Android", "https://play.google.com/store/apps/details?id=example.vault"),
    ("Mac, Windows and Linux", "/help/articles/install-and-first-sign-in/"),
]
