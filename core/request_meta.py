"""Who sent a request: client IP (proxy-aware, via allauth's setting) and user agent."""

import ipaddress

from allauth.core.internal.httpkit import clean_client_ip
from allauth.core.internal.httpkit import get_client_ip as forwarded_client_ip
from django.conf import settings
from django.http import HttpRequest


def _from_our_proxy(peer: str | None) -> bool:
    """True when the connection came from an address in TRUSTED_PROXY_NETWORKS (our proxy)."""
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in settings.TRUSTED_PROXY_NETWORKS)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's IP address: the one rule of every page, limit, audit row and socket
    (allauth's adapter reads it too, `AccountAdapter.get_client_ip`).

    X-Forwarded-For is read as allauth does (the entry ALLAUTH_TRUSTED_PROXY_COUNT from the end)
    only when the connection came from our proxy (TRUSTED_PROXY_NETWORKS): a portal reached
    directly would otherwise let every client write its own address there.
    """
    peer = request.META.get("REMOTE_ADDR")
    if not _from_our_proxy(peer):
        return clean_client_ip(peer) if peer else None
    try:
        return forwarded_client_ip(request)
    except Exception:  # noqa: BLE001 - a malformed X-Forwarded-For must not break a page
        return clean_client_ip(peer)


def user_agent(request: HttpRequest) -> str:
    """Return the request's user agent, cut to what we store."""
    return request.META.get("HTTP_USER_AGENT", "")[:300]


_BROWSERS = (  # the first token found names the browser (Edge and Opera also say "Chrome")
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS = (
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Macintosh", "Mac"),
    ("Linux", "Linux"),
)


def browser_describe(user_agent: str) -> str:
    """Name a browser as people do ("Firefox on Windows") from its user agent; "" when unknown."""
    user_agent = user_agent or ""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def place_approximate(ip: str | None) -> str:
    """The approximate place of `ip` ("Lyon, France") from Django's GeoIP2; "" unless GEOIP_PATH is set.

    The `geoip2` package and a MaxMind database are optional (deploy/README): the import waits
    until a database is configured, and any failure (private address, missing data) gives "".
    """
    if not ip or not getattr(settings, "GEOIP_PATH", None):
        return ""
    try:
        from django.contrib.gis.geoip2 import GeoIP2

        found = GeoIP2().city(ip)
    except Exception:  # noqa: BLE001 - an unknown address or a missing database: no place
        return ""
    return ", ".join(part for part in (found.get("city"), found.get("country_name")) if part)
