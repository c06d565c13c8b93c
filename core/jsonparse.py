"""The one JSON parser for bodies and frames from clients: too deep a nesting is bad input, not a 500.

Python's decoder recurses once per level of nesting, so `[` x 1000 (2 KB) raises
RecursionError, which no `except ValueError` catches. Every JSON body or frame a client sends
goes through `json_loads` (chat views and sockets) or `api.parsers.JSONParser` (the app API).
"""

import json


class JsonTooDeep(ValueError):
    """The document nests deeper than the decoder can follow."""


def json_loads(data: str | bytes | bytearray, **kwargs):
    """Parse JSON like `json.loads`; raise ValueError (never RecursionError) for any bad input."""
    try:
        return json.loads(data, **kwargs)
    except RecursionError:
        raise JsonTooDeep("The JSON document is nested too deeply.") from None
