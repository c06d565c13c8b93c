"""A logging filter that removes secrets that slipped into a log record."""

import logging
import re

_PATTERNS = [
    (re.compile(r"(?i)(Bearer|Token)\s+[A-Za-z0-9_\-.]{8,}"), r"\1 [scrubbed]"),
    (
        re.compile(
            r"(?i)(password\w*|hint|token|secret|payload|authorization|key)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",&}]+"
        ),
        r"\1\2[scrubbed]",
    ),
    # Link tokens in paths: reset, cancel and ticket links, allauth's e-mail confirmation and
    # password keys, the e-mail change's confirm and undo links, the forums' unsubscribe links.
    # tests/security covers every route of the resolver that takes a `token` or `key`.
    (
        re.compile(
            r"(/(?:reset|r|link|cancel|t|confirm-email|key|confirm|undo|unsubscribe)/)[A-Za-z0-9_\-:.]{16,}"
        ),
        r"\1[scrubbed]",
    ),
]


def scrub(text: str) -> str:
    """Return text with password-, token- and key-like values replaced."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubSecretsFilter(logging.Filter):
    """Rewrite each record's message so no secret reaches a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
