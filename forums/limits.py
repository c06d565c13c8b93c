"""Forum rate limits, on top of the portal's rate limiter (rates in portal/settings/forums.py)."""

from django.conf import settings

from core.ratelimit import ip_rate_limit_hit, rate_limit_hit


def topic_create_limited(*, user_id: int) -> bool:
    return rate_limit_hit(scope="forums:topics", key=str(user_id), rate=settings.FORUMS_RATE_TOPICS)


def post_create_limited(*, user_id: int) -> bool:
    return rate_limit_hit(scope="forums:posts", key=str(user_id), rate=settings.FORUMS_RATE_POSTS)


def post_edit_limited(*, user_id: int) -> bool:
    return rate_limit_hit(scope="forums:edits", key=str(user_id), rate=settings.FORUMS_RATE_EDITS)


def flag_limited(*, user_id: int) -> bool:
    return rate_limit_hit(scope="forums:flags", key=str(user_id), rate=settings.FORUMS_RATE_FLAGS)


def search_limited(*, ip: str | None) -> bool:
    return ip_rate_limit_hit(scope="forums:search", ip=ip, rate=settings.FORUMS_RATE_SEARCH_PER_IP)


def suggest_limited(*, ip: str | None) -> bool:
    return ip_rate_limit_hit(scope="forums:suggest", ip=ip, rate=settings.FORUMS_RATE_SUGGEST_PER_IP)
