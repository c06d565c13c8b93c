"""Give a person the support agent or supervisor role, or take it away (production included)."""

from django.core.management.base import BaseCommand, CommandError

from accounts.roles import SUPPORT_GROUPS
from support.services.staff import StaffRoleRefused, support_role_set


class Command(BaseCommand):
    help = (
        "Make the user with this address a support agent or supervisor (--role none: neither). "
        "They sign up on the portal and confirm their address first."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--role", required=True, choices=[*SUPPORT_GROUPS, "none"])

    def handle(self, *args, email, role, **options):
        try:
            user = support_role_set(email=email, role=None if role == "none" else role)
        except StaffRoleRefused as refused:
            raise CommandError(
                f"No active user has confirmed the address {refused}. Ask them to sign up on the "
                "portal and open the confirmation e-mail, then run this again."
            ) from None
        if role == "none":
            self.stdout.write(f"{user.email} no longer has a support role.")
            return
        self.stdout.write(
            f"{user.email} is now a support {role}. At their next visit the console asks them to set "
            "up a second factor (an authenticator app or a passkey) before it opens."
        )
