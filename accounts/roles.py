"""Who is who: customers versus support staff (agent and supervisor groups)."""

AGENT_GROUP = "agent"
SUPERVISOR_GROUP = "supervisor"
SUPPORT_GROUPS = (AGENT_GROUP, SUPERVISOR_GROUP)


def _active_staff_in(user, group_names) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.groups.filter(name__in=group_names).exists()
    )


def is_support_staff(user) -> bool:
    """True for signed-in, active staff in the agent or supervisor group."""
    return _active_staff_in(user, SUPPORT_GROUPS)


def is_supervisor(user) -> bool:
    """True for signed-in, active staff in the supervisor group."""
    return _active_staff_in(user, [SUPERVISOR_GROUP])
