"""Reads shared by the forum pages and the moderation page (no N+1: names come in one query)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from support.models import Article

from .models import Category, Flag, Follow, ForumEvent, ForumProfile, Post, Topic, Visibility
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


def follows_of(user):
    """What `user` follows (their profile page), newest first: posting in a topic follows it, so
    the list grows with every topic they take part in."""
    return Follow.objects.filter(user=user).select_related("topic", "category").order_by("-created_at", "-id")


def display_names(user_ids) -> dict[int, str]:
    """Public names by user id: never an e-mail or an account ID."""
    ids = set(user_ids)
    names = dict(ForumProfile.objects.filter(user_id__in=ids).values_list("user_id", "display_name"))
    return {user_id: names.get(user_id, "member") for user_id in ids}


COMMON_WORDS = frozenset(
    {
        "about", "after", "again", "also", "before", "cannot", "does", "doesn't", "from", "have", "into",
        "just", "only", "other", "some", "still", "that", "their", "them", "then", "there", "these", "they",
        "this", "what", "when", "where", "which", "while", "will", "with", "would", "your",
    }
)  # fmt: skip


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
    # Exists, not `flags__resolved_at__isnull=True`: across the reverse relation that filter is a
    # LEFT JOIN, which also matches every post that was never flagged.
    open_flags = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    flagged = (
        Post.objects.filter(Exists(open_flags))
        .select_related("topic")
        .prefetch_related(Prefetch("flags", queryset=Flag.objects.filter(resolved_at__isnull=True)))
        .order_by("created_at")
    )
    return {"held": held, "flagged": flagged}


def moderation_events():
    """The moderation log, newest first, with who acted and on which topic and member."""
    return ForumEvent.objects.select_related("actor", "topic", "member")
