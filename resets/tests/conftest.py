import uuid

import pytest

from resets import limits


@pytest.fixture(autouse=True)
def fresh_rate_limits(monkeypatch):
    """Give every test its own rate-limit counters (the cache may be a shared Redis)."""
    monkeypatch.setattr(limits, "KEY_PREFIX", f"resets:rl:test-{uuid.uuid4().hex}")
