"""``/metrics`` and ``/readyz`` for the API server, and its telemetry set-up.

``install(app, store, queue, solver)`` registers the scrape-time state collector for the
server's store and run queue, adds the routes, and at startup turns on JSON logs and the
tracer provider (OTLP export if configured). Like ``/healthz``, both routes need no token:
they say how much work there is, never what it is about (no ids, names or questions).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import JSONResponse

from fluxagent.observability import logs, metrics, readiness, tracing

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {"text/plain": {}},
                             "description": "Prometheus exposition format"}})
def scrape() -> Response:
    """Prometheus metrics: sessions by status, steps, latencies, tokens, errors, approvals,
    the run queue, lease takeovers."""
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)


@router.get("/readyz", responses={503: {"description": "not ready; checks say why"}})
def readyz(request: Request) -> JSONResponse:
    """Ready when every check passes: the database, the solver, the Temporal server when
    it runs the sessions, and any registered one."""
    checks: dict[str, readiness.Check] = request.app.state.readiness_checks
    ready, results = readiness.run(checks)
    queue: Callable[[], dict[str, int]] | None = request.app.state.readiness_queue
    doc: dict[str, Any] = {"status": "ready" if ready else "not ready", "checks": results}
    if queue is not None:
        doc["runs"] = queue()
    return JSONResponse(doc, status_code=200 if ready else 503)


def install(app: FastAPI, store: Any, queue: Callable[[], dict[str, int]] | None = None,
            solver: str = "glpk", checks: dict[str, readiness.Check] | None = None) -> None:
    """Give ``app`` its ``/metrics`` and ``/readyz``; call before other routers (this
    ``/readyz`` replaces any later one). ``checks``: more of them (the runner's: Temporal)."""
    metrics.watch(store, queue)
    app.state.readiness_checks = {"database": readiness.database_check(store),
                                  "solver": readiness.SolverCheck(solver), **(checks or {})}
    app.state.readiness_queue = queue
    app.include_router(router)


def start() -> None:
    """At server start: JSON logs on stderr and the tracer provider (its metrics are at
    ``/metrics``, not on a port of their own)."""
    logs.install()
    tracing.setup()
