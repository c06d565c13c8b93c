"""The e-mail kinds: each one declared once, in its app's `emails.py`, with `@email_kind`.

A kind says how the worker renders the e-mail at send time (from the outbox row's ids and
non-secret context), the label support reads in the console, whether the rendered body may
be kept on the row, and the transient secret arguments (never stored) it needs, if any.
Kind names are `<app>.<what>` in lower case, e.g. `resets.reset_link`.

    @email_kind("support.ticket_reply", label="Ticket reply", keep_body=True)
    def ticket_reply_render(email):
        ...
        return email_message(to=email.to, rendered=email_render("support/email/ticket_reply", ctx))

The renderer only renders (no database writes) a message with a plain-text body and an HTML
alternative (`mailer.rendering.email_message` builds both; anything else is refused at send
time with `EmailPartsMissing`); it returns None when the e-mail is no
longer needed (the row is then cancelled). Worker-side writes go in services named by the
`prepare` hook (runs before rendering; returning False cancels the e-mail) and the
`on_sent` hook (runs once the mail server has accepted the message).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives

Renderer = Callable[..., EmailMultiAlternatives | None]
Hook = Callable[["OutboundEmail"], object]  # noqa: F821

NAME_STYLE = re.compile(r"^[a-z][a-z0-9]*\.[a-z][a-z0-9_]*$")


class EmailKindError(Exception):
    """A kind was declared twice, or with a name that does not follow `<app>.<what>`."""


class UnknownEmailKind(LookupError):
    """No app declared this kind (a typo, or its app's `emails.py` was not loaded)."""


class EmailPartsMissing(ValueError):
    """A renderer built a message without both a plain-text part and an HTML part."""


@dataclass(frozen=True)
class EmailKind:
    name: str
    label: str
    render: Renderer
    keep_body: bool = False
    transient: tuple[str, ...] = ()
    prepare: Hook | None = None
    on_sent: Hook | None = None


_kinds: dict[str, EmailKind] = {}


def kind_declare(kind: EmailKind) -> EmailKind:
    """Add `kind` to the registry; a second declaration of the same name is an error."""
    if not NAME_STYLE.match(kind.name):
        raise EmailKindError(f"E-mail kind {kind.name!r}: name it '<app>.<what>' (lower case, snake_case).")
    if kind.name in _kinds:
        raise EmailKindError(f"E-mail kind {kind.name!r} is declared twice.")
    _kinds[kind.name] = kind
    return kind


def kind_forget(name: str) -> None:
    """Remove a kind (tests that declare one for a single test)."""
    _kinds.pop(name, None)


def email_kind(
    name: str,
    *,
    label: str,
    keep_body: bool = False,
    transient: tuple[str, ...] = (),
    prepare: Hook | None = None,
    on_sent: Hook | None = None,
):
    """Declare the decorated function as the renderer of the e-mail kind `name`.

    The renderer gets the `OutboundEmail` row (plus each `transient` argument by keyword)
    and returns the message to send, or None when the e-mail is no longer needed.
    `keep_body`: the rendered subject and bodies may sit on the row until it is sent (no
    secret in them). `transient`: names of secret arguments handed to the worker with the
    task and never stored; the outbox flush leaves such e-mails alone (it could not rebuild them).
    """

    def register(func: Renderer) -> Renderer:
        kind_declare(
            EmailKind(
                name=name,
                label=label,
                render=func,
                keep_body=keep_body,
                transient=tuple(transient),
                prepare=prepare,
                on_sent=on_sent,
            )
        )
        return func

    return register


def kind_get(name: str) -> EmailKind:
    """Return the declared kind `name`; raise `UnknownEmailKind` if no app declared it."""
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownEmailKind(
            f"No app declares the e-mail kind {name!r} (see mailer/registry.py)."
        ) from None


def kind_label(name: str) -> str:
    """The console label of `name`; for a row of a kind no longer declared, a readable guess."""
    kind = _kinds.get(name)
    if kind is not None:
        return kind.label
    return re.split(r"[.:]", name)[-1].replace("_", " ").replace("-", " ").capitalize()


def kinds_transient() -> list[str]:
    """Names of the kinds that need transient arguments (the outbox flush cannot send them)."""
    return [name for name, kind in _kinds.items() if kind.transient]
