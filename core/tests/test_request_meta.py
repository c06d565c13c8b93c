import pytest
from django.test import RequestFactory

from core.addresses import email_normalise
from core.request_meta import browser_describe, client_ip, place_approximate, user_agent


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


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0 Safari/537.36 Edg/126.0",
            "Edge on Mac",
        ),
        ("curl/8.5", ""),
        ("", ""),
    ],
)
def test_browser_describe(user_agent, described):
    assert browser_describe(user_agent) == described


def test_no_place_without_a_geoip_database(settings):
    settings.GEOIP_PATH = None
    assert place_approximate("203.0.113.7") == ""


def test_no_place_when_the_lookup_fails(settings):
    settings.GEOIP_PATH = "/nonexistent"
    assert place_approximate("203.0.113.7") == ""
