"""Point the Celery app at another broker in the middle of a test run; run a real worker."""

from contextlib import contextmanager


def celery_repoint(app, **conf) -> None:
    """Drop pooled connections and producers, then apply `conf` (e.g. broker_url, task_always_eager).

    Every autodiscovered task module is imported first: `app.close()` takes the app out of
    Celery's active apps, and a `@shared_task` module first imported after that (e.g. a
    service's function-level import of its app's tasks) would never reach `app.tasks`.
    """
    app.loader.import_default_modules()
    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.update(**conf)


@contextmanager
def celery_worker_started(broker_url: str | None = None):
    """Run a real Celery worker thread on the test broker; yield the app, then restore it.

    The one worker set-up of the suite: the root `celery_worker` fixture and the e2e package's
    shared worker both use it. Tests using it need `django_db(transaction=True)`: the worker has
    its own DB connection.
    """
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from django.conf import settings
    from django.db import connections

    from portal.celery import app

    def close_worker_connections(**kwargs):
        connections.close_all()

    previous = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    # Register every autodiscovered task now: app.close() takes the app out of Celery's active
    # apps, and a @shared_task module first imported after that never reaches app.tasks.
    app.loader.import_default_modules()
    celery_repoint(app, broker_url=broker_url or settings.CELERY_TEST_BROKER_URL, task_always_eager=False)
    task_postrun.connect(close_worker_connections, weak=False)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=30, loglevel="WARNING"
        ):
            yield app
    finally:
        task_postrun.disconnect(close_worker_connections)
        celery_repoint(app, **previous)
