"""Forum pages about one post: its link, editing, its history, flagging."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.origin import Origin

from .. import limits, permissions, selectors
from ..forms import FlagForm, ReplyForm
from ..models import Visibility
from ..services import posting
from .common import posting_gate, rate_limited, refused, visible_post


@require_GET
def post_link(request, pk):
    """Open a topic on the page that holds post `pk` (the links in e-mails)."""
    post = visible_post(request, pk)
    before = (
        selectors.topic_posts(post.topic, request.user)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    page = before // settings.FORUMS_POSTS_PER_PAGE + 1
    return redirect(f"{reverse('forums:topic', args=[post.topic_id])}?page={page}#post-{post.pk}")


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = visible_post(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit(request.user, post):
        return refused(request, "You can edit only your own posts, while their topic is open.")
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            if limits.post_edit_limited(user_id=request.user.pk):
                return rate_limited(request)
            posting.post_edit(
                post=post,
                editor=request.user,
                body=form.cleaned_data["body"],
                origin=Origin.from_request(request),
            )
            return redirect(f"{reverse('forums:topic', args=[post.topic_id])}#post-{post.pk}")
    else:
        form = ReplyForm(initial={"body": post.body})
    return render(request, "forums/post_edit.html", {"form": form, "post": post})


@require_GET
def post_history(request, pk):
    post = visible_post(request, pk)
    return render(request, "forums/post_history.html", {"post": post, "revisions": post.revisions.all()})


@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post = visible_post(request, pk, visibility=Visibility.VISIBLE)
    gate = posting_gate(request)
    if gate:
        return gate
    if not permissions.can_flag(request.user, post):
        return refused(request, "You cannot flag your own post.")
    if request.method == "POST":
        form = FlagForm(request.POST)
        if form.is_valid():
            if limits.flag_limited(user_id=request.user.pk):
                return rate_limited(request)
            posting.flag_create(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
            return render(request, "forums/flagged.html", {"post": post})
    else:
        form = FlagForm()
    return render(request, "forums/flag.html", {"form": form, "post": post})
