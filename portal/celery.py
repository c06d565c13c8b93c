"""Celery application for the portal (worker, beat and the web process that queues)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

# Every task's class: on the embedded default, tasks queued in a request run after its response.
app = Celery("portal", task_cls="core.eager:AfterResponseTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Every thread (live-server request threads included) resolves `shared_task` against this app.
app.set_default()
