"""The web server's access log (gunicorn, outside Django's logging) never records a link token.

The first load of an e-mailed link carries the token in the URL; anyone who reads an access
log line with it could open the reset page before the owner does.
"""

import datetime
import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from core.accesslog import ScrubbingLogger

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "q1W2e3R4t5Y6u7I8o9P0aSdFgHjKlZxCvBnM_-12345"


def _access_line(logger_class, path: str, query: str = "") -> str:
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = logger_class(cfg)
    lines = []

    class Capture(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger.access_log.addHandler(Capture())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path + (f"?{query}" if query else ""),
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.5",
        "HTTP_REFERER": "-",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/reset/link/")])
    request = SimpleNamespace(headers=[("AUTHORIZATION", f"Bearer {TOKEN}")])
    logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    assert lines
    return "\n".join(lines)


@pytest.mark.parametrize(
    "path", [f"/reset/link/{TOKEN}/", f"/reset/cancel/{TOKEN}/", f"/help/tickets/7/link/{TOKEN}/"]
)
def test_gunicorn_access_log_lines_carry_no_link_token(path):
    assert TOKEN in _access_line(Logger, path)  # gunicorn's own logger would write it
    line = _access_line(ScrubbingLogger, path)
    assert TOKEN not in line
    assert "GET" in line and "302" in line  # the line is still useful


def test_query_strings_with_tokens_are_scrubbed_too():
    assert TOKEN not in _access_line(ScrubbingLogger, "/reset/link/", f"token={TOKEN}")


@pytest.mark.parametrize(
    "query", ["q=alice%40example.com", "q=alice@example.com", "email=Alice.B%2Btag%40mail.example.org"]
)
def test_access_log_lines_carry_no_email_address(query):
    """The console's search (and any form sent by GET) puts a customer's address in the URL."""
    assert "example" in _access_line(Logger, "/support/search/", query)
    line = _access_line(ScrubbingLogger, "/support/search/", query)
    assert "alice" not in line.lower() and "mail.example" not in line
    assert "/support/search/" in line


def test_the_production_commands_use_the_scrubbing_logger():
    commands = []
    for name in ("Dockerfile", "docker-compose.yml"):
        commands += [(name, line) for line in (ROOT / name).read_text().splitlines() if '"gunicorn"' in line]
    assert len(commands) == 2
    for name, command in commands:
        assert "core.accesslog.ScrubbingLogger" in command, (name, command)


def test_daphne_writes_no_access_log():
    """Daphne logs every request line to stdout at its default verbosity; ours runs quiet."""
    [command] = [
        line for line in (ROOT / "docker-compose.yml").read_text().splitlines() if '"daphne"' in line
    ]
    assert '"--verbosity", "0"' in command and "--access-log" not in command
