"""Periodic housekeeping of reset requests (run by beat)."""

from celery import shared_task

from . import services


@shared_task
def reset_requests_expire() -> int:
    """Mark reset requests whose link lifetime has passed as expired."""
    return services.reset_requests_expire()
