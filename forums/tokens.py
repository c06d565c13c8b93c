"""One-click unsubscribe links: a signed follow id (no expiry: old e-mails keep working)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "forums.unsubscribe"


def unsubscribe_token(follow_id: int) -> str:
    return signing.dumps(follow_id, salt=SALT, compress=False)


def unsubscribe_follow_id(token: str) -> int | None:
    """Return the follow id signed in `token`, or None when it was not made by us."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def unsubscribe_url(follow_id: int) -> str:
    return f"{settings.SITE_URL}{reverse('forums:unsubscribe', args=[unsubscribe_token(follow_id)])}"
