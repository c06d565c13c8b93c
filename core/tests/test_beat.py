"""The embedded default's beat: each schedule entry once per period, started only where no beat runs."""

import os
import subprocess
import sys
import time

import pytest
from celery import current_app

from core.beat import EmbeddedBeat, embedded_beat_start, embedded_beat_stop


def test_an_entry_is_due_once_per_period_the_first_time_one_period_after_start():
    beat = EmbeddedBeat(
        {
            "often": {"task": "app.often", "schedule": 0.2},
            "hourly": {"task": "app.hourly", "schedule": 3600.0},
        }
    )
    assert beat.due() == []
    time.sleep(0.25)
    assert beat.due() == ["app.often"]
    assert beat.due() == []


@pytest.fixture
def stopped():
    embedded_beat_stop()
    yield
    embedded_beat_stop()


def test_it_starts_once_and_only_with_the_setting_and_tasks_in_process(settings, stopped):
    settings.CELERY_BEAT_SCHEDULE = {}
    settings.EMBEDDED_BEAT = False
    assert not embedded_beat_start()
    settings.EMBEDDED_BEAT = True
    eager = current_app.conf.task_always_eager
    try:
        current_app.conf.task_always_eager = False  # a broker, so a real `celery beat`
        assert not embedded_beat_start()
        current_app.conf.task_always_eager = True
        assert embedded_beat_start()
        assert not embedded_beat_start()
    finally:
        current_app.conf.task_always_eager = eager


def test_a_scheduled_task_is_found_in_a_web_process_that_never_imported_its_module():
    """A web process imports no `tasks` module by itself (a worker autodiscovers them)."""
    code = (
        "import sys, django; django.setup(); from core.beat import task_resolve; "
        "assert 'proofs.tasks' not in sys.modules; "
        "print(task_resolve('proofs.tasks.owner_proofs_expire').name)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.test"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "proofs.tasks.owner_proofs_expire"
