import pytest
from django.core.management import call_command

from accounts.demo import DEMO_AGENT, DEMO_CUSTOMER, DEMO_SUPERVISOR
from accounts.models import Account, License, User, VaultItem

pytestmark = pytest.mark.django_db


def test_seed_demo_twice_is_harmless(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out
    assert DEMO_CUSTOMER in first and DEMO_AGENT in first and DEMO_SUPERVISOR in first
    assert "already loaded" in second
    assert User.objects.filter(email=DEMO_CUSTOMER).count() == 1
    account = Account.objects.get(user__email=DEMO_CUSTOMER)
    assert account.license.plan == License.Plan.PREMIUM
    assert VaultItem.objects.filter(account=account).count() == 12
    assert User.objects.get(email=DEMO_AGENT).groups.filter(name="agent").exists()
    assert User.objects.get(email=DEMO_SUPERVISOR).groups.filter(name="supervisor").exists()
    from support.models import Ticket

    assert Ticket.objects.filter(email=DEMO_CUSTOMER).count() == 1
