from django.core.management.base import BaseCommand

from accounts.demo import demo_seed


class Command(BaseCommand):
    help = "Load the demo customer, agent and supervisor (safe to run more than once)."

    def handle(self, *args, **options):
        created = demo_seed()
        if not created:
            self.stdout.write("Demo data already loaded (logins were printed the first time; see README).")
            return
        self.stdout.write(self.style.SUCCESS("Demo logins (shown once):"))
        for login in created:
            self.stdout.write(f"  {login.role:<11} {login.email}  /  {login.password}")
