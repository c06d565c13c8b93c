"""Project-wide pages: home, the account overview (it composes accounts and resets), health check, errors."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render

from accounts.second_factors import second_factor_summary
from accounts.selectors import account_for_user, devices_active, security_events_recent
from core.errors import error_response, is_api_request
from resets.selectors import reset_completed_recent, reset_request_pending

from .celery import app as celery_app


def home(request):
    return render(request, "home.html")


@login_required
def account_home(request):
    account = account_for_user(request.user)
    if account is None:
        return redirect("home")
    devices = list(devices_active(account))
    return render(
        request,
        "accounts/home.html",
        {
            "account": account,
            "license": account.license,
            "devices": devices,
            "app_downloads": settings.APP_DOWNLOADS if not devices else [],
            "events": security_events_recent(account),
            "pending_resets": [r for r in [reset_request_pending(account)] if r is not None],
            "second_factors": second_factor_summary(request.user),
            "recent_reset": reset_completed_recent(account),
        },
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    if celery_app.conf.task_always_eager:
        return True
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # noqa: BLE001
        return False


def healthz(request):
    """Report database and broker reachability: 200 when both answer, else 503."""
    checks = {
        name: "ok" if up else "down" for name, up in (("database", _database_ok()), ("broker", _broker_ok()))
    }
    if "down" in checks.values():
        down = " and ".join(name for name, state in checks.items() if state == "down")
        return error_response("unavailable", f"Not reachable: {down}.", status=503, **checks)
    return JsonResponse({"status": "ok", **checks})


def error_404(request, exception):
    return render(request, "404.html", status=404)


def error_500(request):
    if is_api_request(request):
        return error_response(
            "server_error", "Something went wrong on our side. Try again in a moment.", status=500
        )
    return render(request, "500.html", status=500)


def error_403(request, exception):
    return render(request, "403.html", status=403)


def error_400(request, exception):
    """Bad request; a body over DATA_UPLOAD_MAX_MEMORY_SIZE (refused unread) says so, with 413.

    The app API answers in its own JSON shape: a bad Host header is refused before any view.
    """
    if is_api_request(request):
        if isinstance(exception, RequestDataTooBig):
            return error_response("request_too_large", "The request body is too large.", status=413)
        return error_response("bad_request", "The request could not be understood.")
    if isinstance(exception, RequestDataTooBig):
        return render(request, "400.html", {"too_large": True}, status=413)
    return render(request, "400.html", status=400)


def not_found(request, *args, **kwargs):
    """A page that is deliberately not offered (allauth's e-mail management): the usual 404."""
    raise Http404
