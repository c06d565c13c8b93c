"""Helpers for tests that talk to the ASGI application over WebSockets."""

import asyncio

from channels.testing import WebsocketCommunicator
from django.conf import settings

from portal.asgi import application

ORIGIN = b"http://127.0.0.1"


def communicator(path: str, client=None, *, origin: bytes = ORIGIN) -> WebsocketCommunicator:
    """Open `path` with the session cookie of a Django test client, like a browser would."""
    headers = [(b"origin", origin), (b"host", b"127.0.0.1")]
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def receive_until(comm: WebsocketCommunicator, predicate, *, timeout: float = 5.0) -> dict:
    """Read frames until one matches `predicate`; return it (earlier frames are skipped)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0:
            raise AssertionError("no matching WebSocket frame arrived")
        frame = await comm.receive_json_from(timeout=remaining)
        if predicate(frame):
            return frame


def of_type(kind: str, **fields):
    return lambda frame: frame.get("type") == kind and all(frame.get(k) == v for k, v in fields.items())
