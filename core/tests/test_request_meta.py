from django.test import RequestFactory

from core.addresses import email_normalise
from core.request_meta import client_ip, user_agent


def test_client_ip_trusts_no_forwarded_header_without_a_configured_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.7"


def test_user_agent_is_cut_to_what_we_store():
    request = RequestFactory().get("/", HTTP_USER_AGENT="A" * 500)
    assert user_agent(request) == "A" * 300
    assert user_agent(RequestFactory().get("/")) == ""


def test_email_normalise_trims_and_lowers():
    assert email_normalise("  Dana@Example.COM \n") == "dana@example.com"
