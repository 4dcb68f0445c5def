"""Who is asking, and may they: bearer tokens, scopes, rate limits, body size, ownership.

With no token in the database the API is open to its one local user (owner ``local``, every
scope) and ``fluxagent serve`` refuses to bind anything but 127.0.0.1. Once a token exists,
every request but the health checks needs one: no or an unknown token is 401, an expired or
revoked one 401 with the reason, a missing scope 403, too many requests 429. A session of
another owner is answered exactly like one that does not exist (404), unless the token is
admin.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluxagent.store.access import LOCAL_OWNER, SCOPES, AccessStore


@dataclass(frozen=True)
class Principal:
    owner: str
    scopes: tuple[str, ...]
    token_id: str | None = None

    @property
    def admin(self) -> bool:
        return "admin" in self.scopes

    def may_see(self, owner: str | None) -> bool:
        return self.admin or owner == self.owner


LOCAL = Principal(owner=LOCAL_OWNER, scopes=SCOPES)


class RateLimiter:
    """A token bucket per API token: ``rate`` requests a minute, bursts up to ``rate``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, key: str, rate: int) -> float:
        """0 if the request may go now, else the seconds until it may."""
        now = self._clock()
        with self._lock:
            level, last = self._buckets.get(key, (float(rate), now))
            level = min(float(rate), level + (now - last) * rate / 60.0)
            if level < 1.0:
                self._buckets[key] = (level, now)
                return (1.0 - level) * 60.0 / rate
            self._buckets[key] = (level - 1.0, now)
            return 0.0


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(401, message, headers={"WWW-Authenticate": "Bearer"})


def authenticate(request: Request, access: AccessStore, limiter: RateLimiter) -> Principal:
    """The principal of a request (see the module docstring for the answers)."""
    header = request.headers.get("authorization", "")
    if not access.any_token():
        return LOCAL
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise _unauthorized("an API token is required (Authorization: Bearer fxa_...)")
    token = access.find(secret.strip())
    if token is None:
        raise _unauthorized("unknown API token")
    why = token.usable(datetime.now(UTC))
    if why is not None:
        raise _unauthorized(why)
    wait = limiter.take(token.id, token.rate_per_minute)
    if wait > 0:
        raise HTTPException(429, f"rate limit of token {token.id} "
                            f"({token.rate_per_minute}/min) reached; retry in {wait:.1f} s",
                            headers={"Retry-After": str(max(1, round(wait)))})
    return Principal(owner=token.owner, scopes=token.scopes, token_id=token.id)


def require(scope: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the request's principal, who must hold ``scope``."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request) -> Principal:
        app_state = request.app.state
        principal = authenticate(request, app_state.access, app_state.limiter)
        if not (principal.admin or scope in principal.scopes):
            raise HTTPException(403, f"this token lacks the {scope!r} scope "
                                f"(it has: {', '.join(principal.scopes)})")
        return principal

    dependency.__name__ = f"require_{scope}"
    return dependency


class BodyLimit:
    """Refuses a request body larger than ``limit`` bytes with 413, declared or streamed.

    The body is read here first (bounded), so an oversized chunked upload is refused before
    the application sees a byte of it.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; let the app see it
            chunks.append(message.get("body", b""))
            seen += len(chunks[-1])
            if seen > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                message = {"type": "http.request", "body": b"".join(chunks),
                           "more_body": False}
                break
        replay: list[Message] = [message]

        async def replayed() -> Message:
            return replay.pop() if replay else await receive()

        await self.app(scope, replayed, send)

    async def _refuse(self, send: Send) -> None:
        body = (b'{"detail":"the request body is larger than the limit of '
                + str(self.limit).encode() + b' bytes (FLUXAGENT_API_MAX_BODY_BYTES)"}')
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})

