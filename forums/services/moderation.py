"""Staff moderation: approve held posts, hide, lock, pin, move, suspend, resolve flags, move to a ticket.

Every action writes a `ForumEvent` (who, what, from where); the moderation page lists them.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Account, User
from core.origin import Origin
from support.services.tickets import ticket_create

from ..models import Category, Flag, ForumEvent, ForumProfile, Post, Topic, Visibility
from .audit import forum_event_record
from .notify import post_notify, topic_notify
from .posting import profile_get_or_create

Action = ForumEvent.Action


def _refresh_topic_counts(topic: Topic) -> None:
    visible = topic.posts.filter(visibility=Visibility.VISIBLE)
    last = visible.order_by("-created_at").values_list("created_at", flat=True).first()
    Topic.objects.filter(pk=topic.pk).update(
        reply_count=visible.filter(is_first=False).count(), last_posted_at=last or topic.created_at
    )


@transaction.atomic
def post_approve(*, post: Post, actor: User, origin: Origin | None = None) -> Post:
    """Publish a held post (and its topic, if it was the question); its author is trusted from now on."""
    if post.visibility != Visibility.HELD:
        return post
    post.visibility = Visibility.VISIBLE
    post.save(update_fields=["visibility"])
    profile_get_or_create(user=post.author)
    ForumProfile.objects.filter(user_id=post.author_id).update(approved_posts=F("approved_posts") + 1)
    topic = post.topic
    if post.is_first and topic.visibility == Visibility.HELD:
        topic.visibility = Visibility.VISIBLE
        topic.save(update_fields=["visibility"])
        topic_notify(topic=topic)
    elif not post.is_first:
        post_notify(post=post)
    _refresh_topic_counts(topic)
    forum_event_record(
        action=Action.POST_APPROVED, actor=actor, topic=topic, post=post, member=post.author, origin=origin
    )
    return post


@transaction.atomic
def post_visibility_set(
    *, post: Post, actor: User, hidden: bool, reason: str = "", origin: Origin | None = None
) -> Post:
    """Hide a post from members (or show it again); hiding the question hides the topic."""
    if post.is_first:
        topic_visibility_set(topic=post.topic, actor=actor, hidden=hidden, reason=reason, origin=origin)
    post.visibility = Visibility.HIDDEN if hidden else Visibility.VISIBLE
    post.save(update_fields=["visibility"])
    topic = Topic.objects.get(pk=post.topic_id)
    if hidden and topic.accepted_post_id == post.pk:
        topic.accepted_post = None
        topic.solved_at = None
        topic.save(update_fields=["accepted_post", "solved_at"])
    _refresh_topic_counts(topic)
    forum_event_record(
        action=Action.POST_HIDDEN if hidden else Action.POST_SHOWN,
        actor=actor,
        topic=topic,
        post=post,
        member=post.author,
        details={"reason": reason} if reason else {},
        origin=origin,
    )
    return post


@transaction.atomic
def topic_visibility_set(
    *, topic: Topic, actor: User, hidden: bool, reason: str = "", origin: Origin | None = None
) -> Topic:
    topic.visibility = Visibility.HIDDEN if hidden else Visibility.VISIBLE
    topic.save(update_fields=["visibility"])
    forum_event_record(
        action=Action.TOPIC_HIDDEN if hidden else Action.TOPIC_SHOWN,
        actor=actor,
        topic=topic,
        member=topic.author,
        details={"reason": reason} if reason else {},
        origin=origin,
    )
    return topic


def _topic_switch(
    topic: Topic, field: str, on: bool, actions: tuple[str, str], *, actor: User, origin: Origin | None
) -> Topic:
    """Turn the topic's boolean `field` on or off and record `actions[0]` (on) or `actions[1]` (off)."""
    setattr(topic, field, on)
    topic.save(update_fields=[field])
    forum_event_record(action=actions[0] if on else actions[1], actor=actor, topic=topic, origin=origin)
    return topic


@transaction.atomic
def topic_lock_set(*, topic: Topic, actor: User, locked: bool, origin: Origin | None = None) -> Topic:
    actions = (Action.TOPIC_LOCKED, Action.TOPIC_UNLOCKED)
    return _topic_switch(topic, "is_locked", locked, actions, actor=actor, origin=origin)


@transaction.atomic
def topic_pin_set(*, topic: Topic, actor: User, pinned: bool, origin: Origin | None = None) -> Topic:
    actions = (Action.TOPIC_PINNED, Action.TOPIC_UNPINNED)
    return _topic_switch(topic, "is_pinned", pinned, actions, actor=actor, origin=origin)


@transaction.atomic
def topic_move(*, topic: Topic, category: Category, actor: User, origin: Origin | None = None) -> Topic:
    previous = topic.category
    topic.category = category
    topic.save(update_fields=["category"])
    forum_event_record(
        action=Action.TOPIC_MOVED,
        actor=actor,
        topic=topic,
        details={"from": previous.slug, "to": category.slug},
        origin=origin,
    )
    return topic


@transaction.atomic
def topic_to_ticket(*, topic: Topic, actor: User, origin: Origin | None = None):
    """Move a thread that needs account details into a private ticket for its author; hide the topic.

    The author gets the ticket's confirmation e-mail (the support app's own kind) and continues
    there in private; the forum thread is hidden from everybody but staff.
    """
    first = topic.posts.filter(is_first=True).first()
    ticket = ticket_create(
        email=topic.author.email,
        subject=topic.title,
        message=first.body if first else topic.title,
        category="other",
        account=Account.objects.filter(user_id=topic.author_id).first(),
        origin=origin,
        source="console",
    )
    topic.visibility = Visibility.HIDDEN
    topic.is_locked = True
    topic.save(update_fields=["visibility", "is_locked"])
    forum_event_record(
        action=Action.TOPIC_TO_TICKET,
        actor=actor,
        topic=topic,
        member=topic.author,
        details={"ticket": ticket.number},
        origin=origin,
    )
    return ticket


@transaction.atomic
def member_suspend(
    *, member: User, actor: User, days: int, reason: str, origin: Origin | None = None
) -> ForumProfile:
    """Stop a member posting for `days` days (0 lifts the suspension); they can still read."""
    profile = profile_get_or_create(user=member)
    if days > 0:
        profile.suspended_until = timezone.now() + timedelta(days=days)
        profile.suspended_reason = reason
    else:
        profile.suspended_until = None
        profile.suspended_reason = ""
    profile.save(update_fields=["suspended_until", "suspended_reason"])
    forum_event_record(
        action=Action.MEMBER_SUSPENDED if days > 0 else Action.MEMBER_UNSUSPENDED,
        actor=actor,
        member=member,
        details={"days": days, "reason": reason} if days > 0 else {},
        origin=origin,
    )
    return profile


@transaction.atomic
def flags_resolve(*, post: Post, actor: User, hide: bool, origin: Origin | None = None) -> int:
    """Close the open flags of a post, hiding it or keeping it; return how many were closed."""
    count = Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if hide and post.visibility != Visibility.HIDDEN:
        post_visibility_set(post=post, actor=actor, hidden=True, reason="flagged", origin=origin)
    forum_event_record(
        action=Action.FLAG_RESOLVED,
        actor=actor,
        topic=post.topic,
        post=post,
        member=post.author,
        details={"flags": count, "hidden": hide},
        origin=origin,
    )
    return count


@transaction.atomic
def topics_solved_close(*, now=None) -> int:
    """Lock topics solved more than FORUMS_SOLVED_AUTO_CLOSE_DAYS ago; return how many."""
    days = settings.FORUMS_SOLVED_AUTO_CLOSE_DAYS
    if not days:
        return 0
    now = now or timezone.now()
    due = list(Topic.objects.filter(is_locked=False, solved_at__lte=now - timedelta(days=days)))
    for topic in due:
        topic.is_locked = True
        topic.save(update_fields=["is_locked"])
        forum_event_record(action=Action.TOPIC_CLOSED_SOLVED, topic=topic, details={"days": days})
    return len(due)
