"""Who is who: customers versus support staff (agent and supervisor groups)."""

AGENT_GROUP = "agent"
SUPERVISOR_GROUP = "supervisor"
SUPPORT_GROUPS = (AGENT_GROUP, SUPERVISOR_GROUP)


def is_support_staff(user) -> bool:
    """True for signed-in, active staff in the agent or supervisor group."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.groups.filter(name__in=SUPPORT_GROUPS).exists()
    )


def is_supervisor(user) -> bool:
    """True for signed-in, active staff in the supervisor group."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.groups.filter(name=SUPERVISOR_GROUP).exists()
    )
