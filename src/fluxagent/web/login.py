"""Log in with an API token (when tokens exist), kept in an HttpOnly cookie; log out."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from fluxagent.api.auth import LOCAL
from fluxagent.web.auth import COOKIE
from fluxagent.web.deps import State
from fluxagent.web.templating import page

router = APIRouter(prefix="/web", include_in_schema=False)


def _next(target: str) -> str:
    return target if target.startswith("/web") and not target.startswith("//") else "/web"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, st: State, next: str = "/web", why: str = "") -> HTMLResponse:
    return page(request, "login.html", LOCAL, next=_next(next), why=why,
                open=not st.access.any_token())


@router.post("/login", response_model=None)
def login(request: Request, st: State, token: Annotated[str, Form(max_length=500)],
          next: Annotated[str, Form()] = "/web") -> HTMLResponse | RedirectResponse:
    found = st.access.find(token.strip()) if token.strip() else None
    why = "unknown API token" if found is None else found.usable(datetime.now(UTC))
    if why is not None:
        return page(request, "login.html", LOCAL, next=_next(next), why=why, open=False,
                    status_code=401)
    response = RedirectResponse(_next(next), status_code=303)
    response.set_cookie(COOKIE, token.strip(), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/web")
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/web/login", status_code=303)
    response.delete_cookie(COOKIE, path="/web")
    return response
