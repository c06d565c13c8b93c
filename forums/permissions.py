"""Who may do what in the forums. Signed-out visitors read; verified members post; staff moderate.

Moderators are the support console's staff (`support.permissions.can_use_console`): one rule
for who is staff across the portal.
"""

from allauth.account.models import EmailAddress
from django.utils import timezone

from support.permissions import can_use_console

from .models import Post, Topic, Visibility


def is_moderator(user) -> bool:
    """True for support staff: they moderate and their posts are badged Vault team."""
    return can_use_console(user)


def posting_refusal(user) -> str | None:
    """Return why `user` may not post right now (a sentence for them), or None when they may."""
    if not user.is_authenticated:
        return "Sign in to post in the forums."
    if not user.is_active:
        return "This account cannot post."
    if is_moderator(user):
        return None
    if user.is_staff:
        return "Staff post from a support account."
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        return "Confirm your e-mail address first: we sent you a link when you signed up."
    profile = getattr(user, "forum_profile", None)
    if profile is not None and profile.is_suspended(timezone.now()):
        return "A moderator has suspended your posting for now. You can still read the forums."
    return None


def can_post(user) -> bool:
    return posting_refusal(user) is None


def can_see_topic(user, topic: Topic) -> bool:
    if topic.visibility == Visibility.VISIBLE:
        return True
    if is_moderator(user):
        return True
    return topic.visibility == Visibility.HELD and user.is_authenticated and topic.author_id == user.pk


def can_see_post(user, post: Post) -> bool:
    """The per-post rule of `selectors.topic_posts`: a held post is its author's and staff's only."""
    if not can_see_topic(user, post.topic):
        return False
    if post.visibility == Visibility.VISIBLE or is_moderator(user):
        return True
    return post.visibility == Visibility.HELD and user.is_authenticated and post.author_id == user.pk


def can_open_topic_in(user, category) -> bool:
    return can_post(user) and (not category.staff_only or is_moderator(user))


def can_reply(user, topic: Topic) -> bool:
    if not can_post(user):
        return False
    return is_moderator(user) or (not topic.is_locked and topic.visibility == Visibility.VISIBLE)


def can_edit(user, post: Post) -> bool:
    if is_moderator(user):
        return True
    return (
        can_post(user)
        and post.author_id == user.pk
        and not post.topic.is_locked
        and post.visibility != Visibility.HIDDEN
    )


def can_accept(user, topic: Topic) -> bool:
    """The asker or staff mark the accepted answer."""
    if is_moderator(user):
        return True
    return user.is_authenticated and topic.author_id == user.pk and can_post(user)


def can_flag(user, post: Post) -> bool:
    return user.is_authenticated and post.author_id != user.pk and can_post(user)
