"""Renderers for e-mails that are built at send time (so their secrets are never stored)."""

from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives

Renderer = Callable[["OutboundEmail"], EmailMultiAlternatives | None]  # noqa: F821

_renderers: dict[str, Renderer] = {}


def renderer(kind: str):
    """Register the decorated function as the renderer of e-mails of `kind`.

    The function gets the `OutboundEmail` row and returns the message to send, or None
    when the e-mail is no longer needed (it is then marked cancelled, not sent).
    """

    def register(func: Renderer) -> Renderer:
        _renderers[kind] = func
        return func

    return register


def renderer_for(kind: str) -> Renderer | None:
    """Return the registered renderer of `kind`, if any."""
    return _renderers.get(kind)
