"""Forum pages: read by anybody, written by verified members, moderated by support staff."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import error_response
from core.origin import Origin

from . import limits, permissions, selectors
from .forms import FlagForm, ProfileForm, ReplyForm, SearchForm, TopicForm
from .models import Category, Follow, Post, Topic, Visibility
from .services import posting
from .tokens import unsubscribe_follow_id


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


def _posting_gate(request):
    """None when the visitor may post; otherwise the response to send (sign in, or a refusal)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    reason = permissions.posting_refusal(request.user)
    return refused(request, reason) if reason else None


def _page(request, items, per_page):
    paginator = Paginator(items, per_page)
    number = request.GET.get("page")
    return paginator.get_page(paginator.num_pages if number == "last" else number)


def _visible_topic(request, pk) -> Topic:
    topic = get_object_or_404(Topic.objects.select_related("category", "accepted_post"), pk=pk)
    if not permissions.can_see_topic(request.user, topic):
        raise Http404
    return topic


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
    page = _page(
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
    page = _page(request, posts, settings.FORUMS_POSTS_PER_PAGE)
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
    topic = _visible_topic(request, pk)
    return render(request, "forums/topic.html", _topic_context(request, topic))


@require_http_methods(["GET", "POST"])
def topic_new(request):
    gate = _posting_gate(request)
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
    topic = _visible_topic(request, pk)
    gate = _posting_gate(request)
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


@require_GET
def post_link(request, pk):
    """Open a topic on the page that holds post `pk` (the links in e-mails)."""
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    if not permissions.can_see_topic(request.user, post.topic):
        raise Http404
    before = (
        selectors.topic_posts(post.topic, request.user)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    page = before // settings.FORUMS_POSTS_PER_PAGE + 1
    return redirect(f"{reverse('forums:topic', args=[post.topic_id])}?page={page}#post-{post.pk}")


@require_http_methods(["GET", "POST"])
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    if not permissions.can_see_topic(request.user, post.topic):
        raise Http404
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
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk)
    if not permissions.can_see_topic(request.user, post.topic) or (
        post.visibility == Visibility.HIDDEN and not permissions.is_moderator(request.user)
    ):
        raise Http404
    return render(request, "forums/post_history.html", {"post": post, "revisions": post.revisions.all()})


@require_POST
def answer_accept(request, pk):
    topic = _visible_topic(request, pk)
    if not permissions.can_accept(request.user, topic):
        return refused(request, "Only the person who asked, or the Vault team, can accept an answer.")
    origin = Origin.from_request(request)
    if request.POST.get("post") == "":
        posting.answer_unaccept(topic=topic, actor=request.user, origin=origin)
        return redirect("forums:topic", pk=topic.pk)
    post = get_object_or_404(Post, pk=request.POST.get("post") or 0, topic=topic)
    try:
        posting.answer_accept(topic=topic, post=post, actor=request.user, origin=origin)
    except posting.ForumError as error:
        return refused(request, str(error))
    return redirect("forums:topic", pk=topic.pk)


@require_POST
def topic_follow(request, pk):
    topic = _visible_topic(request, pk)
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


@require_http_methods(["GET", "POST"])
def post_flag(request, pk):
    post = get_object_or_404(Post.objects.select_related("topic"), pk=pk, visibility=Visibility.VISIBLE)
    if not permissions.can_see_topic(request.user, post.topic):
        raise Http404
    gate = _posting_gate(request)
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


@require_GET
def search(request):
    form = SearchForm(request.GET)
    results, query = [], ""
    if form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        if limits.search_limited(ip=Origin.from_request(request).ip):
            return rate_limited(request)
        results = selectors.topic_search(query, user=request.user)
    return render(
        request,
        "forums/search.html",
        {
            "form": form,
            "query": query,
            "results": results,
            "names": selectors.display_names(t.author_id for t in results),
        },
        status=200 if form.is_valid() else 400,
    )


@require_GET
def suggest(request):
    """JSON for the new-topic page: knowledge-base articles and solved topics like the title typed."""
    if limits.suggest_limited(ip=Origin.from_request(request).ip):
        return error_response("rate_limited", "Too many suggestions asked for; wait a minute.", status=429)
    title = (request.GET.get("q") or "")[: settings.FORUMS_TITLE_MAX_CHARS]
    found = selectors.title_suggestions(title, user=request.user)
    return JsonResponse(
        {
            "articles": [
                {"title": a.title, "url": reverse("help:article", args=[a.slug])} for a in found["articles"]
            ],
            "topics": [
                {"title": t.title, "url": reverse("forums:topic", args=[t.pk])} for t in found["topics"]
            ],
        }
    )


@require_http_methods(["GET", "POST"])
def profile(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    current = posting.profile_get_or_create(user=request.user)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                posting.profile_rename(user=request.user, display_name=form.cleaned_data["display_name"])
            except posting.ForumError as error:
                form.add_error("display_name", str(error))
            else:
                return redirect("forums:profile")
    else:
        form = ProfileForm(initial={"display_name": current.display_name})
    follows = Follow.objects.filter(user=request.user).select_related("topic", "category")
    return render(request, "forums/profile.html", {"form": form, "profile": current, "follows": follows})


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
