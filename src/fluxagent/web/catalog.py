"""Models (bundled and uploaded: summary, medium, validation report, search), flows (list,
definition, graph) and metrics (sessions by status, tool latencies, tokens). Each number is a
tool's result or read off the stored threads."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from fluxagent.api.deps import owned_ids
from fluxagent.api.routes_catalog import list_flows, show_flow
from fluxagent.core.state import fold
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError
from fluxagent.web.ask import catalog
from fluxagent.web.auth import check_post
from fluxagent.web.deps import Reader, State, Writer, back
from fluxagent.web.templating import page
from fluxagent.web.timeline import pretty
from fluxagent.web.uploads import store_upload

router = APIRouter(prefix="/web", include_in_schema=False)
METRIC_SESSIONS = 1000


@router.get("/models", response_class=HTMLResponse)
def models(request: Request, st: State, who: Reader) -> HTMLResponse:
    return page(request, "models.html", who, models=catalog(st),
                error=request.query_params.get("error", ""),
                limits={"bytes": st.settings.max_model_bytes,
                        "body": st.settings.api_max_body_bytes,
                        "reactions": st.settings.max_model_reactions,
                        "metabolites": st.settings.max_model_metabolites})


@router.post("/models")
async def upload_model(request: Request, st: State, who: Writer,
                       upload: Annotated[UploadFile, File()],
                       csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    check_post(request, who, csrf)
    try:
        ref = await store_upload(st, upload)
    except StoreError as exc:
        return back("/web/models", error=str(exc))
    return back(f"/web/models/{ref['base']}", note=f"stored as {ref['base']}")


def _run(st: Any, tool: str, args: dict[str, Any]) -> Any:
    return sessions.run_tool(st.runner, tool, args)


@router.get("/models/{name:path}", response_class=HTMLResponse)
def model_page(name: str, request: Request, st: State, who: Reader, q: str = "",
               validate: bool = False) -> HTMLResponse:
    summary = _run(st, "model_summary", {"model": name})
    if not summary.ok:
        raise HTTPException(404, summary.message)
    medium = _run(st, "get_medium", {"model": name})
    found = _run(st, "search_model", {"model": name, "query": q, "limit": 200}) if q else None
    report = _run(st, "validate_model", {"model": name}) if validate else None
    return page(request, "model.html", who, name=name, summary=summary, medium=medium,
                found=found, report=report, q=q, pretty=pretty,
                note=request.query_params.get("note", ""))


@router.get("/flows", response_class=HTMLResponse)
def flows(request: Request, st: State, who: Reader) -> HTMLResponse:
    return page(request, "flows.html", who, flows=list_flows(st, who))


@router.get("/flows/{name}", response_class=HTMLResponse)
def flow_page(name: str, request: Request, st: State, who: Reader) -> HTMLResponse:
    from fluxagent.flows.library import flow_files
    from fluxagent.flows.schema import load_flow_file
    from fluxagent.flows.visualize import mermaid
    doc = show_flow(name, st, who)
    flow = load_flow_file(flow_files(st.settings.data_dir / "flows")[name])
    return page(request, "flow.html", who, name=name, doc=doc, mermaid=mermaid(flow),
                pretty=pretty)


@router.get("/flows/{name}/graph.svg")
def flow_graph(name: str, st: State, who: Reader) -> Response:
    """The flow's graph (flows/visualize.py), served as an image that runs no script."""
    from fluxagent.flows.library import flow_files
    from fluxagent.flows.schema import load_flow_file
    from fluxagent.flows.visualize import svg
    files = flow_files(st.settings.data_dir / "flows")
    if name not in files:
        raise HTTPException(404, f"no flow named {name!r}")
    return Response(svg(load_flow_file(files[name])), media_type="image/svg+xml", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox"})


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@router.get("/metrics", response_class=HTMLResponse)
def metrics(request: Request, st: State, who: Reader) -> HTMLResponse:
    """Counts over the stored sessions you may see (the newest METRIC_SESSIONS)."""
    only = owned_ids(st, who)
    by_status: Counter[str] = Counter()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: Counter[str] = Counter()
    tokens = {"prompt": 0, "completion": 0}
    seen = 0
    for info in st.agent.store.sessions(METRIC_SESSIONS):
        if only is not None and info.session_id not in only:
            continue
        thread = st.agent.store.load(info.session_id)
        state = fold(thread)
        seen += 1
        by_status[state.status] += 1
        tokens["prompt"] += state.prompt_tokens
        tokens["completion"] += state.completion_tokens
        for ev in thread:
            if ev.type == "tool_result":
                took = (ev.data.get("provenance") or {}).get("duration_s")
                if isinstance(took, int | float):
                    latencies[str(ev.data.get("tool"))].append(float(took))
            elif ev.type == "tool_error":
                errors[str(ev.data.get("tool"))] += 1
    tools = [{"tool": name, "calls": len(v), "median": statistics.median(v),
              "p95": _quantile(v, 0.95), "max": max(v), "errors": errors.get(name, 0)}
             for name, v in sorted(latencies.items())]
    return page(request, "metrics.html", who, by_status=by_status.most_common(), tools=tools,
                tokens=tokens, seen=seen, runs=st.runs.stats())
