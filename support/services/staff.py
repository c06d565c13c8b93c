"""Who works in the console: the agent or supervisor role, given or taken by an operator.

The person first signs up on the portal and confirms their address like any customer, so their
password never reaches the server; with a role, the console asks them to set up a second factor
before it opens (support.permissions). `manage.py support_staff` is the operator's command.
"""

from allauth.account.models import EmailAddress
from django.db import transaction

from accounts.models import User
from accounts.roles import SUPPORT_GROUPS
from core.addresses import email_normalise

from ..permissions import console_groups_ensure


class StaffRoleRefused(Exception):
    """No active user with this confirmed address: nobody to give a role to."""


@transaction.atomic
def support_role_set(*, email: str, role: str | None) -> User:
    """Make the user with this confirmed address an agent or a supervisor, or (role None) neither."""
    if role is not None and role not in SUPPORT_GROUPS:
        raise ValueError(f"unknown role {role!r}")
    email = email_normalise(email)
    confirmed = EmailAddress.objects.filter(email__iexact=email, verified=True, primary=True)
    user = User.objects.filter(email__iexact=email, is_active=True, pk__in=confirmed.values("user")).first()
    if user is None:
        raise StaffRoleRefused(email)
    groups = console_groups_ensure()
    user.groups.remove(*groups.values())
    if role is not None:
        user.groups.add(groups[role])
    user.is_staff = role is not None
    user.save(update_fields=["is_staff"])
    return user
