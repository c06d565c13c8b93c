"""The forums' audit trail: one writer."""

from core.origin import Origin

from ..models import ForumEvent


def forum_event_record(
    *,
    action: str,
    actor=None,
    topic=None,
    post=None,
    member=None,
    details: dict | None = None,
    origin: Origin | None = None,
) -> ForumEvent:
    """Append one moderation action to the forums' audit trail, with where it came from."""
    return ForumEvent.objects.create(
        action=action,
        actor=actor,
        topic=topic,
        post=post,
        member=member,
        details=details or {},
        **ForumEvent.origin_columns(origin),
    )
