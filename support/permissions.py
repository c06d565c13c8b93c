"""Who may use the support console, as view decorators other apps can reuse.

Customers, anonymous visitors and staff outside the support groups get a plain 404 for
every console URL: nothing tells them the console exists. Support staff without a second
factor (an authenticator app or a passkey, allauth.mfa) get a page that says so and leads to
enrolment, for every console and agent-chat URL. Supervisor actions (licence change, account
closing) also need a second-factor re-authentication within SUPPORT_SECOND_FACTOR_REAUTH_SECONDS.
"""

import time
from functools import wraps

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from accounts.roles import AGENT_GROUP, SUPERVISOR_GROUP, is_supervisor, is_support_staff
from accounts.second_factors import second_factor_enrolled

USE_CONSOLE = "support.use_console"
CHANGE_LICENSE = "support.change_license"
CLOSE_ACCOUNT = "support.close_account"

GROUP_PERMISSIONS = {
    AGENT_GROUP: ["use_console", "view_supportauditevent"],
    SUPERVISOR_GROUP: ["use_console", "view_supportauditevent", "change_license", "close_account"],
}


def console_role(user) -> bool:
    """True for active staff in the agent or supervisor group holding the console permission
    (whether or not they have enrolled a second factor yet)."""
    return is_support_staff(user) and user.has_perm(USE_CONSOLE)


def can_use_console(user) -> bool:
    """The console role and an enrolled second factor: the one rule for pages, chat and services."""
    return console_role(user) and second_factor_enrolled(user)


def second_factor_recent(request) -> bool:
    """True when this session passed a second factor (sign-in step or re-authentication) lately."""
    window = settings.SUPPORT_SECOND_FACTOR_REAUTH_SECONDS
    records = get_authentication_records(request, request.user)
    return any(r.get("method") == "mfa" and time.time() - r.get("at", 0) <= window for r in records)


def _second_factor_missing(request):
    return render(
        request, "support/second_factor_required.html", {"enrol_url": reverse("mfa_index")}, status=403
    )


def can_supervise(user) -> bool:
    """True for supervisors allowed to change licences and close accounts."""
    return (
        can_use_console(user)
        and is_supervisor(user)
        and user.has_perm(CHANGE_LICENSE)
        and user.has_perm(CLOSE_ACCOUNT)
    )


def support_staff_required(view):
    """Let support staff through; answer 404 to everybody else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not console_role(request.user):
            raise Http404
        if not second_factor_enrolled(request.user):
            return _second_factor_missing(request)
        return view(request, *args, **kwargs)

    return wrapped


def supervisor_required(view):
    """Let supervisors through after a recent second factor; 404 for non-staff, 403 for agents.

    Without a recent second-factor re-authentication the request (a POST too) is suspended and
    the supervisor is sent to allauth's "enter your code" page, which replays it on success.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_supervise(request.user):
            raise PermissionDenied
        if not second_factor_recent(request):
            return suspend_request(request, reverse("mfa_reauthenticate"))
        return view(request, *args, **kwargs)

    # The support staff checks (and their 404 and 403 page) first.
    return support_staff_required(wrapped)


def console_groups_ensure() -> dict[str, Group]:
    """Create the support groups if missing and give them their permissions (as migration 0002)."""
    groups = {}
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
        )
        groups[name] = group
    return groups
