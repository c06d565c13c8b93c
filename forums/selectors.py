"""Reads shared by the forum pages and the moderation page (no N+1: names come in one query)."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Prefetch, Q

from support.models import Article

from .models import Category, Flag, ForumEvent, ForumProfile, Post, Topic, Visibility
from .permissions import is_moderator


def categories_with_counts():
    visible = Q(topics__visibility=Visibility.VISIBLE)
    return Category.objects.annotate(
        topic_count=Count("topics", filter=visible),
        solved_count=Count("topics", filter=visible & Q(topics__accepted_post__isnull=False)),
    )


def topics_visible_to(user):
    """Topics `user` may see in lists: visible ones, plus their own held ones (all for staff)."""
    topics = Topic.objects.select_related("category")
    if is_moderator(user):
        return topics.exclude(visibility=Visibility.HIDDEN)
    mine = Q(author_id=user.pk, visibility=Visibility.HELD) if user.is_authenticated else Q(pk__in=[])
    return topics.filter(Q(visibility=Visibility.VISIBLE) | mine)


def topic_posts(topic: Topic, user):
    """The posts of `topic` that `user` may read, oldest first."""
    posts = topic.posts.all()
    if is_moderator(user):
        return posts
    mine = Q(author_id=user.pk, visibility=Visibility.HELD) if user.is_authenticated else Q(pk__in=[])
    return posts.filter(Q(visibility=Visibility.VISIBLE) | mine)


def display_names(user_ids) -> dict[int, str]:
    """Public names by user id: never an e-mail or an account ID."""
    ids = set(user_ids)
    names = dict(ForumProfile.objects.filter(user_id__in=ids).values_list("user_id", "display_name"))
    return {user_id: names.get(user_id, "member") for user_id in ids}


def topic_search(query: str, *, user, limit: int = 50):
    """Topics matching `query` in their title or visible posts, best first.

    PostgreSQL: full-text search (title weighted above post text, `websearch` syntax, ranked).
    Elsewhere (SQLite in development): every word must appear in the title or a visible post.
    """
    query = " ".join(query.split())
    if not query:
        return Topic.objects.none()
    topics = topics_visible_to(user)
    if connection.vendor == "postgresql":
        return _topic_search_postgres(query, topics, limit)
    condition = Q()
    for word in query.split()[:8]:
        condition &= Q(title__icontains=word) | Q(
            posts__body__icontains=word, posts__visibility=Visibility.VISIBLE
        )
    found = list(topics.filter(condition).distinct()[: limit * 2])
    words = [word.lower() for word in query.split()]
    found.sort(key=lambda t: (-sum(word in t.title.lower() for word in words), -t.last_posted_at.timestamp()))
    return found[:limit]


COMMON_WORDS = frozenset(
    {
        "about", "after", "again", "also", "before", "cannot", "does", "doesn't", "from", "have", "into",
        "just", "only", "other", "some", "still", "that", "their", "them", "then", "there", "these", "they",
        "this", "what", "when", "where", "which", "while", "will", "with", "would", "your",
    }
)  # fmt: skip


def _topic_search_postgres(query: str, topics, limit: int) -> list[Topic]:
    """Rank title matches (weight A) plus the best matching visible post (weight B) per topic."""
    search = SearchQuery(query, search_type="websearch", config="english")
    scores: dict[int, float] = {}
    title_vector = SearchVector("title", weight="A", config="english")
    title_hits = (
        topics.annotate(document=title_vector, rank=SearchRank(title_vector, search))
        .filter(document=search)  # the @@ match: ts_rank alone gives non-matches a tiny positive rank
        .values_list("pk", "rank")
    )
    for pk, rank in title_hits:
        scores[pk] = rank
    body_vector = SearchVector("body", weight="B", config="english")
    post_hits = (
        Post.objects.filter(visibility=Visibility.VISIBLE, topic__in=topics.values("pk"))
        .annotate(document=body_vector, rank=SearchRank(body_vector, search))
        .filter(document=search)
        .order_by("-rank")
        .values_list("topic_id", "rank")[: limit * 20]
    )
    best_post: dict[int, float] = {}
    for topic_id, rank in post_hits:
        best_post[topic_id] = max(rank, best_post.get(topic_id, 0.0))
    for topic_id, rank in best_post.items():
        scores[topic_id] = scores.get(topic_id, 0.0) + rank
    order = sorted(scores, key=lambda pk: -scores[pk])[:limit]
    found = {topic.pk: topic for topic in topics.filter(pk__in=order)}
    return [found[pk] for pk in order if pk in found]


def title_suggestions(title: str, *, user, limit: int = 5) -> dict:
    """Knowledge-base articles and solved topics whose titles share words with `title`."""
    words = [word for word in title.lower().split() if len(word) >= 4 and word not in COMMON_WORDS][:6]
    if not words:
        return {"articles": [], "topics": []}
    article_match = Q()
    topic_match = Q()
    for word in words:
        article_match |= Q(title__icontains=word)
        topic_match |= Q(title__icontains=word)
    articles = Article.objects.filter(article_match, is_published=True).only("title", "slug")[:limit]
    topics = topics_visible_to(user).filter(
        topic_match, visibility=Visibility.VISIBLE, accepted_post__isnull=False
    )[:limit]
    return {"articles": list(articles), "topics": list(topics)}


def moderation_queue():
    """Held posts and posts with open flags, oldest first."""
    held = (
        Post.objects.filter(visibility=Visibility.HELD)
        .select_related("topic", "topic__category")
        .order_by("created_at")
    )
    flagged = (
        Post.objects.filter(flags__resolved_at__isnull=True)
        .distinct()
        .select_related("topic")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True)))
        .order_by("created_at")
    )
    return {"held": held, "flagged": flagged}


def moderation_events(limit: int = 100):
    return ForumEvent.objects.select_related("actor", "topic", "member")[:limit]
