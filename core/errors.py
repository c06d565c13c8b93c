"""One JSON error shape for every JSON endpoint (API, chat, health): `{"error": code, "detail": text}`."""

from django.http import JsonResponse


def error_body(code: str, detail: str, **extra) -> dict:
    """Return the error body: a stable machine-readable code, a sentence for people, extra fields."""
    return {"error": code, "detail": detail, **extra}


def error_response(code: str, detail: str, *, status: int = 400, **extra) -> JsonResponse:
    """Return the error body as a JSON response with `status`."""
    return JsonResponse(error_body(code, detail, **extra), status=status)


def is_api_request(request) -> bool:
    """True for the app API (/api/...): its errors keep the JSON shape, even from Django's handlers."""
    return request.path.startswith("/api/")
