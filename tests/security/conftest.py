"""Fixtures of the security tests."""

import pytest

from tests.celery_control import celery_repoint


@pytest.fixture
def queue_only():
    """Publish tasks to an in-memory broker that no worker reads (the request's own cost).

    Kombu's memory transport is one store per process: the messages are purged afterwards,
    or a later test's worker on memory:// would pick them up.
    """
    from portal.celery import app

    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    celery_repoint(app, broker_url="memory://localhost/", task_always_eager=False)
    try:
        yield app
    finally:
        app.control.purge()
        celery_repoint(app, **previous)
