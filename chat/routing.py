"""WebSocket routes of the live chat (mounted in portal/asgi.py)."""

from django.urls import path

from .consumers import AgentChatConsumer, CustomerChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<uuid:public_id>/", CustomerChatConsumer.as_asgi()),
    path("ws/support/chat/", AgentChatConsumer.as_asgi()),
]
