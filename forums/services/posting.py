"""Members' writes: profiles, topics, replies, edits, accepted answers, follows and flags."""

import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.origin import Origin

from ..markdown import markdown_render
from ..models import Category, Flag, Follow, ForumEvent, ForumProfile, Post, PostRevision, Topic, Visibility
from ..permissions import is_moderator
from ..search import FORUM_WORDS
from .audit import forum_event_record
from .notify import post_notify, topic_notify


class ForumError(Exception):
    """A refused forum action, with a message written for the member."""


def profile_get_or_create(*, user: User) -> ForumProfile:
    """Return the member's forum profile, creating it with a random public name on first use."""
    profile = ForumProfile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    prefix = "team" if is_moderator(user) else "member"
    for _ in range(5):
        try:
            with transaction.atomic():
                return ForumProfile.objects.create(user=user, display_name=f"{prefix}-{secrets.token_hex(3)}")
        except IntegrityError:
            continue
    raise ForumError("We could not create your forum profile. Please try again.")


def profile_rename(*, user: User, display_name: str) -> ForumProfile:
    """Change the member's public name (unique, case-insensitively)."""
    profile = profile_get_or_create(user=user)
    if ForumProfile.objects.filter(display_name__iexact=display_name).exclude(pk=profile.pk).exists():
        raise ForumError("Another member already uses this name.")
    profile.display_name = display_name
    profile.save(update_fields=["display_name"])
    return profile


def _is_held(user: User) -> bool:
    """Discourse's trust level 0: a new member's posts wait for a moderator."""
    if is_moderator(user):
        return False
    profile = profile_get_or_create(user=user)
    return profile.approved_posts < settings.FORUMS_TRUSTED_AFTER_POSTS


def _post_new(*, topic: Topic, author: User, body: str, is_first: bool) -> Post:
    held = _is_held(author)
    post = Post.objects.create(
        topic=topic,
        author=author,
        body=body,
        body_html=markdown_render(body),
        by_staff=is_moderator(author),
        is_first=is_first,
        visibility=Visibility.HELD if held else Visibility.VISIBLE,
    )
    if not held:
        ForumProfile.objects.filter(user=author).update(approved_posts=F("approved_posts") + 1)
    FORUM_WORDS.forget()  # new words for search's typo correction
    return post


def _follow(*, user: User, topic: Topic | None = None, category: Category | None = None) -> Follow:
    follow, _ = Follow.objects.get_or_create(user=user, topic=topic, category=category)
    return follow


@transaction.atomic
def topic_create(*, author: User, category: Category, title: str, body: str) -> Topic:
    """Open a topic with its first post; the author follows it. A new member's topic is held."""
    profile_get_or_create(user=author)
    now = timezone.now()
    topic = Topic.objects.create(
        category=category, author=author, title=" ".join(title.split()), created_at=now, last_posted_at=now
    )
    post = _post_new(topic=topic, author=author, body=body, is_first=True)
    if post.visibility == Visibility.HELD:
        topic.visibility = Visibility.HELD
        topic.save(update_fields=["visibility"])
    _follow(user=author, topic=topic)
    if topic.visibility == Visibility.VISIBLE:
        topic_notify(topic=topic)
    return topic


@transaction.atomic
def post_create(*, author: User, topic: Topic, body: str) -> Post:
    """Reply to a topic; the author follows it, its followers are told (unless the reply is held)."""
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    if topic.is_locked and not is_moderator(author):
        raise ForumError("This topic is closed to new replies.")
    profile_get_or_create(user=author)
    post = _post_new(topic=topic, author=author, body=body, is_first=False)
    if post.visibility == Visibility.VISIBLE:
        Topic.objects.filter(pk=topic.pk).update(
            reply_count=F("reply_count") + 1, last_posted_at=post.created_at
        )
        post_notify(post=post)
    _follow(user=author, topic=topic)
    return post


@transaction.atomic
def post_edit(*, post: Post, editor: User, body: str, origin: Origin | None = None) -> Post:
    """Change a post's text, keeping the previous text as a revision anybody can read."""
    if body == post.body:
        return post
    PostRevision.objects.create(post=post, body=post.body, edited_by=editor)
    post.body = body
    post.body_html = markdown_render(body)
    post.edited_at = timezone.now()
    post.save(update_fields=["body", "body_html", "edited_at"])
    FORUM_WORDS.forget()
    if editor.pk != post.author_id:
        forum_event_record(
            action=ForumEvent.Action.POST_EDITED,
            actor=editor,
            topic=post.topic,
            post=post,
            member=post.author,
            origin=origin,
        )
    return post


@transaction.atomic
def topic_title_edit(*, topic: Topic, title: str) -> Topic:
    topic.title = " ".join(title.split())
    topic.save(update_fields=["title"])
    FORUM_WORDS.forget()
    return topic


@transaction.atomic
def answer_accept(*, topic: Topic, post: Post, actor: User, origin: Origin | None = None) -> Topic:
    """Mark `post` as the accepted answer of `topic` (replacing any earlier one)."""
    if post.topic_id != topic.pk or post.is_first or post.visibility != Visibility.VISIBLE:
        raise ForumError("Only a visible reply in this topic can be the accepted answer.")
    topic.accepted_post = post
    topic.solved_at = timezone.now()
    topic.save(update_fields=["accepted_post", "solved_at"])
    if actor.pk != topic.author_id:
        forum_event_record(
            action=ForumEvent.Action.ANSWER_ACCEPTED, actor=actor, topic=topic, post=post, origin=origin
        )
    return topic


@transaction.atomic
def answer_unaccept(*, topic: Topic, actor: User, origin: Origin | None = None) -> Topic:
    topic.accepted_post = None
    topic.solved_at = None
    topic.save(update_fields=["accepted_post", "solved_at"])
    return topic


def follow_set(
    *, user: User, following: bool, topic: Topic | None = None, category: Category | None = None
) -> None:
    """Follow (or stop following) a topic or a category."""
    if following:
        _follow(user=user, topic=topic, category=category)
    else:
        Follow.objects.filter(user=user, topic=topic, category=category).delete()


def flag_create(*, post: Post, reporter: User, reason: str, note: str = "") -> Flag:
    """Report a post to the moderators (once per member while the flag is open)."""
    flag = Flag.objects.filter(post=post, reporter=reporter, resolved_at__isnull=True).first()
    if flag is not None:
        return flag
    return Flag.objects.create(post=post, reporter=reporter, reason=reason, note=note)
