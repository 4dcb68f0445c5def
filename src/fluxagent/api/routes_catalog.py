"""Tools (list with JSON Schemas, run one), flows (list, show, validate, run), artifacts by
content hash, and the health checks."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Response
from fastapi.responses import JSONResponse

from fluxagent.api import work
from fluxagent.api.auth import Principal, require
from fluxagent.api.deps import ERRORS, ApiState, Wait, accepted, api, visible
from fluxagent.api.schemas import (
    Accepted,
    FlowRunIn,
    FlowSource,
    FlowSummary,
    Health,
    ToolOutcome,
    ToolRunIn,
    ToolSpec,
    Validation,
)
from fluxagent.runtime import sessions

router = APIRouter(responses=ERRORS)
health = APIRouter(tags=["health"])
Read = Annotated[Principal, Depends(require("read"))]
Write = Annotated[Principal, Depends(require("write"))]
State = Annotated[ApiState, Depends(api)]


def _gated(st: ApiState, name: str) -> bool:
    tool = st.agent.registry.get(name)
    policy = st.agent.policy
    return tool is not None and (tool.writes or name in policy.tools) and \
        name not in policy.never


def _spec(st: ApiState, name: str) -> ToolSpec:
    tool = st.agent.registry.get(name)
    if tool is None:
        raise HTTPException(404, f"no tool named {name!r}")
    return ToolSpec(name=tool.name, purpose=tool.purpose, long_running=tool.long_running,
                    writes=tool.writes, approval=_gated(st, name),
                    parameters=tool.schema()["parameters"])


@router.get("/tools", tags=["tools"], response_model=list[ToolSpec])
def list_tools(st: State, who: Read) -> list[ToolSpec]:
    """Every analysis tool with the JSON Schema of its arguments."""
    return [_spec(st, name) for name in st.agent.registry.names()]


@router.get("/tools/{name}", tags=["tools"], response_model=ToolSpec)
def show_tool(name: str, st: State, who: Read) -> ToolSpec:
    return _spec(st, name)


@router.post("/tools/{name}/run", tags=["tools"], response_model=ToolOutcome)
def run_tool(name: str, body: ToolRunIn, st: State, who: Write) -> Any:
    """Run one tool outside any session, as the agent would: the outcome is a ToolResult
    (``ok`` true) or a ToolError (``ok`` false). A tool the approval policy gates needs
    the ``approve`` scope too: calling it is approving it."""
    _spec(st, name)
    if _gated(st, name) and not (who.admin or "approve" in who.scopes):
        raise HTTPException(403, f"{name} needs approval; running it directly needs the "
                            "'approve' scope")
    outcome = sessions.run_tool(st.runner, name, body.args)
    return JSONResponse(json.loads(outcome.model_dump_json()))


def _flow_files(st: ApiState) -> dict[str, Any]:
    from fluxagent.flows.library import flow_files
    return flow_files(st.settings.data_dir / "flows")


@router.get("/flows", tags=["flows"], response_model=list[FlowSummary])
def list_flows(st: State, who: Read) -> list[FlowSummary]:
    """The flows available (shipped, and DATA_DIR/flows/*.yaml)."""
    from fluxagent.flows.schema import FlowError, load_flow_file
    rows = []
    for name, path in _flow_files(st).items():
        try:
            f = load_flow_file(path)
        except FlowError as exc:
            rows.append(FlowSummary(name=name, states=None, inputs=[], description="",
                                    error=str(exc)))
            continue
        rows.append(FlowSummary(name=name, states=len(f.states), inputs=list(f.inputs),
                                description=f.description.strip()))
    return rows


@router.get("/flows/{name}", tags=["flows"], response_model=dict[str, Any])
def show_flow(name: str, st: State, who: Read) -> dict[str, Any]:
    """A flow's definition (states, tools, transitions)."""
    from fluxagent.flows.schema import load_flow_file
    files = _flow_files(st)
    if name not in files:
        raise HTTPException(404, f"no flow named {name!r}")
    doc: dict[str, Any] = load_flow_file(files[name]).model_dump(mode="json")
    return doc


@router.post("/flows/validate", tags=["flows"], response_model=Validation)
def validate_flow(body: FlowSource, st: State, who: Read) -> Validation:
    """Check a flow definition: unreachable states, dead ends, unknown tools, bad arguments."""
    from fluxagent.flows.schema import FlowError, load_flow_text
    from fluxagent.flows.validate import validate_flow as check
    try:
        flow = load_flow_text(body.yaml, "request body")
    except FlowError as exc:
        return Validation(valid=False, flow=None, problems=[str(exc)])
    problems = [str(p) for p in check(flow, st.agent.registry)]
    return Validation(valid=not problems, flow=flow.name, problems=problems)


@router.post("/flows/{name}/run", tags=["flows"], status_code=202, response_model=Accepted,
             responses={200: {"model": Accepted}})
def start_flow(name: str, body: FlowRunIn, st: State, who: Write, response: Response,
               wait: Wait = 0) -> Accepted:
    """Run a flow in a new session (or as a new turn of ``session_id``), in the background."""
    from fluxagent.api.routes_sessions import _flow
    flow = _flow(st, name)
    flow.resolve_inputs(body.inputs)
    if body.session_id is not None:
        visible(st, who, body.session_id)
        sid = body.session_id
    else:
        sid = sessions.new_session_id()
        st.agent.store.create(sid, title=f"flow {flow.name}")
        st.access.set_owner(sid, who.owner)
    run = st.runs.submit(sid, "flow", work.flow(st, sid, name, body.inputs, body.model),
                         payload={"flow": name, "flow_name": flow.name, "inputs": body.inputs,
                                  "model": body.model})
    code, out = accepted(st, run, wait)
    response.status_code = code
    return out


MEDIA = {"svg": "image/svg+xml", "json": "application/json", "csv": "text/csv",
         "png": "image/png"}


def _media_type(content: bytes) -> str:
    head = content[:256].lstrip()
    if head.startswith(b"\x89PNG"):
        return MEDIA["png"]
    if head.startswith((b"<?xml", b"<svg")):
        return MEDIA["svg"]
    if head.startswith((b"{", b"[")):
        return MEDIA["json"]
    return MEDIA["csv"]


@router.get("/artifacts/{sha256}", tags=["artifacts"], response_class=Response,
            responses={200: {"content": {m: {} for m in MEDIA.values()},
                             "description": "The artifact's bytes"}})
def artifact(sha256: str, st: State, who: Read) -> Response:
    """An artifact (CSV, JSON, SVG, PNG) by the sha256 of its content. SVG is served with a
    policy that runs no script in it."""
    from fluxagent.store.artifacts import ArtifactStore
    from fluxagent.store.base import StoreError
    store = ArtifactStore(st.settings.data_dir / "artifacts")
    try:
        content = store.get(sha256)
    except StoreError as exc:
        raise HTTPException(404, str(exc).replace(str(store.root), "the artifact store")) \
            from None
    return Response(content, media_type=_media_type(content), headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        "Content-Disposition": f'inline; filename="{sha256[:12]}"'})


@health.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process answers."""
    return Health(status="ok")


# /readyz: observability/http.py (the database, the solver, and registered checks)
