"""Who is using the pages: the API's auth model, carried by an HttpOnly cookie.

With no token in the database the server is bound to 127.0.0.1 and every page is open to its
local user, exactly like the API. Once a token exists, a page needs one: the login form checks
it like the API does and stores it in an HttpOnly, SameSite=Strict cookie (a script on the
page never sees it). Every form carries a CSRF token (an HMAC of who is logged in, keyed by a
per-process secret), and a POST whose Origin is another site is refused, so a page elsewhere
cannot make the local user's browser approve or ask anything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request

from fluxagent.api.auth import Principal, authenticate
from fluxagent.store.access import SCOPES

COOKIE = "fluxagent_token"
_SECRET = secrets.token_bytes(32)


class LoginNeeded(HTTPException):
    """No usable token: the page answers with a redirect to the login form."""

    def __init__(self, target: str, reason: str = "") -> None:
        location = "/web/login?next=" + quote(target, safe="/")
        if reason:
            location += "&why=" + quote(reason[:200])
        super().__init__(303, reason or "login needed", headers={"Location": location})


class _WithBearer:
    """The request as the API's ``authenticate`` reads it, with the cookie as the bearer."""

    def __init__(self, request: Request, secret: str) -> None:
        self.headers = {"authorization": f"Bearer {secret}"}
        self.app = request.app


def principal(request: Request) -> Principal:
    """The API's answer for this browser: its cookie (or an Authorization header)."""
    state = request.app.state
    secret = request.cookies.get(COOKIE, "")
    if secret and "authorization" not in request.headers:
        target = cast(Request, _WithBearer(request, secret))
    else:
        target = request
    try:
        return authenticate(target, state.access, state.limiter)
    except HTTPException as exc:
        if exc.status_code == 401:
            here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginNeeded(here, str(exc.detail) if secret else "") from None
        raise


def require(scope: str) -> Callable[[Request], Principal]:
    """A dependency: the principal, who must hold ``scope`` (403 with the reason if not)."""
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request) -> Principal:
        who = principal(request)
        if not (who.admin or scope in who.scopes):
            raise HTTPException(403, f"your token lacks the {scope!r} scope "
                                f"(it has: {', '.join(who.scopes)})")
        return who

    dependency.__name__ = f"web_require_{scope}"
    return dependency


def csrf_token(who: Principal) -> str:
    """The form token of this principal (changes with the token and the server process)."""
    ident = f"{who.owner}|{who.token_id or '-'}".encode()
    return hmac.new(_SECRET, ident, hashlib.sha256).hexdigest()[:32]


def check_post(request: Request, who: Principal, token: Any) -> None:
    """Refuse a form POST from another site or without this principal's CSRF token."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        host = request.headers.get("host", "")
        if urlsplit(origin).netloc != host:
            raise HTTPException(403, "this form was sent from another site")
    if not isinstance(token, str) or not hmac.compare_digest(token, csrf_token(who)):
        raise HTTPException(403, "the form is stale or was not made by this server; "
                            "reload the page and send it again")
