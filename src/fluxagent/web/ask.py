"""Ask: a question or a flow on a chosen model (bundled, stored, or uploaded here), started in
the background exactly as ``POST /sessions`` starts it (the same route function)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from fluxagent.api.deps import ApiState
from fluxagent.api.routes_catalog import list_flows
from fluxagent.api.routes_sessions import create_session
from fluxagent.api.schemas import NewSession
from fluxagent.flows.schema import FlowError
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError
from fluxagent.web.auth import check_post
from fluxagent.web.deps import Reader, State, Writer, back
from fluxagent.web.templating import page
from fluxagent.web.uploads import store_upload

router = APIRouter(prefix="/web", include_in_schema=False)


def catalog(st: ApiState) -> list[dict[str, Any]]:
    """The models to choose from (the list_models tool's catalog)."""
    out = sessions.run_tool(st.runner, "list_models", {})
    rows = out.data.get("models", []) if out.ok else []
    return [r for r in rows if isinstance(r, dict)]


@router.get("/ask", response_class=HTMLResponse)
def ask_form(request: Request, st: State, who: Reader, flow: str = "") -> HTMLResponse:
    return page(request, "ask.html", who, models=catalog(st), flows=list_flows(st, who),
                flow=flow, error=request.query_params.get("error", ""),
                default_model=st.settings.default_model)


@router.post("/ask")
async def ask(request: Request, st: State, who: Writer,
              csrf: Annotated[str, Form()] = "",
              question: Annotated[str, Form(max_length=100_000)] = "",
              model: Annotated[str, Form(max_length=500)] = "",
              flow: Annotated[str, Form(max_length=200)] = "",
              inputs: Annotated[str, Form(max_length=100_000)] = "",
              upload: Annotated[UploadFile | None, File()] = None) -> RedirectResponse:
    check_post(request, who, csrf)
    try:
        if upload is not None and upload.filename:
            model = (await store_upload(st, upload))["base"]
        body = NewSession(question=question.strip() or None if not flow else None,
                          flow=flow or None, inputs=_inputs(inputs), model=model or None)
        if body.question is None and body.flow is None:
            raise StoreError("write a question, or choose a flow")
        if body.model and body.question:  # a bad model is refused before anything is stored
            sessions.model_reference(st.runner, body.model)
        out = create_session(body, st, who, Response())
    except (StoreError, FlowError) as exc:
        return back("/web/ask", error=str(exc))
    except HTTPException as exc:
        return back("/web/ask", error=str(exc.detail))
    return back(f"/web/sessions/{out.session_id}")


def _inputs(text: str) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"the flow inputs are not JSON: {exc.msg}") from None
    if not isinstance(value, dict):
        raise StoreError("the flow inputs must be a JSON object ({\"name\": value})")
    return value
