"""E-mail to followers through the outbox: one e-mail per window, a digest for the rest.

A follower gets the first new post at once; posts arriving within FORUMS_DIGEST_WINDOW_MINUTES
of that e-mail wait on the follow and leave together in one digest when the window ends
(`digests_send`, run by the beat every few minutes).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from mailer.services import email_queue

from ..models import Follow, Post, Topic

# The e-mail kinds of this app (declared, with their renderers, in forums/emails.py).
EMAIL_POST = "forums.post"
EMAIL_DIGEST = "forums.digest"


def _window() -> timedelta:
    return timedelta(minutes=settings.FORUMS_DIGEST_WINDOW_MINUTES)


def _email_or_hold(follow: Follow, post: Post, now) -> None:
    if follow.last_emailed_at and follow.last_emailed_at > now - _window():
        follow.pending.add(post)
        return
    if follow.pending.exists():  # a digest is due: this post joins it
        follow.pending.add(post)
        return
    email_queue(
        to=follow.user.email,
        kind=EMAIL_POST,
        account=Account.objects.filter(user_id=follow.user_id).first(),
        context={"follow_id": follow.pk, "post_id": post.pk},
    )
    Follow.objects.filter(pk=follow.pk).update(last_emailed_at=now)


def _followers(qs, author_id: int):
    return qs.exclude(user_id=author_id).filter(user__is_active=True).select_related("user")


def post_notify(*, post: Post) -> None:
    """Tell the topic's followers about a new visible reply (called inside the posting transaction)."""
    now = timezone.now()
    for follow in _followers(Follow.objects.filter(topic_id=post.topic_id), post.author_id):
        _email_or_hold(follow, post, now)


def topic_notify(*, topic: Topic) -> None:
    """Tell the category's followers about a new visible topic."""
    first = topic.posts.filter(is_first=True).first()
    if first is None:
        return
    now = timezone.now()
    for follow in _followers(Follow.objects.filter(category_id=topic.category_id), topic.author_id):
        _email_or_hold(follow, first, now)


@transaction.atomic
def digests_send(*, now=None) -> int:
    """Queue one digest per follow whose window has ended with posts waiting; return how many."""
    now = now or timezone.now()
    due_ids = set(
        Follow.objects.filter(pending__isnull=False, last_emailed_at__lte=now - _window()).values_list(
            "pk", flat=True
        )
    )
    due = Follow.objects.select_for_update().filter(pk__in=due_ids).select_related("user")
    sent = 0
    for follow in due:
        post_ids = sorted(follow.pending.values_list("pk", flat=True))
        email_queue(
            to=follow.user.email,
            kind=EMAIL_DIGEST,
            account=Account.objects.filter(user_id=follow.user_id).first(),
            context={"follow_id": follow.pk, "post_ids": post_ids},
        )
        follow.pending.clear()
        Follow.objects.filter(pk=follow.pk).update(last_emailed_at=now)
        sent += 1
    return sent
