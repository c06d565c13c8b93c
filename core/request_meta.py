"""Who sent a request: client IP (proxy-aware, via allauth's setting) and user agent."""

from allauth.account.adapter import get_adapter
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address, trusting only the configured number of proxies."""
    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # noqa: BLE001 - a malformed X-Forwarded-For must not break a page
        return request.META.get("REMOTE_ADDR")


def user_agent(request: HttpRequest) -> str:
    """Return the request's user agent, cut to what we store."""
    return request.META.get("HTTP_USER_AGENT", "")[:300]
