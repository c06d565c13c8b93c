"""The reference client's one error type."""


class ClientError(Exception):
    """A failure to show the user: a stable code and a sentence."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
