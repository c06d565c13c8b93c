"""The customer's page for a support identity check, opened from a link in the chat, the ticket
or the e-mailed code.

Nobody needs to be signed in: a customer talking to support is often locked out. What proves it
is them is answered here, bound to this one request, once, before it expires: the code e-mailed
to the account's address (method `email`), or the account's passkey or authenticator app
(method `second_factor`; accounts.second_factors checks it with allauth, counts it in allauth's
rate limit and records a wrong answer). The method was chosen by the server when support asked.

Recovery codes are not taken here. They stand in for a lost passkey or phone, to get back into
the account; support never asks for them ("we confirm who you are through your app"), and a
support page that took them would teach customers to type them wherever a chat sends them.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.forms import AuthenticatorCodeForm, PasskeyForm
from accounts.second_factors import (
    AUTHENTICATOR_APP,
    PASSKEY,
    passkey_challenge_begin,
    second_factor_kinds,
)
from core.origin import Origin

from . import services
from .forms import ProofCodeForm
from .limits import proof_answer_limited
from .models import OwnerProof


def _passkey_purpose(proof: OwnerProof) -> str:
    """A passkey challenge of this proof answers only this proof's page."""
    return f"proof:{proof.public_id}"


def _page(request, proof: OwnerProof, *, status: int = 200, **context):
    """The page in the proof's present state, with a fresh passkey challenge when one is offered."""
    context = {
        "proof": proof,
        "agent": services.agent_display_name(proof.agent),
        "has_passkey": False,
        **context,
    }
    if proof.is_open and proof.method == OwnerProof.Method.EMAIL:
        context.setdefault("code_form", ProofCodeForm())
    elif proof.is_open and proof.method == OwnerProof.Method.SECOND_FACTOR:
        user = proof.account.user
        kinds = second_factor_kinds(user)
        if AUTHENTICATOR_APP in kinds:
            context.setdefault("code_form", AuthenticatorCodeForm(request=request, user=user))
        if PASSKEY in kinds:
            context["has_passkey"] = True
            context.setdefault(
                "passkey_form", PasskeyForm(request=request, user=user, purpose=_passkey_purpose(proof))
            )
            context["passkey_options"] = passkey_challenge_begin(
                request, user, purpose=_passkey_purpose(proof)
            )
    return render(request, "proofs/answer.html", context, status=status)


def _second_factor_answer(request, proof: OwnerProof, origin: Origin):
    """Check the passkey or authenticator code posted for `proof`; the response, or None once approved."""
    user = proof.account.user
    if request.POST.get("action") == "passkey":
        form = PasskeyForm(
            request.POST, request=request, user=user, purpose=_passkey_purpose(proof), origin=origin
        )
        form_name, field, factor = "passkey_form", "credential", services.FACTOR_PASSKEY
    else:
        form = AuthenticatorCodeForm(request.POST, request=request, user=user, origin=origin)
        form_name, field, factor = "code_form", "code", services.FACTOR_AUTHENTICATOR_APP
    if not form.is_valid():
        if form.rate_limited:  # nothing was checked: not a wrong answer to this proof
            return _page(request, proof, status=429, **{form_name: form})
        if not form.has_error(field, "rejected"):  # nothing given (an empty field)
            return _page(request, proof, status=400, **{form_name: form})
    try:
        services.proof_answer_second_factor(
            proof_id=proof.public_id, user=user, verified=form.is_valid(), factor=factor, origin=origin
        )
    except services.ProofError as exc:
        proof.refresh_from_db()
        return _page(request, proof, status=exc.status_code, **{form_name: form})
    return None


@sensitive_post_parameters("code", "credential")
@require_http_methods(["GET", "POST"])
def answer(request, proof_id):
    proof = OwnerProof.objects.select_related("account__user", "agent").filter(public_id=proof_id).first()
    if proof is None:
        raise Http404
    if not proof.is_open:  # answered, refused, failed or expired: used once, and then closed
        return _page(request, proof, status=410, closed=True)
    if request.method == "GET":
        return _page(request, proof)
    origin = Origin.from_request(request)
    if request.POST.get("action") == "refuse" and proof.method != OwnerProof.Method.APP:
        try:
            services.proof_refuse_web(proof_id=proof.public_id, origin=origin)
        except services.ProofError:
            pass  # answered or expired meanwhile: the page says what it is now
        proof.refresh_from_db()
        if proof.status != OwnerProof.Status.REFUSED:
            return _page(request, proof, status=410, closed=True)
        return _page(request, proof)
    if proof.method == OwnerProof.Method.APP:
        return _page(request, proof, status=400)  # answered in the app, not here
    if proof_answer_limited(ip=origin.ip):
        return render(request, "429.html", status=429)
    if proof.method == OwnerProof.Method.SECOND_FACTOR:
        response = _second_factor_answer(request, proof, origin)
        if response is not None:
            return response
    else:
        form = ProofCodeForm(request.POST)
        if not form.is_valid():
            return _page(request, proof, status=400, code_form=form)
        try:
            services.proof_answer_code(
                proof_id=proof.public_id, code=form.cleaned_data["code"], origin=origin
            )
        except services.ProofError as exc:
            form.add_error("code", exc.detail)
            proof.refresh_from_db()
            return _page(request, proof, status=exc.status_code, code_form=form)
    proof.refresh_from_db()
    return _page(request, proof)
