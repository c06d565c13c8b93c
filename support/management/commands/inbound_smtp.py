"""Run the local inbound SMTP listener: replies to ticket e-mails on the embedded default.

`make run` starts it next to the web server; the dev outbox page's "Reply" form sends to it.
In production the e-mail provider's inbound webhook does this job instead (README).
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from support.inbound import inbound_smtp_controller


class Command(BaseCommand):
    help = "Receive replies to ticket e-mails over SMTP on loopback (development)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.INBOUND_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.INBOUND_SMTP_PORT)

    def handle(self, *args, host, port, **options):
        controller = inbound_smtp_controller(hostname=host, port=port)
        controller.start()
        self.stdout.write(f"Inbound SMTP listener on {host}:{port} (replies to ticket e-mails)")
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        try:
            while not stop.wait(1):
                pass
        finally:
            controller.stop()
