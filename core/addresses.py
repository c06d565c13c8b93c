"""E-mail addresses: the one normalisation every lookup, limit and stored address uses."""


def email_normalise(email: str) -> str:
    """Return the address as stored and compared: surrounding spaces dropped, lower case."""
    return email.strip().lower()
