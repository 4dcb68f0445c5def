"""The Jinja2 environment of the pages: autoescaped, and every value printed passes through
``render.escape.plain`` first (no control characters or terminal escapes in the HTML)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from fluxagent.api.auth import Principal
from fluxagent.render.escape import plain, safe_url
from fluxagent.web.auth import csrf_token
from fluxagent.web.tables import cell


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return plain(value)


def age(value: datetime | str | None) -> str:
    """'3 min ago', '2 h ago', '5 d ago'."""
    if value is None:
        return ""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = max(0.0, (datetime.now(UTC) - when).total_seconds())
    if seconds < 60:
        return f"{seconds:.0f} s ago"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 86400:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} d ago"


def iso(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if value else ""


ENV = jinja2.Environment(loader=jinja2.PackageLoader("fluxagent.web", "templates"),
                         autoescape=True, finalize=_finalize, undefined=jinja2.StrictUndefined,
                         trim_blocks=True, lstrip_blocks=True)
ENV.filters.update(age=age, iso=iso, cell=cell, safe_url=safe_url)
STATUS_LABEL = {"waiting_for_approval": "waiting for approval",
                "waiting_for_human": "waiting for you", "idle": "idle", "running": "running",
                "paused": "paused", "done": "done", "failed": "failed"}
ENV.globals.update(status_label=STATUS_LABEL)


def page(request: Request, template: str, who: Principal, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """Render ``template`` with what every page needs (the CSRF token, who is logged in)."""
    html = ENV.get_template(template).render(request=request, who=who, csrf=csrf_token(who),
                                         path=request.url.path, **context)
    return HTMLResponse(html, status_code=status_code, headers={
        "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
        "style-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; "
        "base-uri 'none'; form-action 'self'",
        "Referrer-Policy": "same-origin", "Cache-Control": "no-store"})


def fragment(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context)
