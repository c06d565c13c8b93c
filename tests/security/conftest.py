"""Fixtures of the security tests."""

import pytest
from celery.signals import before_task_publish

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


class Broker:
    """Every task message as published (nothing runs eagerly); run them afterwards, as a worker would."""

    def __init__(self):
        self.messages = []

    def capture(self, sender=None, body=None, headers=None, **kwargs):
        self.messages.append({"task": sender, "body": body, "headers": dict(headers or {})})

    def run_pending(self):
        """Run what is queued, and what those tasks queue in turn."""
        from portal.celery import app

        while any(not m.get("ran") for m in self.messages):
            for message in [m for m in self.messages if not m.get("ran")]:
                message["ran"] = True
                args, kwargs, _ = message["body"]
                app.tasks[message["task"]].apply(args=args, kwargs=kwargs)


@pytest.fixture
def broker(queue_only):
    """Tasks are published (to an in-memory broker nobody consumes), never run eagerly."""
    captured = Broker()
    before_task_publish.connect(captured.capture, weak=False)
    try:
        yield captured
    finally:
        before_task_publish.disconnect(captured.capture)
