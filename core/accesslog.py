"""Gunicorn's access log with link tokens, other secrets and e-mail addresses scrubbed from every field.

Gunicorn writes its access lines itself, outside Django's logging and its scrub filter; the
first load of an e-mailed reset link carries the token in the URL. Use with
`gunicorn --logger-class core.accesslog.ScrubbingLogger`.
"""

import re

from gunicorn.glogging import Logger

from .logfilters import scrub

# An e-mail address in a URL (the console's search by address, forms sent by GET), plain or
# percent-encoded: personal data an access log does not need.
_EMAIL_IN_URL = re.compile(r"[^\s/?&=@]+(?:@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}", re.IGNORECASE)


def _access_scrub(text: str) -> str:
    return _EMAIL_IN_URL.sub("[email]", scrub(text))


class ScrubbingLogger(Logger):
    """Gunicorn's logger, with every text atom (request line, path, query, headers) scrubbed of
    secrets and e-mail addresses."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: _access_scrub(value) if isinstance(value, str) else value for key, value in atoms.items()
        }
