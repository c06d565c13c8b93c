"""Following topics and categories, and the one-click unsubscribe link of the e-mails."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Category, Follow
from ..services import posting
from ..tokens import unsubscribe_follow_id
from .common import visible_topic


@require_POST
def topic_follow(request, pk):
    topic = visible_topic(request, pk)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forums:topic", args=[topic.pk]))
    posting.follow_set(user=request.user, topic=topic, following=request.POST.get("following") == "1")
    return redirect("forums:topic", pk=topic.pk)


@require_POST
def category_follow(request, slug):
    category = get_object_or_404(Category, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("forums:category", args=[category.slug]))
    posting.follow_set(user=request.user, category=category, following=request.POST.get("following") == "1")
    return redirect("forums:category", slug=category.slug)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without our cookie; the signed token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    follow_id = unsubscribe_follow_id(token)
    if follow_id is None:
        raise Http404
    follow = Follow.objects.select_related("topic", "category").filter(pk=follow_id).first()
    if request.method == "POST":
        if follow is not None:
            follow.delete()
        return render(request, "forums/unsubscribed.html")
    if follow is None:
        return render(request, "forums/unsubscribed.html")
    return render(request, "forums/unsubscribe.html", {"follow": follow})
