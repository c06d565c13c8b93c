"""Periodic housekeeping of owner proofs (run by beat)."""

from celery import shared_task

from . import services


@shared_task
def owner_proofs_expire() -> int:
    """Mark pending owner proofs past their lifetime as expired."""
    return services.owner_proofs_expire()
