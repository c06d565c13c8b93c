"""Periodic forum work (scheduled by CELERY_BEAT_SCHEDULE in portal/settings/forums.py)."""

from celery import shared_task

from .services.moderation import topics_solved_close
from .services.notify import digests_send as _digests_send


@shared_task(name="forums.tasks.digests_send")
def digests_send() -> int:
    return _digests_send()


@shared_task(name="forums.tasks.solved_topics_close")
def solved_topics_close() -> int:
    return topics_solved_close()
