"""DRF's JSON parser, with too deep a nesting answered as a parse error (400), not a 500."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """The stock parser; a RecursionError from the decoder (`[` x 1000) becomes a ParseError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type=media_type, parser_context=parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the document is nested too deeply.") from None
