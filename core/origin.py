"""Where an action came from: one value, built once at the edge and passed down to the audit writers.

Views (`Origin.from_request`), the API's DRF views (the same: a DRF request wraps Django's) and
Channels consumers (`Origin.from_scope`) build it; services take `origin: Origin | None` and hand it
to a `*_record` writer, which stores it with `Model.origin_columns(origin)`. A Celery task gets it
as a plain dict (`to_dict` / `from_dict`): tasks never receive request objects or model instances.
"""

from dataclasses import dataclass

from django.http import HttpRequest

from .request_meta import client_ip, user_agent

USER_AGENT_MAX_CHARS = 300


@dataclass(frozen=True)
class Origin:
    """The client's IP address (proxy-aware) and user agent; None/"" when unknown."""

    ip: str | None = None
    user_agent: str = ""

    def __post_init__(self):
        object.__setattr__(self, "ip", self.ip or None)
        object.__setattr__(self, "user_agent", (self.user_agent or "")[:USER_AGENT_MAX_CHARS])

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Origin":
        """Read the origin of a Django (or DRF) request, trusting only the configured proxies."""
        return cls(ip=client_ip(request), user_agent=user_agent(request))

    @classmethod
    def from_scope(cls, scope: dict) -> "Origin":
        """Read the origin of a Channels (ASGI) scope with the same proxy rules as a page request."""
        meta = {}
        client = scope.get("client")
        if client and client[0]:
            meta["REMOTE_ADDR"] = client[0]
        for name, value in scope.get("headers") or []:
            key = "HTTP_" + name.decode("latin-1").upper().replace("-", "_")
            meta[key] = value.decode("latin-1")
        request = HttpRequest()
        request.META = meta
        return cls.from_request(request)

    def to_dict(self) -> dict:
        """Return a plain dict for a task's arguments or an outbox row's context."""
        return {"ip": self.ip, "user_agent": self.user_agent}

    @classmethod
    def from_dict(cls, data: dict | None) -> "Origin":
        """Rebuild an origin from `to_dict`'s output (other keys, as in an outbox context, are ignored)."""
        data = data or {}
        return cls(ip=data.get("ip"), user_agent=data.get("user_agent") or "")
