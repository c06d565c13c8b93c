"""Customer pages: the account overview and the pages that replace allauth's password forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.origin import Origin
from resets.selectors import reset_request_pending

from .models import Device
from .selectors import account_for_user, devices_active, security_events_recent
from .services import device_revoke


@login_required
def account_home(request):
    account = account_for_user(request.user)
    if account is None:
        return redirect("home")
    return render(
        request,
        "accounts/home.html",
        {
            "account": account,
            "license": account.license,
            "devices": devices_active(account),
            "events": security_events_recent(account),
            "pending_resets": [r for r in [reset_request_pending(account)] if r is not None],
        },
    )


@login_required
@require_POST
def device_sign_out(request, device_pk: int):
    account = account_for_user(request.user)
    if account is None:
        raise Http404
    device = get_object_or_404(Device, pk=device_pk, account=account)
    if device_revoke(
        device=device, reason=Device.RevokedReason.SIGNED_OUT, origin=Origin.from_request(request)
    ):
        messages.success(request, f"{device.name} is signed out. It will ask for your password again.")
    return redirect("accounts:home")


def password_change_explainer(request):
    """Explain why the web portal cannot change the Account Password."""
    return render(request, "accounts/password_change.html")
