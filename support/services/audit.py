"""The support audit trail: every console action and account view, for the support team."""

from accounts.models import Account, SecurityEvent, User
from accounts.services import security_event_record
from core.origin import Origin

from ..models import SupportAuditEvent, Ticket


def support_audit_record(
    *,
    actor: User,
    action: str,
    account: Account | None = None,
    ticket: Ticket | None = None,
    details: dict | None = None,
    origin: Origin | None = None,
    customer_visible: bool = True,
) -> SupportAuditEvent:
    """Record a console action; account actions also land in the account's security events."""
    event = SupportAuditEvent.objects.create(
        actor=actor,
        action=action,
        account=account,
        ticket=ticket,
        details=details or {},
        **SupportAuditEvent.origin_columns(origin),
    )
    if account is not None and customer_visible:
        security_event_record(
            account=account,
            type=SecurityEvent.Type.SUPPORT_ACTION,
            origin=origin,
            details={"action": action, "by": "support", "agent": actor.pk, **(details or {})},
        )
    return event


def account_view_record(*, account: Account, actor: User, origin: Origin | None = None) -> None:
    """Note that `actor` opened the account in the console (support-side audit only)."""
    support_audit_record(
        actor=actor,
        action=SupportAuditEvent.Action.ACCOUNT_VIEWED,
        account=account,
        origin=origin,
        customer_visible=False,
    )
