"""Forum pages about topics: the home page, categories, a topic, asking, replying, accepting an answer."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.origin import Origin
from core.pagination import page_of

from .. import limits, permissions, selectors
from ..forms import ReplyForm, SearchForm, TopicForm
from ..models import Category, Follow, Post, Topic
from ..services import posting
from .common import posting_gate, rate_limited, refused, visible_topic


@require_GET
def forums_home(request):
    topics = selectors.topics_visible_to(request.user)
    return render(
        request,
        "forums/home.html",
        {
            "categories": selectors.categories_with_counts(),
            "topics": topics[:10],
            "names": selectors.display_names(t.author_id for t in topics[:10]),
            "search_form": SearchForm(),
        },
    )


@require_GET
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)
    page = page_of(
        request,
        selectors.topics_visible_to(request.user).filter(category=category),
        settings.FORUMS_TOPICS_PER_PAGE,
    )
    following = (
        request.user.is_authenticated and Follow.objects.filter(user=request.user, category=category).exists()
    )
    return render(
        request,
        "forums/category.html",
        {
            "category": category,
            "page": page,
            "names": selectors.display_names(t.author_id for t in page),
            "following": following,
            "can_open": permissions.can_open_topic_in(request.user, category),
        },
    )


def _topic_context(request, topic: Topic, reply_form=None) -> dict:
    posts = selectors.topic_posts(topic, request.user)
    page = page_of(request, posts, settings.FORUMS_POSTS_PER_PAGE)
    accepted = (
        topic.accepted_post if topic.accepted_post and topic.accepted_post.visibility == "visible" else None
    )
    ids = [post.author_id for post in page] + ([accepted.author_id] if accepted else [])
    user = request.user
    return {
        "topic": topic,
        "page": page,
        "accepted": accepted,
        "names": selectors.display_names(ids),
        "reply_form": reply_form or ReplyForm(),
        "can_reply": permissions.can_reply(user, topic),
        "posting_refusal": permissions.posting_refusal(user) if user.is_authenticated else None,
        "can_accept": permissions.can_accept(user, topic),
        "is_moderator": permissions.is_moderator(user),
        "following": user.is_authenticated and Follow.objects.filter(user=user, topic=topic).exists(),
        "categories": Category.objects.all() if permissions.is_moderator(user) else (),
    }


@require_GET
def topic_detail(request, pk):
    topic = visible_topic(request, pk)
    return render(request, "forums/topic.html", _topic_context(request, topic))


@require_http_methods(["GET", "POST"])
def topic_new(request):
    gate = posting_gate(request)
    if gate:
        return gate
    categories = Category.objects.all()
    if not permissions.is_moderator(request.user):
        categories = categories.filter(staff_only=False)
    if request.method == "POST":
        form = TopicForm(request.POST, categories=categories)
        if form.is_valid():
            if limits.topic_create_limited(user_id=request.user.pk):
                return rate_limited(request)
            topic = posting.topic_create(
                author=request.user,
                category=form.cleaned_data["category"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
            return redirect("forums:topic", pk=topic.pk)
    else:
        initial = {}
        category = categories.filter(slug=request.GET.get("category", "")).first()
        if category:
            initial["category"] = category
        form = TopicForm(initial=initial, categories=categories)
    return render(request, "forums/topic_new.html", {"form": form})


@require_POST
def topic_reply(request, pk):
    topic = visible_topic(request, pk)
    gate = posting_gate(request)
    if gate:
        return gate
    if not permissions.can_reply(request.user, topic):
        return refused(request, "This topic is closed to new replies.")
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return render(
            request, "forums/topic.html", _topic_context(request, topic, reply_form=form), status=400
        )
    if limits.post_create_limited(user_id=request.user.pk):
        return rate_limited(request)
    try:
        post = posting.post_create(author=request.user, topic=topic, body=form.cleaned_data["body"])
    except posting.ForumError as error:
        return refused(request, str(error))
    return redirect(f"{reverse('forums:topic', args=[topic.pk])}?page=last#post-{post.pk}")


@require_POST
def answer_accept(request, pk):
    topic = visible_topic(request, pk)
    if not permissions.can_accept(request.user, topic):
        return refused(request, "Only the person who asked, or the Vault team, can accept an answer.")
    origin = Origin.from_request(request)
    if request.POST.get("post") == "":
        posting.answer_unaccept(topic=topic, actor=request.user, origin=origin)
        return redirect("forums:topic", pk=topic.pk)
    post_id = request.POST.get("post", "")
    if not (post_id.isascii() and post_id.isdigit()):  # the form sends a post's id, nothing else
        raise Http404
    post = get_object_or_404(Post, pk=post_id, topic=topic)
    try:
        posting.answer_accept(topic=topic, post=post, actor=request.user, origin=origin)
    except posting.ForumError as error:
        return refused(request, str(error))
    return redirect("forums:topic", pk=topic.pk)
