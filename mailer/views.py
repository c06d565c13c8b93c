"""The dev-only outbox pages (mounted only when DEBUG is on)."""

import smtplib

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .outbox import outbox_list, outbox_read, outbox_reply_send


def outbox_index(request):
    return render(request, "mailer/outbox_index.html", {"messages_": outbox_list()})


def outbox_detail(request, name: str):
    message = outbox_read(name)
    if message is None:
        raise Http404("No such e-mail in the outbox.")
    return render(request, "mailer/outbox_detail.html", {"message": message})


def outbox_html(request, name: str):
    message = outbox_read(name)
    if message is None or not message.html:
        raise Http404("No such e-mail in the outbox.")
    response = HttpResponse(message.html)
    response["Content-Security-Policy"] = "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'"
    return response


@require_POST
def outbox_reply(request, name: str):
    """Reply to an e-mail as its recipient, through the local inbound SMTP listener (`make run`)."""
    message = outbox_read(name)
    if message is None or not message.reply_to:
        raise Http404("No such e-mail in the outbox.")
    body = request.POST.get("body", "").strip()
    if not body:
        messages.error(request, "Write a reply first.")
        return redirect("mailer:outbox_detail", name=name)
    try:
        outbox_reply_send(message, body=body[:20_000])
    except (OSError, smtplib.SMTPException) as error:
        messages.error(
            request, f"The inbound SMTP listener did not take the reply ({error}). `make run` starts it."
        )
    else:
        messages.success(request, f"Reply sent to {message.reply_to} through the inbound SMTP listener.")
    return redirect("mailer:outbox")
