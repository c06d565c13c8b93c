from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_AGENT, DEMO_CUSTOMER, demo_seed
from forums.demo import forums_demo_seed
from support.demo import support_demo_seed


class Command(BaseCommand):
    help = "Load the demo customer, agent, supervisor, a support ticket and forum topics (safe to run twice)."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data is not allowed with these settings: its logins have a published password. "
                "Load it on the embedded default (DJANGO_SETTINGS_MODULE=portal.settings.dev, `make run`)."
            )
        created = demo_seed()
        support_demo_seed(customer_email=DEMO_CUSTOMER)
        forums_demo_seed(customer_email=DEMO_CUSTOMER, agent_email=DEMO_AGENT)
        if not created:
            self.stdout.write("Demo data already loaded (logins were printed the first time; see README).")
            return
        self.stdout.write(self.style.SUCCESS("Demo logins (shown once):"))
        for login in created:
            self.stdout.write(f"  {login.role:<11} {login.email}  /  {login.password}")
