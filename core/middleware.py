"""Project middleware."""

from django.core.exceptions import SuspiciousOperation
from django.utils.cache import patch_cache_control

from .errors import error_response, is_api_request


class NulBytesRejectMiddleware:
    """Refuse a URL or query string that carries a NUL character, before any view runs.

    No page takes one legitimately, and PostgreSQL text cannot hold one: a lookup with it
    fails with a database error (a 500) instead of "nothing found". Forms already refuse NUL
    in POSTed fields (Django's ProhibitNullCharactersValidator); this covers paths and GET.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            if is_api_request(request):
                return error_response("bad_request", "The address contains a character that is not allowed.")
            raise SuspiciousOperation("NUL character in the URL or query string")
        return self.get_response(request)


class SignedInPagesNoStoreMiddleware:
    """Keep every page shown to a signed-in visitor out of caches unless the view chose otherwise.

    Signed-in pages show account details, and allauth.mfa's set-up page shows the new TOTP key:
    a shared or back-button cache must not keep a copy (ASVS 8.2.1). Static files never get
    here (WhiteNoise answers above this middleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
