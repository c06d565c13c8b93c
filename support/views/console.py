"""Support console pages (staff in the agent or supervisor group only; 404 for anyone else)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from core.addresses import email_normalise
from core.origin import Origin
from core.pagination import page_of
from proofs import selectors as proof_selectors
from proofs import services as proof_services
from proofs.models import OwnerProof
from resets.selectors import reset_request_pending

from .. import selectors
from ..forms import (
    AgentReplyForm,
    CloseAccountForm,
    ConsoleSearchForm,
    LicenseForm,
    NoteForm,
    ResetEmailForm,
    TicketUpdateForm,
)
from ..models import Article, SupportAuditEvent, Ticket
from ..permissions import can_supervise, supervisor_required, support_staff_required
from ..services import audit as audit_services
from ..services import console as console_services
from ..services import tickets as tickets_services


def _account_or_404(account_id: str):
    account = selectors.console_account(account_id)
    if account is None:
        raise Http404
    return account


def _ticket_or_404(pk: int) -> Ticket:
    ticket = selectors.ticket_for_console(pk)
    if ticket is None:
        raise Http404
    return ticket


@support_staff_required
def dashboard(request):
    return render(
        request,
        "support/dashboard.html",
        {
            "counts": selectors.ticket_counts(),
            "mine": selectors.ticket_queue(assigned_to=request.user)[:10],
            "unassigned": selectors.ticket_queue(unassigned=True)[:10],
            "staff_factors": selectors.staff_second_factors() if can_supervise(request.user) else None,
        },
    )


@support_staff_required
def search(request):
    form = ConsoleSearchForm(request.GET or None)
    result = selectors.console_search(form.cleaned_data["q"]) if form.is_valid() else None
    if result and len(result.accounts) == 1 and not result.tickets:
        return redirect("support:account", account_id=result.accounts[0].account_id)
    if result and len(result.tickets) == 1 and not result.accounts and result.kind == "ticket":
        return redirect("support:ticket", pk=result.tickets[0].pk)
    return render(request, "support/search.html", {"form": form, "result": result})


@support_staff_required
def account_detail(request, account_id: str):
    account = _account_or_404(account_id)
    audit_services.account_view_record(
        account=account, actor=request.user, origin=Origin.from_request(request)
    )
    return render(
        request,
        "support/account.html",
        {
            "dossier": selectors.account_dossier(account),
            "history_limit": selectors.HISTORY_LIMIT,
            "account": account,
            "license": account.license,
            "can_supervise": can_supervise(request.user),
            "proof_first": proof_selectors.proof_required_actions(),
        },
    )


@support_staff_required
@require_http_methods(["GET", "POST"])
def account_reset_email(request, account_id: str):
    """Confirm, with a reason and an optional ticket, then re-send (or start) the reset e-mail.

    The form has no address field: the owner's is used.
    """
    account = _account_or_404(account_id)
    form = ResetEmailForm(request.POST if request.method == "POST" else None)
    context = {"account": account, "form": form, "pending": reset_request_pending(account)}
    if request.method == "POST" and form.is_valid():
        try:
            action = console_services.account_reset_email_send(
                account=account,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                ticket=form.cleaned_data["ticket"],
                origin=Origin.from_request(request),
            )
        except proof_services.ProofError as exc:
            return _proof_refused(request, "support/reset_email.html", context, form, exc, account=account)
        if action == SupportAuditEvent.Action.RESET_EMAIL_RESENT:
            messages.success(request, f"The pending reset e-mail was sent again to {account.user.email}.")
        else:
            messages.success(
                request, f"No reset was pending: a new reset e-mail is on its way to {account.user.email}."
            )
        return redirect("support:account", account_id=account.account_id)
    return render(request, "support/reset_email.html", context)


@support_staff_required
@require_POST
def account_sign_out(request, account_id: str):
    account = _account_or_404(account_id)
    count = console_services.account_sessions_end(
        account=account, actor=request.user, origin=Origin.from_request(request)
    )
    messages.success(request, f"Signed out of {count} web session(s). The apps stay signed in.")
    return redirect("support:account", account_id=account.account_id)


@supervisor_required
def account_license(request, account_id: str):
    account = _account_or_404(account_id)
    license = account.license
    initial = {
        "plan": license.plan,
        "status": license.status,
        "seats": license.seats,
        "expires_at": license.expires_at,
    }
    form = LicenseForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"account": account, "license": license, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            console_services.license_change(
                account=account, actor=request.user, origin=Origin.from_request(request), **form.cleaned_data
            )
        except proof_services.ProofError as exc:
            return _proof_refused(request, "support/license.html", context, form, exc, account=account)
        messages.success(request, "The licence was changed and the change was added to its history.")
        return redirect("support:account", account_id=account.account_id)
    return render(request, "support/license.html", context)


@supervisor_required
def account_close(request, account_id: str):
    account = _account_or_404(account_id)
    form = CloseAccountForm(request.POST if request.method == "POST" else None)
    context = {"account": account, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            console_services.account_close(
                account=account,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                origin=Origin.from_request(request),
            )
        except proof_services.ProofError as exc:
            return _proof_refused(request, "support/close.html", context, form, exc, account=account)
        messages.success(request, "The account is closed. The customer can no longer sign in.")
        return redirect("support:account", account_id=account.account_id)
    return render(request, "support/close.html", context)


@support_staff_required
def ticket_list(request):
    status = request.GET.get("status", "")
    if status not in Ticket.Status.values:
        status = ""
    scope = request.GET.get("scope", "")
    tickets = selectors.ticket_queue(
        status=status,
        assigned_to=request.user if scope == "mine" else None,
        unassigned=scope == "unassigned",
    )
    return render(
        request,
        "support/tickets.html",
        {
            "page": page_of(request, tickets, settings.SUPPORT_CONSOLE_ROWS_PER_PAGE),
            "status": status,
            "scope": scope,
            "counts": selectors.ticket_counts(),
            "statuses": Ticket.Status.choices,
        },
    )


@support_staff_required
def ticket_detail(request, pk: int):
    ticket = _ticket_or_404(pk)
    return render(
        request,
        "support/ticket.html",
        {
            "ticket": ticket,
            "reply_form": AgentReplyForm(),
            "note_form": NoteForm(),
            "update_form": TicketUpdateForm(
                initial={"status": ticket.status, "assigned_to": ticket.assigned_to_id},
                staff_queryset=selectors.support_staff(),
            ),
        },
    )


def _ticket_post(request, pk, form, on_valid, done_message):
    ticket = _ticket_or_404(pk)
    if form.is_valid():
        on_valid(ticket, form.cleaned_data)
        messages.success(request, done_message)
        return redirect("support:ticket", pk=ticket.pk)
    messages.error(
        request, "Nothing was saved: " + " ".join(e for errors in form.errors.values() for e in errors)
    )
    return redirect("support:ticket", pk=ticket.pk)


def _ticket_message_post(request, pk, form_class, service, done_message):
    """Add a reply or an internal note (the same form shape, a different service)."""
    return _ticket_post(
        request,
        pk,
        form_class(request.POST),
        lambda ticket, data: service(
            ticket=ticket, agent=request.user, body=data["body"], origin=Origin.from_request(request)
        ),
        done_message,
    )


@support_staff_required
@require_POST
def ticket_reply(request, pk: int):
    return _ticket_message_post(
        request,
        pk,
        AgentReplyForm,
        tickets_services.ticket_reply,
        "Your reply is on its way to the customer.",
    )


@support_staff_required
@require_POST
def ticket_note(request, pk: int):
    return _ticket_message_post(
        request, pk, NoteForm, tickets_services.ticket_note_add, "Note added. The customer does not see it."
    )


@support_staff_required
@require_POST
def ticket_update(request, pk: int):
    return _ticket_post(
        request,
        pk,
        TicketUpdateForm(request.POST, staff_queryset=selectors.support_staff()),
        lambda ticket, data: tickets_services.ticket_update(
            ticket=ticket,
            agent=request.user,
            status=data["status"],
            assigned_to=data["assigned_to"],
            origin=Origin.from_request(request),
        ),
        "Ticket updated.",
    )


@support_staff_required
def article_list(request):
    return render(request, "support/articles.html", {"articles": selectors.article_scores()})


@support_staff_required
def article_feedback(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    return render(
        request,
        "support/article_feedback.html",
        {"article": article, "comments": selectors.article_comments(article)},
    )


@support_staff_required
def audit_log(request):
    actor = email_normalise(request.GET.get("actor", ""))
    events = selectors.audit_events(actor_email=actor)
    page = page_of(request, events, settings.SUPPORT_CONSOLE_ROWS_PER_PAGE)
    return render(request, "support/audit.html", {"page": page, "actor": actor})


def _back_to(request, default: str) -> str:
    """The console page the "ask" button was on (a guarded action's page), else `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/support/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _owner_proof_ask(request, *, account, kind: str, ref) -> None:
    """Ask for an owner proof; the server picks the method (nothing the agent sends chooses it)."""
    try:
        proof = proof_services.proof_request(
            account=account,
            agent=request.user,
            conversation_kind=kind,
            conversation_ref=ref,
            origin=Origin.from_request(request),
        )
    except proof_services.ProofError as exc:
        messages.error(request, exc.detail)
        return
    messages.success(request, f"Asked the customer to confirm with {proof.get_method_display()}.")


def _proof_refused(request, template: str, context: dict, form, exc, *, account):
    """The action page again, the agent's input kept, saying why, with the box to ask for a proof."""
    form.add_error(None, exc.detail)
    return render(
        request,
        template,
        {**context, "proof_needed": {"kind": OwnerProof.Conversation.ACCOUNT, "ref": account.account_id}},
        status=exc.status_code,
    )


@support_staff_required
@require_POST
def account_owner_proof(request, account_id: str):
    account = _account_or_404(account_id)
    _owner_proof_ask(request, account=account, kind=OwnerProof.Conversation.ACCOUNT, ref=account.account_id)
    return redirect(_back_to(request, reverse("support:account", args=[account.account_id])))


@support_staff_required
@require_POST
def ticket_owner_proof(request, pk: int):
    ticket = _ticket_or_404(pk)
    if ticket.account_id is None:
        messages.error(request, "This ticket is not linked to an account: there is no owner to ask.")
    else:
        _owner_proof_ask(request, account=ticket.account, kind=OwnerProof.Conversation.TICKET, ref=ticket.pk)
    return redirect("support:ticket", pk=ticket.pk)
