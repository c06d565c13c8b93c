"""What every forum page shares: the refusal page, the posting gate, topic and post lookups."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from .. import permissions
from ..models import Post, Topic


def refused(
    request, message: str, *, status: int = 403, title: str = "You can't do that here"
) -> HttpResponse:
    """One clear page for every refusal (rate limit, suspension, locked topic, ...)."""
    return render(request, "forums/refused.html", {"title": title, "message": message}, status=status)


def rate_limited(request) -> HttpResponse:
    return refused(
        request,
        "You have posted a lot in a short time. Please wait a while and try again.",
        status=429,
        title="Slow down a little",
    )


def posting_gate(request):
    """None when the visitor may post; otherwise the response to send (sign in, or a refusal)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reason = permissions.posting_refusal(request.user)
    return refused(request, reason) if reason else None


def visible_topic(request, pk) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category", "accepted_post"), pk=pk)
    if not permissions.can_see_topic(request.user, topic):
        raise Http404
    return topic


def visible_post(request, pk, **filters) -> Post:
    """The post `pk` (with its topic) if the visitor may see it; 404 otherwise."""
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk, **filters)
    if not permissions.can_see_post(request.user, post):
        raise Http404
    return post
