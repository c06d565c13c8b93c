"""Gunicorn's access log with link tokens and other secrets scrubbed from every field.

Gunicorn writes its access lines itself, outside Django's logging and its scrub filter; the
first load of an e-mailed reset link carries the token in the URL. Use with
`gunicorn --logger-class core.accesslog.ScrubbingLogger`.
"""

from gunicorn.glogging import Logger

from .logfilters import scrub


class ScrubbingLogger(Logger):
    """Gunicorn's logger, with every text atom (request line, path, query, headers) scrubbed."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: scrub(value) if isinstance(value, str) else value for key, value in atoms.items()}
