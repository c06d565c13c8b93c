"""The dev-only outbox pages (mounted only when DEBUG is on)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from .outbox import outbox_list, outbox_read


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
