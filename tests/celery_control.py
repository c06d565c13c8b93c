"""Point the Celery app at another broker in the middle of a test run."""


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
