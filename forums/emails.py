"""Forum e-mails to followers, rendered by the worker at send time from ids.

Each carries a one-click unsubscribe link and the `List-Unsubscribe` headers (RFC 8058). A
follow deleted meanwhile (unsubscribed) or posts hidden meanwhile cancel the e-mail.
"""

from django.conf import settings
from django.urls import reverse

from mailer.registry import email_kind
from mailer.rendering import email_message, email_render

from .models import Follow, Post, Visibility
from .selectors import display_names
from .services.notify import EMAIL_DIGEST, EMAIL_POST
from .tokens import unsubscribe_url


def _topic_url(post: Post) -> str:
    return f"{settings.SITE_URL}{reverse('forums:post', args=[post.pk])}"


def _unsubscribe_headers(url: str) -> dict:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _render(email, follow: Follow, posts: list[Post], template: str):
    names = display_names(post.author_id for post in posts)
    items = [{"post": post, "name": names[post.author_id], "url": _topic_url(post)} for post in posts]
    unsubscribe = unsubscribe_url(follow.pk)
    rendered = email_render(
        template,
        {
            "follow": follow,
            "followed": follow.topic.title if follow.topic_id else follow.category.name,
            "items": items,
            "first": items[0],
            "unsubscribe": unsubscribe,
        },
    )
    return email_message(to=email.to, rendered=rendered, headers=_unsubscribe_headers(unsubscribe))


def _follow(email) -> Follow | None:
    return (
        Follow.objects.select_related("topic", "category").filter(pk=email.context.get("follow_id")).first()
    )


@email_kind(EMAIL_POST, label="Forum: new post in a followed topic or category")
def forum_post_email(email):
    follow = _follow(email)
    post = (
        Post.objects.select_related("topic")
        .filter(pk=email.context.get("post_id"), visibility=Visibility.VISIBLE)
        .first()
    )
    if follow is None or post is None or post.topic.visibility != Visibility.VISIBLE:
        return None
    return _render(email, follow, [post], "forums/email/post")


@email_kind(EMAIL_DIGEST, label="Forum: digest of new posts")
def forum_digest_email(email):
    follow = _follow(email)
    posts = list(
        Post.objects.select_related("topic")
        .filter(
            pk__in=email.context.get("post_ids") or [],
            visibility=Visibility.VISIBLE,
            topic__visibility=Visibility.VISIBLE,
        )
        .order_by("created_at", "id")
    )
    if follow is None or not posts:
        return None
    return _render(email, follow, posts, "forums/email/digest")
