"""The customer's page for a support identity check: type the e-mailed code, or a second factor."""

from django.apps import apps
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters

from core.origin import Origin

from . import services
from .forms import ProofCodeForm
from .limits import proof_answer_limited
from .models import OwnerProof


def _totp_valid(user, code: str) -> bool:
    """Check an authenticator-app code with allauth.mfa (installed by the second-factor work)."""
    if not apps.is_installed("allauth.mfa"):
        return False
    from allauth.mfa.models import Authenticator  # optional app: only when installed
    from allauth.mfa.totp.internal.auth import TOTP

    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return authenticator is not None and TOTP(authenticator).validate_code(code)


@sensitive_post_parameters("code")
def answer(request, proof_id):
    proof = OwnerProof.objects.select_related("account__user", "agent").filter(public_id=proof_id).first()
    if proof is None:
        raise Http404
    needs_owner = proof.method != OwnerProof.Method.EMAIL
    if needs_owner and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if needs_owner and request.user.pk != proof.account.user_id:
        raise Http404
    context = {"proof": proof, "agent": services.agent_display_name(proof.agent)}
    if not proof.is_open:
        return render(request, "proofs/answer.html", {**context, "closed": True}, status=410)
    form = ProofCodeForm(request.POST or None)
    if request.method == "POST":
        origin = Origin.from_request(request)
        try:
            if request.POST.get("refuse") and request.user.is_authenticated and needs_owner:
                services.proof_refuse_web(proof_id=proof.public_id, user=request.user, origin=origin)
                return render(request, "proofs/answer.html", {**context, "refused": True})
            if proof_answer_limited(ip=origin.ip):
                return render(request, "429.html", status=429)
            if form.is_valid():
                code = form.cleaned_data["code"]
                if proof.method == OwnerProof.Method.EMAIL:
                    services.proof_answer_code(proof_id=proof.public_id, code=code, origin=origin)
                elif proof.method == OwnerProof.Method.SECOND_FACTOR:
                    services.proof_answer_second_factor(
                        proof_id=proof.public_id,
                        user=request.user,
                        verified=_totp_valid(request.user, code),
                        origin=origin,
                    )
                return render(request, "proofs/answer.html", {**context, "approved": True})
        except services.ProofError as exc:
            form.add_error(None, exc.detail)
            return render(request, "proofs/answer.html", {**context, "form": form}, status=exc.status_code)
    return render(request, "proofs/answer.html", {**context, "form": form})
