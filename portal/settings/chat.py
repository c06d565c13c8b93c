"""Live chat: limits, agent presence, canned answers and where the browser opens its WebSocket."""

from .env import env

# Size limits.
CHAT_MESSAGE_MAX_CHARS = 2000
CHAT_NAME_MAX_CHARS = 100
CHAT_FRAME_MAX_BYTES = 8192
CHAT_MESSAGES_PER_CHAT_MAX = 500
# The agents' queue (polled every CHAT_POLL_INTERVAL_SECONDS) lists this many longest-waiting
# chats, and how many wait in all: a chat nobody picks up stays waiting, so the queue can grow.
CHAT_QUEUE_SHOWN = 50

# Rate limits ("count/period", see core/ratelimit.py), fixed windows in the cache.
CHAT_RATE_MESSAGES = "20/m"  # per connection / browser session, and per agent
CHAT_RATE_MESSAGES_PER_IP = "60/m"
CHAT_RATE_STARTS_PER_IP = "5/h"
CHAT_RATE_TRANSCRIPTS_PER_IP = "5/h"

# An agent counts as online for this long after their console's last heartbeat.
CHAT_PRESENCE_TTL_SECONDS = env.int("CHAT_PRESENCE_TTL_SECONDS", default=60)
CHAT_TYPING_TTL_SECONDS = 5
# The browser polls this often when the WebSocket cannot connect.
CHAT_POLL_INTERVAL_SECONDS = 3

# Where the browser opens WebSockets: empty means the page's own origin (runserver, daphne
# behind one proxy). Set it (e.g. "wss://chat.vault.example") when the ASGI server lives
# elsewhere (it is then added to CSP connect-src); without a socket the page falls back to polling.
CHAT_WEBSOCKET_BASE = env("CHAT_WEBSOCKET_BASE", default="").rstrip("/")
if CHAT_WEBSOCKET_BASE:
    from .security import CONTENT_SECURITY_POLICY

    CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"] = [
        *CONTENT_SECURITY_POLICY["DIRECTIVES"]["connect-src"],
        CHAT_WEBSOCKET_BASE,
    ]

# When agents usually answer: customers read it when nobody is available for chat.
CHAT_OPENING_HOURS = env("CHAT_OPENING_HOURS", default="Monday to Friday, 9:00 to 17:00 UTC")

# The "open a ticket instead" page offered when no agent is online.
CHAT_TICKET_CATEGORY = "chat"

CHAT_CANNED_ANSWERS = [
    "Hello, thanks for getting in touch. How can I help?",
    "Are you still able to unlock any device? If any app still unlocks (biometrics included), "
    "you can change your password there and keep your vault.",
    "Support will never ask for your password, your QR code or your recovery codes: "
    "we confirm who you are through your app. Please don't share them here.",
    "An account reset erases every item in your vault, on our servers and in your apps. "
    "It keeps your account, your account ID and your licence.",
    "You can start a reset from the Locked out? page: we will e-mail a link to the account's address.",
    "I have turned this conversation into a ticket: our replies will come by e-mail.",
    "Is there anything else I can help with?",
]
