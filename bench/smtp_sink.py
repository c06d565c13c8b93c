"""An SMTP server on loopback that accepts every message and logs its arrival time as JSON lines."""

import argparse
import asyncio
import json
import time
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller


class ArrivalLog:
    def __init__(self, path: str):
        self.file = open(path, "a", buffering=1)  # noqa: SIM115 - kept open for the server's life

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        record = {
            "t": time.time(),
            "to": envelope.rcpt_tos,
            "subject": str(message["Subject"] or ""),
            "message_id": str(message["Message-ID"] or ""),
        }
        self.file.write(json.dumps(record) + "\n")
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True)
    args = parser.parse_args()
    controller = Controller(ArrivalLog(args.log), hostname="127.0.0.1", port=args.port)
    controller.start()
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
