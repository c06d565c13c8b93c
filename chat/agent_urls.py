"""Agent side of the chat, mounted at /support/chat/ (before the support console's own URLs)."""

from django.urls import path

from . import agent_views as views

app_name = "chat_agent"

urlpatterns = [
    path("", views.console, name="console"),
    path("queue/", views.queue, name="queue"),
    path("heartbeat/", views.heartbeat, name="heartbeat"),
    path("availability/", views.availability, name="availability"),
    path("<uuid:public_id>/", views.transcript, name="transcript"),
    path("<uuid:public_id>/messages/", views.messages, name="messages"),
    path("<uuid:public_id>/pick-up/", views.pick_up, name="pick_up"),
    path("<uuid:public_id>/typing/", views.typing, name="typing"),
    path("<uuid:public_id>/close/", views.close, name="close"),
    path("<uuid:public_id>/ticket/", views.ticket, name="ticket"),
    path("<uuid:public_id>/owner-proof/", views.owner_proof, name="owner_proof"),
    path("<uuid:public_id>/reset-email/", views.reset_email, name="reset_email"),
]
