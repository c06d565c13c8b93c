"""Celery's task class for the whole portal: on the embedded default, work queued in a request
runs after its response (`EAGER_TASKS_AFTER_RESPONSE`).

Set as the app's `task_cls` (portal/celery.py); a task with a base of its own subclasses it.
"""

import logging
import queue
import threading

from celery import Task
from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_request_state = threading.local()


class AfterResponseTask(Task):
    """Celery's task; on the embedded default, work queued in a request runs after its response.

    With no broker, tasks run in process ("eager"). Run inside the request, the account
    lookup of a reset or hint request would make a known address answer slower than an
    unknown one, which production (a real worker) never does. With
    `EAGER_TASKS_AFTER_RESPONSE` (dev settings) such tasks wait until the response is
    finished and then run in a thread of their own. Outside a request they run at once.
    """

    def apply_async(self, args=None, kwargs=None, **options):
        jobs = getattr(_request_state, "jobs", None)
        if jobs is not None and self.app.conf.task_always_eager and _after_response_enabled():
            jobs.append(lambda: Task.apply_async(self, args, kwargs, **options))
            return None
        return super().apply_async(args, kwargs, **options)


def _after_response_enabled() -> bool:
    from django.conf import settings

    return getattr(settings, "EAGER_TASKS_AFTER_RESPONSE", False)


def _request_began(**kwargs) -> None:
    # Under ASGI, sync code of concurrent requests shares one thread: never drop jobs another
    # request queued and has not yet handed over (whichever request finishes first runs them).
    if getattr(_request_state, "jobs", None) is None:
        _request_state.jobs = []


def _request_ended(**kwargs) -> None:
    jobs, _request_state.jobs = getattr(_request_state, "jobs", None), None
    if jobs:
        jobs_hand_over(jobs)


# One thread runs the handed-over jobs, one at a time, like a worker with one process: on
# SQLite two task threads writing at once would lock each other out.
_queue: "queue.SimpleQueue" = queue.SimpleQueue()
_runner_lock = threading.Lock()
_runner: threading.Thread | None = None


def jobs_hand_over(jobs) -> None:
    """Queue `jobs` (callables) for the one in-process runner thread, starting it if it is idle."""
    global _runner
    for job in jobs:
        _queue.put(job)
    with _runner_lock:
        if _runner is None:
            _runner = threading.Thread(target=_jobs_run, name="eager-tasks", daemon=False)
            _runner.start()


def _jobs_run() -> None:
    """Run queued jobs until none is left for a moment, then end (the process may exit)."""
    global _runner
    from django.db import connections

    try:
        while True:
            try:
                job = _queue.get(timeout=0.5)
            except queue.Empty:
                with _runner_lock:  # a job handed over meanwhile finds this runner still here
                    if _queue.empty():
                        _runner = None
                        return
                continue
            try:
                job()
            except Exception:
                logger.exception("A task queued during a request failed")
    finally:
        connections.close_all()


request_started.connect(_request_began, dispatch_uid="core.eager.request_began")
request_finished.connect(_request_ended, dispatch_uid="core.eager.request_ended")
