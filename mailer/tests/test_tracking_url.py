import importlib

from django.test import override_settings
from django.urls import clear_url_caches, reverse

import portal.urls


def test_provider_tracking_webhooks_are_mounted_when_a_provider_is_configured():
    with override_settings(ANYMAIL_PROVIDER="postmark", ANYMAIL={"WEBHOOK_SECRET": "u:p"}):
        importlib.reload(portal.urls)
        clear_url_caches()
        assert reverse("anymail:postmark_tracking_webhook") == "/anymail/postmark/tracking/"
    importlib.reload(portal.urls)
    clear_url_caches()
