"""WebSocket consumers: the customer's panel (one chat) and the agent console (many chats).

Both speak small JSON frames. Every write goes through chat.services, in a thread
(database_sync_to_async), so the WebSocket and the polling endpoints behave the same.
"""

import uuid
from functools import cached_property
from importlib import import_module

from channels.auth import get_user
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from core.errors import error_body
from core.jsonparse import json_loads
from core.origin import Origin
from core.ratelimit import ip_rate_limit_hit, rate_limit_hit
from support.permissions import can_use_console

from . import events, presence, selectors, services
from .models import Chat, ChatMessage
from .payloads import chat_payload_for_agent, message_payload


class _ChatConsumer(AsyncJsonWebsocketConsumer):
    """Size checks, safe JSON parsing, rate limits and group bookkeeping shared by both sides."""

    @cached_property
    def origin(self) -> Origin:
        """Where this connection comes from (proxy-aware, like a page request): read once."""
        return Origin.from_scope(self.scope)

    def client_ip(self) -> str | None:
        return self.origin.ip

    async def receive(self, text_data=None, bytes_data=None):
        # Every frame, like every push (`chat_event`), first asks whether the session that opened
        # this socket may still use it.
        if not await self.still_allowed():
            await self.close()
            return
        if text_data is None or len(text_data.encode()) > settings.CHAT_FRAME_MAX_BYTES:
            await self.send_error("too_large", "That message is too large to send.")
            return
        try:
            content = json_loads(text_data)
        except ValueError:
            await self.send_error("bad_frame", "That message could not be read.")
            return
        if not isinstance(content, dict):
            await self.send_error("bad_frame", "That message could not be read.")
            return
        await self.receive_json(content)

    async def send_error(self, code: str, message: str, **extra):
        await self.send_json({"type": "error", **error_body(code, message, **extra)})

    async def message_rate_limited(self) -> bool:
        """Count a message against this connection and this client IP."""
        per_connection = await database_sync_to_async(rate_limit_hit)(
            scope="ws", key=self.channel_name, rate=settings.CHAT_RATE_MESSAGES
        )
        per_ip = await database_sync_to_async(ip_rate_limit_hit)(
            scope="ip", ip=self.client_ip(), rate=settings.CHAT_RATE_MESSAGES_PER_IP
        )
        if per_connection or per_ip:
            await self.send_error(
                "rate_limited", "You are sending messages too quickly. Please wait a moment."
            )
            return True
        return False

    async def join(self, group: str):
        await self.channel_layer.group_add(group, self.channel_name)
        self.groups.append(group)

    async def disconnect(self, code):
        for group in self.groups:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def chat_event(self, event):
        if not await self.still_allowed():
            await self.close()
            return
        await self.send_json(event["payload"])

    async def still_allowed(self) -> bool:
        """True while the browser session that opened this socket may still use it (each side says)."""
        return True

    def session_now(self):
        """The session this socket was opened with, as stored now: a sign-out, a password change or
        "sign out everywhere" ends it while the socket stays open, and the copy in the scope was
        read once, at connect (an ended session reads as empty)."""
        session = self.scope.get("session")
        if session is None or not session.session_key:
            return None
        return import_module(settings.SESSION_ENGINE).SessionStore(session_key=session.session_key)


def _session_chat_id(session) -> str | None:
    return session.get(selectors.CHAT_SESSION_KEY) if session is not None else None


class CustomerChatConsumer(_ChatConsumer):
    """The customer's side of one chat; only the browser session that started it may connect."""

    async def connect(self):
        self.groups = []
        public_id = self.scope["url_route"]["kwargs"]["public_id"]
        session_chat = await database_sync_to_async(_session_chat_id)(self.scope.get("session"))
        if session_chat != str(public_id):
            await self.close()
            return
        self.chat = await database_sync_to_async(selectors.chat_get)(public_id=public_id)
        if self.chat is None:
            await self.close()
            return
        await self.join(events.chat_group(self.chat.public_id))
        await self.accept()

    async def still_allowed(self) -> bool:
        """The session still holds this chat (signing out of a signed-in chat ends it)."""
        session = await database_sync_to_async(self.session_now)()
        chat_id = await database_sync_to_async(_session_chat_id)(session)
        return chat_id == str(self.chat.public_id)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "typing":
            await database_sync_to_async(services.chat_typing)(
                chat=self.chat, sender=ChatMessage.Sender.CUSTOMER
            )
        elif kind == "message":
            if await self.message_rate_limited():
                return
            try:
                await database_sync_to_async(services.chat_message_post)(
                    chat=self.chat,
                    sender=ChatMessage.Sender.CUSTOMER,
                    body=str(content.get("body", "")),
                    confirmed=content.get("confirmed") is True,
                    origin=self.origin,
                )
            except services.ChatError as error:
                await self.send_error(error.code, error.message, client_id=content.get("client_id"))
        else:
            await self.send_error("unknown", "Unknown action.")


class AgentChatConsumer(_ChatConsumer):
    """The agent console: queue changes, plus every chat the agent has picked up."""

    async def connect(self):
        self.groups = []
        self.user = self.scope.get("user")
        if not await database_sync_to_async(can_use_console)(self.user):
            await self.close()
            return
        await self.join(events.AGENTS_GROUP)
        mine = await database_sync_to_async(
            lambda: [c.public_id for c in selectors.chats_of_agent(agent=self.user)]
        )()
        for public_id in mine:
            await self.join(events.chat_group(public_id))
        await database_sync_to_async(presence.agent_presence_beat)(agent_id=self.user.pk)
        await self.accept()

    async def _chat(self, content) -> Chat | None:
        try:
            public_id = uuid.UUID(str(content.get("chat", "")))
        except ValueError:
            public_id = None
        chat = await database_sync_to_async(selectors.chat_get)(public_id=public_id) if public_id else None
        if chat is None:
            await self.send_error("not_found", "That chat does not exist.")
        return chat

    async def still_allowed(self) -> bool:
        """The session is still signed in as this agent, who may still use the console: staff rights
        can be withdrawn, and the session ended (sign-out, password change, deactivation, "sign out
        everywhere"), while a console is open."""
        session = await database_sync_to_async(self.session_now)()
        if session is None:
            return False
        user = await get_user({"session": session})
        if user.pk != self.user.pk:
            return False
        self.user = user
        return await database_sync_to_async(can_use_console)(user)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        if kind == "heartbeat":
            await database_sync_to_async(presence.agent_presence_beat)(agent_id=self.user.pk)
            return
        if kind not in ("pick_up", "message", "typing", "close"):
            await self.send_error("unknown", "Unknown action.")
            return
        chat = await self._chat(content)
        if chat is None:
            return
        try:
            await getattr(self, f"do_{kind}")(chat, content)
        except services.ChatError as error:
            await self.send_error(error.code, error.message, chat=str(chat.public_id))

    async def do_pick_up(self, chat: Chat, content):
        won = await database_sync_to_async(services.chat_pick_up)(
            chat=chat, agent=self.user, origin=self.origin
        )
        if won is None:
            await self.send_json({"type": "pick_up_failed", "chat": str(chat.public_id)})
            return
        await self.join(events.chat_group(won.public_id))
        payload = await database_sync_to_async(self._opened)(won)
        await self.send_json({"type": "picked_up", **payload})

    def _opened(self, chat: Chat) -> dict:
        return {
            "chat": chat_payload_for_agent(chat, agent=self.user),
            "messages": [message_payload(m) for m in selectors.chat_messages(chat=chat)],
        }

    async def do_message(self, chat: Chat, content):
        if await self.message_rate_limited():
            return
        await database_sync_to_async(services.chat_message_post)(
            chat=chat,
            sender=ChatMessage.Sender.AGENT,
            author=self.user,
            body=str(content.get("body", "")),
            origin=self.origin,
        )

    async def do_typing(self, chat: Chat, content):
        if chat.agent_id == self.user.pk:
            await database_sync_to_async(services.chat_typing)(chat=chat, sender=ChatMessage.Sender.AGENT)

    async def do_close(self, chat: Chat, content):
        await database_sync_to_async(services.chat_close)(chat=chat, actor=self.user, origin=self.origin)
