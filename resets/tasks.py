"""Periodic housekeeping of reset requests (run by beat)."""

from celery import shared_task

from . import services


@shared_task
def reset_requests_expire() -> int:
    """Mark reset requests whose link lifetime has passed as expired."""
    return services.reset_requests_expire()


@shared_task
def reset_cooling_off_remind() -> int:
    """E-mail the owners of cooling-off resets that end within a day."""
    return services.reset_cooling_off_remind()
