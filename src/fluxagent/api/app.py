"""The REST API (FastAPI; OpenAPI at ``/docs``): one agent, one worker pool, every route a
thin call into ``runtime/sessions.py``.

Hooks for the other channels: the routes of ``fluxagent.triggers.http.router`` (webhooks,
Slack, email) are included as they are, and at startup
``fluxagent.triggers.schedules.start(app_state)`` is called if that function exists (it gets
the ``ApiState``: settings, agent, access, runs) and ``stop(app_state)`` at shutdown.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fluxagent.agent import Agent
from fluxagent.api.auth import BodyLimit, RateLimiter
from fluxagent.api.deps import ApiState
from fluxagent.api.runs import RunManager, SessionBusy
from fluxagent.config import Settings, get_settings
from fluxagent.core.events import UnknownEventError
from fluxagent.flows.schema import FlowError
from fluxagent.observability import http as observability
from fluxagent.runtime.lease import SessionBusyError
from fluxagent.runtime.sessions import SessionError
from fluxagent.store.access import AccessStore
from fluxagent.store.base import StoreError, UnknownSessionError

log = logging.getLogger(__name__)


def _problem(status: int, exc: BaseException) -> JSONResponse:
    text = str(exc).strip().splitlines()
    return JSONResponse({"detail": text[0] if text else type(exc).__name__}, status_code=status)


def _hook(module: str, name: str) -> Any:
    """``module.name`` if both exist (the other channels' optional hooks), else None."""
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        return None
    return getattr(mod, name, None)


class NoSniff:
    """``X-Content-Type-Options: nosniff`` on every answer (a plain ASGI middleware: the
    ``@app.middleware`` kind runs each request through extra tasks and streams, a sizeable
    part of a warm question's time on the server)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(k.lower() == b"x-content-type-options" for k, _ in headers):
                    headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_header)


def _mount_web(app: FastAPI) -> None:
    """The web workbench at /web (``/`` leads there), its static files and the flux maps."""
    from fastapi.responses import RedirectResponse

    from fluxagent.web import fluxmap
    from fluxagent.web import routes as web
    app.include_router(web.router)
    app.include_router(fluxmap.router)
    app.mount("/web/static", web.static_files(), name="web-static")

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/web", status_code=307)


def create_app(settings: Settings | None = None, agent: Agent | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.server_url:  # the server does the work itself, never through another server
        settings = settings.model_copy(update={"server_url": "", "api_token": ""})
    runs_ref: dict[str, RunManager] = {}
    agent = agent or Agent(settings=settings, progress=lambda f, m: runs_ref["runs"].progress(
        f, m))
    access = AccessStore.for_store(agent.store)
    runs = runs_ref["runs"] = RunManager(agent.runner, workers=settings.serve_workers,
                                         journal=access)
    state = ApiState(settings=settings, agent=agent, access=access, limiter=RateLimiter(),
                     runs=runs)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from fluxagent.api.work import rebuild
        observability.start()  # JSON logs, tracer provider (OTLP if configured)
        redone = runs.recover(access.journal_unfinished(), lambda row: rebuild(state, row))
        if redone:
            log.warning("redoing %d run(s) a stopped server left unfinished", len(redone))
        start = _hook("fluxagent.triggers.schedules", "start")
        if callable(start):
            start(state)
        try:
            yield
        finally:
            stop = _hook("fluxagent.triggers.schedules", "stop")
            if callable(stop):
                stop(state)
            runs.shutdown()

    app = FastAPI(title="fluxagent", version="1", lifespan=lifespan,
                  description="Sessions, background runs, live events, approvals, tools, "
                  "flows and artifacts of fluxagent. Every route calls the same runtime "
                  "functions as the CLI.")
    app.state.api = state
    app.state.agent = agent  # the webhook routes (triggers/http.py) use this server's agent
    app.state.access = state.access
    app.state.limiter = state.limiter

    from fluxagent.api import routes_catalog, routes_humans, routes_sessions
    runner_checks = getattr(agent.runner, "readiness_checks", None)  # Temporal: its server
    observability.install(app, agent.store, runs.stats, settings.solver,  # /metrics, /readyz
                          runner_checks() if callable(runner_checks) else None)
    app.include_router(routes_catalog.health)
    app.include_router(routes_sessions.router)
    app.include_router(routes_humans.router)
    app.include_router(routes_catalog.router)
    triggers = _hook("fluxagent.triggers.http", "router")
    if triggers is not None:
        app.include_router(triggers)
    _mount_web(app)

    for exc_type, status in ((UnknownSessionError, 404), (SessionBusy, 409),
                             (SessionBusyError, 409), (SessionError, 409), (FlowError, 400),
                             (UnknownEventError, 400), (StoreError, 400)):
        def handler(request: Request, exc: Exception, status: int = status) -> JSONResponse:
            return _problem(status, exc)
        app.add_exception_handler(exc_type, handler)

    app.add_middleware(NoSniff)
    origins = [o.strip() for o in settings.api_cors_origins.split(",") if o.strip()]
    if origins:
        from fastapi.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=origins, allow_methods=["*"],
                           allow_headers=["Authorization", "Content-Type", "Last-Event-ID"])
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)
    return app
