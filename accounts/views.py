"""Customer pages of accounts: signing a device out, the page that replaces allauth's password forms.

The account overview composes several apps, so it lives in the top layer (portal/views.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.origin import Origin

from .models import Device
from .selectors import account_for_user
from .services import device_revoke


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
