"""Public help pages: knowledge base, the ticket form, and the customer's view of a ticket."""

import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.selectors import account_for_user
from core.links import session_token_page, token_page
from core.origin import Origin
from core.pagination import page_of
from core.ratelimit import ip_rate_limit_hit
from core.request_meta import client_ip

from .. import selectors
from ..forms import CustomerReplyForm, TicketForm, VoteForm
from ..models import Ticket
from ..services import knowledge as knowledge_services
from ..services import tickets as tickets_services
from ..tokens import ticket_link_token

SESSION_TICKETS = "support_tickets"
SESSION_VISITOR = "support_visitor"
SESSION_OPENED = "support_ticket_opened"


def help_home(request):
    return render(
        request,
        "support/help/home.html",
        {"categories": selectors.categories_with_articles()},
    )


def article_search(request):
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "support/help/search.html",
        {"query": query, "search": selectors.article_search(query) if query else None},
    )


def category_detail(request, slug: str):
    category = selectors.category_published(slug)
    if category is None:
        raise Http404
    return render(request, "support/help/category.html", {"category": category})


def article_detail(request, slug: str):
    article = get_object_or_404(selectors.articles_published(), slug=slug)
    my_vote = selectors.article_vote_of(article, request.session.get(SESSION_VISITOR))
    return render(
        request,
        "support/help/article.html",
        {
            "article": article,
            "form": VoteForm(initial={"helpful": "yes" if my_vote.helpful else "no"} if my_vote else None),
            "my_vote": my_vote,
            "related": selectors.article_related(article),
        },
    )


def _visitor(request) -> str:
    """A random id for this browser, kept in its session: one vote per visitor per article."""
    visitor = request.session.get(SESSION_VISITOR)
    if not visitor:
        visitor = secrets.token_hex(16)
        request.session[SESSION_VISITOR] = visitor
    return visitor


@require_POST
def article_vote(request, slug: str):
    article = get_object_or_404(selectors.articles_published(), slug=slug)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose Yes or No, and keep your comment under 1000 characters.")
        return redirect("help:article", slug=slug)
    if ip_rate_limit_hit(scope="vote-ip", ip=client_ip(request), rate=settings.SUPPORT_VOTE_RATE_PER_IP):
        messages.error(request, "Too many answers from your network. Please try again later.")
        return redirect("help:article", slug=slug)
    knowledge_services.article_vote(article=article, visitor=_visitor(request), **form.cleaned_data)
    messages.success(request, "Thank you for your answer. It helps us improve our help pages.")
    return redirect("help:article", slug=slug)


def ticket_new(request):
    account = account_for_user(request.user) if request.user.is_authenticated else None
    initial = {"email": account.user.email} if account else {}
    form = TicketForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["website"]:
            return redirect("help:ticket_sent")  # a bot: look the same, do nothing
        if tickets_services.ticket_rate_limited(ip=client_ip(request), email=data["email"]):
            response = render(request, "support/help/ticket_new.html", {"form": form, "rate_limited": True})
            response.status_code = 429
            return response
        owns = account is not None and data["email"].lower() == account.user.email
        ticket = tickets_services.ticket_create(
            email=data["email"],
            subject=data["subject"],
            message=data["message"],
            category=data["category"],
            account=account if owns else None,
            origin=Origin.from_request(request),
        )
        request.session[SESSION_OPENED] = ticket.number
        return redirect("help:ticket_sent")
    return render(request, "support/help/ticket_new.html", {"form": form, "account": account})


def ticket_sent(request):
    return render(
        request, "support/help/ticket_sent.html", {"number": request.session.pop(SESSION_OPENED, None)}
    )


@token_page
def ticket_link(request, pk: int, token: str):
    """The e-mailed link: check it, move the access into the session, drop the token from the URL."""
    ticket = selectors.ticket_for_customer(pk)
    if ticket is None or not ticket_link_token.check_token(ticket, token):
        return render(request, "support/help/ticket_link_invalid.html", status=404)
    allowed = set(request.session.get(SESSION_TICKETS, []))
    request.session.cycle_key()  # never grant access to a session key someone else planted
    request.session[SESSION_TICKETS] = sorted(allowed | {ticket.pk})[-20:]
    return redirect("help:ticket", pk=ticket.pk)


def _customer_ticket(request, pk: int) -> Ticket | None:
    """The ticket if this visitor may see it: an e-mailed link opened in this session, or one of
    the signed-in customer's requests (their account's, or opened from a verified address)."""
    if pk in request.session.get(SESSION_TICKETS, []):
        return selectors.ticket_for_customer(pk)
    if request.user.is_authenticated:
        return selectors.customer_ticket(request.user, pk)
    return None


@login_required
def my_requests(request):
    """ "My requests": the signed-in customer's tickets with their status and last reply."""
    page = page_of(request, selectors.customer_tickets(request.user), settings.SUPPORT_MY_REQUESTS_PER_PAGE)
    return render(request, "support/help/my_requests.html", {"page": page})


@require_POST
def ticket_close(request, pk: int):
    ticket = _customer_ticket(request, pk)
    if ticket is None:
        raise Http404
    user = request.user if request.user.is_authenticated else None  # None: through the e-mailed link
    tickets_services.ticket_customer_close(ticket=ticket, user=user, origin=Origin.from_request(request))
    messages.success(request, "Your request is marked as solved. Write again here if you need more help.")
    return redirect("help:ticket", pk=ticket.pk)


# The thread is private: kept out of caches even when the e-mailed link opened it (an anonymous
# session, which the signed-in no-store rule does not see).
@session_token_page
def ticket_view(request, pk: int):
    ticket = _customer_ticket(request, pk)
    if ticket is None:
        raise Http404
    form = CustomerReplyForm(request.POST if request.method == "POST" else None)
    rate_limited = False
    if request.method == "POST" and form.is_valid():
        if tickets_services.ticket_reply_rate_limited(ticket=ticket):
            rate_limited = True
        else:
            tickets_services.ticket_customer_reply(ticket=ticket, body=form.cleaned_data["body"].strip())
            messages.success(request, "Your message was added to the request. We will answer by e-mail.")
            return redirect("help:ticket", pk=ticket.pk)
    return render(
        request,
        "support/help/ticket.html",
        {
            "ticket": ticket,
            "thread": selectors.ticket_public_messages(ticket),
            "form": form,
            "rate_limited": rate_limited,
        },
        status=429 if rate_limited else 200,
    )
