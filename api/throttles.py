"""Rate limits for the endpoints that take a password or a proof (shared through the cache)."""

import hashlib

from rest_framework.throttling import SimpleRateThrottle

from core.addresses import email_normalise
from core.ratelimit import client_ip_key, rate_parse
from core.request_meta import client_ip


class _Throttle(SimpleRateThrottle):
    """Counts requests per `ident(request)` (the client IP unless a subclass says otherwise)."""

    def parse_rate(self, rate):
        """Read the rate in the portal's one format ("10/m", "10/15m"), as core.ratelimit does."""
        if rate is None:
            return None, None
        return tuple(rate_parse(rate))

    def get_ident(self, request):
        return client_ip_key(client_ip(request))

    def ident(self, request) -> str | None:
        """What the requests are counted per; None lets the request through uncounted."""
        return self.get_ident(request)

    def get_cache_key(self, request, view):
        ident = self.ident(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}


class IPThrottle(_Throttle):
    """Per client IP; the scope is set by the subclass."""


class SignUpIPThrottle(IPThrottle):
    scope = "api_signup_ip"


class SignInIPThrottle(IPThrottle):
    scope = "api_signin_ip"


class SignInEmailThrottle(_Throttle):
    """Per e-mail address tried, whoever tries it (stops spreading guesses over many IPs)."""

    scope = "api_signin_email"

    def ident(self, request) -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email:
            return None
        return hashlib.sha256(email_normalise(email).encode()).hexdigest()


class PreloginIPThrottle(IPThrottle):
    scope = "api_prelogin_ip"


class PreloginEmailThrottle(SignInEmailThrottle):
    """Per address asked about, whoever asks."""

    scope = "api_prelogin_email"


class VerifyDeviceThrottle(_Throttle):
    """Per device: ownership proofs."""

    scope = "api_verify_device"

    def ident(self, request) -> str | None:
        device = request.auth
        return f"d{device.pk}" if device is not None else self.get_ident(request)
