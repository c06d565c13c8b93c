"""One JSON shape for every API error: `{"error": code, "detail": text}`."""

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import error_body

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An error with a stable machine-readable code, a sentence for people and optional extra fields."""

    def __init__(self, *, code: str, detail: str, status_code: int = status.HTTP_400_BAD_REQUEST, **extra):
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.error_code = code
        self.extra = extra


_CODES = {
    exceptions.NotAuthenticated: ("not_authenticated", "Sign in on this device first (send its token)."),
    exceptions.AuthenticationFailed: ("token_invalid", "This device token is not valid. Sign in again."),
    exceptions.PermissionDenied: ("forbidden", "This device may not do that."),
    exceptions.NotFound: ("not_found", "Nothing here."),
    exceptions.MethodNotAllowed: ("method_not_allowed", "This method is not allowed here."),
    exceptions.NotAcceptable: ("not_acceptable", "This API answers in JSON only."),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "Send the request body as JSON."),
    exceptions.ParseError: ("malformed_request", "The request body is not valid JSON."),
}


def _validation_text(data, prefix: str = "") -> str:
    if isinstance(data, dict):
        parts = [
            _validation_text(value, f"{prefix}{key}." if prefix else f"{key}") for key, value in data.items()
        ]
        return "; ".join(p for p in parts if p)
    if isinstance(data, list):
        texts = [_validation_text(item, prefix) for item in data]
        return "; ".join(t for t in texts if t)
    label = prefix.rstrip(".")
    if label in ("", "non_field_errors"):
        return str(data)
    return f"{label}: {data}"


def api_exception_handler(exc, context):
    """Answer every exception raised in an API view with the one error shape (never HTML)."""
    from rest_framework.views import exception_handler  # here: DRF's views import our auth class

    if isinstance(exc, ApiError):
        response = Response(error_body(exc.error_code, str(exc.detail), **exc.extra), status=exc.status_code)
        if exc.status_code == status.HTTP_401_UNAUTHORIZED:
            response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    if isinstance(exc, exceptions.ValidationError):
        return Response(error_body("invalid", _validation_text(exc.detail)), status=400)
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 60)
        response = Response(
            error_body("rate_limited", f"Too many attempts. Try again in {wait} seconds."), status=429
        )
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("request_too_large", "The request body is too large."), status=413)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", "The request could not be understood."), status=400)
    for klass, (code, detail) in _CODES.items():
        if isinstance(exc, klass):
            response = exception_handler(exc, context)
            response.data = error_body(code, detail)
            return response
    if isinstance(exc, exceptions.APIException):
        response = exception_handler(exc, context)
        response.data = error_body(exc.default_code, str(exc.detail))
        return response
    logger.exception("Unexpected error in the app API")
    return Response(
        error_body("server_error", "Something went wrong on our side. Try again in a moment."), status=500
    )


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """JSON 404 for any unknown path under /api/v1/."""
    return JsonResponse(error_body("not_found", "There is no API endpoint at this address."), status=404)
