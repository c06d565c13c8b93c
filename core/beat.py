"""The embedded default's beat: the periodic tasks of CELERY_BEAT_SCHEDULE, run in the web process.

Production runs `celery beat` beside the worker (docker-compose.yml, `make worker`). The
embedded default (`make run`) has no broker and no beat process, so without this its periodic
tasks would never run: reset links would never be marked expired in the trail support reads,
cooling-off reminders, forum digests and the outbox flush would never go out. With
`EMBEDDED_BEAT` (the dev settings) and tasks running in process, the first request starts one
daemon thread that, each time an entry of the schedule is due, hands its task to the runner of
`core.eager`: the one thread that runs in-process tasks one at a time, like a worker.
"""

import logging
import threading
from importlib import import_module

from celery import current_app
from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.signals import request_started

from .eager import jobs_hand_over

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.1


class EmbeddedBeat:
    """The schedule's entries and when each last ran; `due()` says which tasks to run now.

    Like `celery beat` with a fresh schedule file: an entry first runs one period after start.
    """

    def __init__(self, schedule: dict):
        self.entries = {
            name: (entry["task"], maybe_schedule(entry["schedule"])) for name, entry in schedule.items()
        }
        self.last_run = {name: when.now() for name, (_, when) in self.entries.items()}

    def due(self) -> list[str]:
        """The task names due now; their entries start a new period."""
        tasks = []
        for name, (task, when) in self.entries.items():
            if when.is_due(self.last_run[name]).is_due:
                self.last_run[name] = when.now()
                tasks.append(task)
        return tasks


_lock = threading.Lock()
_stop: threading.Event | None = None


def task_resolve(name: str):
    """The task named `name`, importing its module first: a web process, unlike a worker, does
    not autodiscover the apps' `tasks` modules."""
    import_module(name.rpartition(".")[0])
    return current_app.tasks[name]


def _task_job(name: str):
    def job():
        task_resolve(name).apply()

    return job


def _beat_run(beat: EmbeddedBeat, stop: threading.Event) -> None:
    while not stop.wait(TICK_SECONDS):
        try:
            jobs_hand_over([_task_job(name) for name in beat.due()])
        except Exception:
            logger.exception("The embedded beat could not hand over its due tasks")


def embedded_beat_start(**kwargs) -> bool:
    """Start the embedded beat once, if this process runs tasks in process and EMBEDDED_BEAT is on."""
    global _stop
    if not getattr(settings, "EMBEDDED_BEAT", False) or not current_app.conf.task_always_eager:
        return False
    with _lock:
        if _stop is not None:
            return False
        _stop = threading.Event()
        beat = EmbeddedBeat(settings.CELERY_BEAT_SCHEDULE)
        threading.Thread(target=_beat_run, args=(beat, _stop), name="embedded-beat", daemon=True).start()
    return True


def embedded_beat_stop() -> None:
    """Stop the embedded beat (tests); the next request may start a new one."""
    global _stop
    with _lock:
        if _stop is not None:
            _stop.set()
            _stop = None


request_started.connect(embedded_beat_start, dispatch_uid="core.beat.embedded_beat_start")
