"""Who may use the support console, as view decorators other apps can reuse.

Customers, anonymous visitors and staff outside the support groups get a plain 404 for
every console URL: nothing tells them the console exists.
"""

from functools import wraps

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.roles import AGENT_GROUP, SUPERVISOR_GROUP, is_supervisor, is_support_staff

USE_CONSOLE = "support.use_console"
CHANGE_LICENSE = "support.change_license"
CLOSE_ACCOUNT = "support.close_account"

GROUP_PERMISSIONS = {
    AGENT_GROUP: ["use_console", "view_supportauditevent"],
    SUPERVISOR_GROUP: ["use_console", "view_supportauditevent", "change_license", "close_account"],
}


def can_use_console(user) -> bool:
    """True for active staff in the agent or supervisor group holding the console permission."""
    return is_support_staff(user) and user.has_perm(USE_CONSOLE)


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
        if not can_use_console(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def supervisor_required(view):
    """Let supervisors through; 404 for non-staff, 403 for agents (who know the console exists)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_use_console(request.user):
            raise Http404
        if not can_supervise(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


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
