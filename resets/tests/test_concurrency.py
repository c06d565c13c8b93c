"""Two completions of the same link at once: exactly one wins (real threads, real transactions)."""

import threading

import pytest
from django.db import OperationalError, connection, connections

from accounts.models import VaultItem
from accounts.tests.factories import AccountFactory, VaultItemFactory, credentials_for
from resets import services
from resets.models import ResetRequest
from resets.tests.factories import pending_reset

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_completions_of_one_link_exactly_one_wins():
    account = AccountFactory()
    VaultItemFactory.create_batch(20, account=account)
    reset_request, token, _ = pending_reset(account)
    barrier = threading.Barrier(4)
    outcomes = []
    lock = threading.Lock()

    def complete(n: int):
        try:
            barrier.wait(timeout=10)
            services.reset_complete(token=token, **credentials_for(f"Concurrent-password-{n}-xyz"), hint="")
            result = "ok"
        except services.ResetLinkInvalid:
            result = "invalid"
        except OperationalError:  # SQLite only: its database lock refuses the loser outright
            result = "locked"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=complete, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("ok") == 1, outcomes
    if connection.vendor == "postgresql":
        assert outcomes.count("invalid") == 3, outcomes
    reset_request.refresh_from_db()
    account.refresh_from_db()
    assert reset_request.state == ResetRequest.State.COMPLETED
    assert account.key_generation == 2
    assert reset_request.events.filter(state="completed").count() == 1
    assert not VaultItem.objects.filter(account=account).exists()
