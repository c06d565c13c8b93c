"""Celery: Redis in production; with no broker configured, tasks run eagerly in-process."""

from .env import env

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=env("REDIS_URL", default=""))
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
# In-process tasks queued by a request run after its response (core.eager.AfterResponseTask), so
# that the embedded default answers in the same time for known and unknown addresses. The dev
# settings turn it on; tests keep tasks synchronous unless a test turns it on.
EAGER_TASKS_AFTER_RESPONSE = False
# With tasks in process and no `celery beat`, the web process runs CELERY_BEAT_SCHEDULE itself
# (core.beat). The dev settings turn it on; tests start it only where a test asks for it.
EMBEDDED_BEAT = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# How long a task taken by a worker that died stays invisible before Redis hands it out again.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=10),
}
# The worker logs through Django's LOGGING (every handler scrubs secrets), not Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "mailer-flush-outbox": {"task": "mailer.tasks.outbox_flush", "schedule": 60.0},
}
