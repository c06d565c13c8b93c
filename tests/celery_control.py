"""Point the Celery app at another broker in the middle of a test run."""


def celery_repoint(app, **conf) -> None:
    """Drop pooled connections and producers, then apply `conf` (e.g. broker_url, task_always_eager)."""
    app.close()
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app.conf.update(**conf)
