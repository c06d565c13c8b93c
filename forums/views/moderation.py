"""The moderation page and actions, for support staff only (everybody else gets a 404)."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from core.origin import Origin
from core.pagination import page_of
from support.permissions import support_staff_required

from .. import selectors
from ..forms import MoveForm, SuspendForm
from ..models import Post, Topic
from ..services import moderation


def _back(request, default: str):
    """Where to go after an action: the page it came from (our own paths only), else `default`."""
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(default)


@require_GET
@support_staff_required
def moderation_home(request):
    """The two queues, oldest first and cut at FORUMS_MODERATION_QUEUE_SHOWN (acting on a post
    brings the next one in), and one page of the moderation log."""
    shown = settings.FORUMS_MODERATION_QUEUE_SHOWN
    queues = {
        name: {"posts": list(posts[:shown]), "total": posts.count()}
        for name, posts in selectors.moderation_queue().items()
    }
    return render(
        request,
        "forums/moderation.html",
        {
            **queues,
            "shown": shown,
            "page": page_of(request, selectors.moderation_events(), settings.FORUMS_MODERATION_LOG_PER_PAGE),
            "suspend_form": SuspendForm(),
        },
    )


@require_POST
@support_staff_required
def post_moderate(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    action = request.POST.get("action")
    origin = Origin.from_request(request)
    if action == "approve":
        moderation.post_approve(post=post, actor=request.user, origin=origin)
    elif action in ("hide", "show"):
        moderation.post_visibility_set(post=post, actor=request.user, hidden=action == "hide", origin=origin)
    elif action in ("flags_keep", "flags_hide"):
        moderation.flags_resolve(post=post, actor=request.user, hide=action == "flags_hide", origin=origin)
    else:
        messages.error(request, "Choose an action.")
    return _back(request, "forums:moderation")


@require_POST
@support_staff_required
def topic_moderate(request, pk):
    topic = get_object_or_404(Topic, pk=pk)
    action = request.POST.get("action")
    origin = Origin.from_request(request)
    actor = request.user
    if action in ("lock", "unlock"):
        moderation.topic_lock_set(topic=topic, actor=actor, locked=action == "lock", origin=origin)
    elif action in ("pin", "unpin"):
        moderation.topic_pin_set(topic=topic, actor=actor, pinned=action == "pin", origin=origin)
    elif action in ("hide", "show"):
        moderation.topic_visibility_set(topic=topic, actor=actor, hidden=action == "hide", origin=origin)
    elif action == "move":
        form = MoveForm(request.POST)
        if form.is_valid():
            moderation.topic_move(
                topic=topic, category=form.cleaned_data["category"], actor=actor, origin=origin
            )
    elif action == "ticket":
        ticket = moderation.topic_to_ticket(topic=topic, actor=actor, origin=origin)
        messages.success(request, f"Moved into ticket {ticket.number}; its author was e-mailed.")
        return redirect("support:ticket", pk=ticket.pk)
    else:
        messages.error(request, "Choose an action.")
    return redirect("forums:topic", pk=topic.pk)


@require_POST
@support_staff_required
def member_suspend(request, pk):
    post = get_object_or_404(Post, pk=pk)
    member = get_object_or_404(User, pk=post.author_id)
    form = SuspendForm(request.POST)
    if form.is_valid():
        moderation.member_suspend(
            member=member,
            actor=request.user,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            origin=Origin.from_request(request),
        )
        messages.success(request, "The member's posting rights were updated.")
    elif form.has_error("reason"):
        messages.error(request, form.errors["reason"][0])
    else:
        messages.error(request, "Give a number of days between 0 and 365.")
    return _back(request, "forums:moderation")
