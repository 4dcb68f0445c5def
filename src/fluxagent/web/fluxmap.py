"""Flux maps of a session's results in the browser: an FBA/pFBA/MOMA result's fluxes, an
FVA's ranges, or the difference of two results, drawn on the model's Escher map (or, for a
model without one, on generated subsystem boxes).

Routes (the API's auth: a ``read`` token; another owner's session is 404):

- ``GET /web/maps/{session_id}/{seq}``: the page (SVG inline, legend, provenance, table);
  ``?map=`` picks another drawing (``e_coli_core``, ``iJO1366``, ``subsystems``).
- ``GET /web/maps/{session_id}/{seq}.svg``: the drawing alone.
- ``GET /web/maps/{session_id}/{seq}/diff/{other_seq}`` (and ``.svg``): result ``seq`` minus
  result ``other_seq`` (a knockout against the wild type, one condition against another).

The numbers are the stored tool results (web/maps/fluxes.py); nothing is recomputed. Only the
subsystem drawing reads the model, for the subsystems of its reactions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from fluxagent.api.auth import Principal, require
from fluxagent.api.deps import ERRORS, ApiState, api, visible
from fluxagent.core.events import Thread
from fluxagent.core.state import fold
from fluxagent.tools.results import ToolFailure
from fluxagent.web.maps.drawing import ChoiceError, Drawing, choices, draw
from fluxagent.web.maps.fluxes import (
    FLUX_TOOLS,
    FluxData,
    MapError,
    difference,
    flux_data,
    mapped_results,
)
from fluxagent.web.maps.page import Link, content_policy, render_page
from fluxagent.web.maps.subsystems import ModelFacts, model_facts

#: Pages of the web workbench, not REST resources: kept out of the OpenAPI schema (/docs).
router = APIRouter(prefix="/web/maps", tags=["web"], responses=ERRORS, include_in_schema=False)


def _reader() -> Callable[[Request], Principal]:
    """The workbench's page auth (its login cookie or a bearer token, the same principal and
    scopes as the API) where ``fluxagent.web.auth`` exists, else the API's bearer check."""
    try:
        from fluxagent.web.auth import require as page_require
    except ModuleNotFoundError as exc:
        if exc.name != "fluxagent.web.auth":
            raise
        return require("read")
    dependency: Callable[[Request], Principal] = page_require("read")
    return dependency


Read = Annotated[Principal, Depends(_reader())]
State = Annotated[ApiState, Depends(api)]
Choice = Annotated[str | None, Query(alias="map", max_length=40, description="Drawing: "
                                     "e_coli_core, iJO1366 or subsystems (default: the "
                                     "model's map, else subsystems).")]
#: The session page of the web workbench, and its CSV of a result's table.
SESSION_PAGE = "/web/sessions/{session_id}"
TABLE_CSV = "/web/sessions/{session_id}/events/{seq}/{key}.csv"
SVG = "image/svg+xml"


def _thread(st: ApiState, who: Principal, session_id: str) -> Thread:
    visible(st, who, session_id)
    return st.agent.store.load(session_id)


def _facts(st: ApiState, thread: Thread, data: FluxData) -> ModelFacts:
    """The model the result was computed on (as the session had it then), for subsystems."""
    prefix = thread.prefix(data.seq)
    ctx = st.agent.runner.tool_context(prefix, fold(prefix))
    try:
        model = ctx.model(data.model or None)
    except ToolFailure as exc:
        raise MapError(f"model {data.model} of event {data.seq} cannot be loaded for its "
                       f"subsystems: {exc.message}") from None
    return model_facts(model, data.model)


def _draw(st: ApiState, thread: Thread, seq: int, other: int | None, choice: str | None
          ) -> tuple[FluxData, Drawing]:
    try:
        data = flux_data(thread, seq)
        if other is not None:
            data = difference(data, flux_data(thread, other))
        return data, draw(data, choice, lambda: _facts(st, thread, data))
    except ChoiceError as exc:
        raise HTTPException(400, str(exc)) from None
    except MapError as exc:
        raise HTTPException(404, str(exc)) from None


def _page(st: ApiState, thread: Thread, seq: int, other: int | None, choice: str | None
          ) -> HTMLResponse:
    data, drawing = _draw(st, thread, seq, other, choice)
    sid = thread.session_id
    here = f"/web/maps/{sid}/{seq}" + (f"/diff/{other}" if other is not None else "")
    links = {"session": SESSION_PAGE.format(session_id=sid),
             "svg": here + ".svg" + (f"?map={choice}" if choice else ""),
             "event": f"/sessions/{sid}/events?after={seq - 1}&limit=1",
             "csv": TABLE_CSV.format(session_id=sid, seq=seq, key="ranges" if data.kind ==
                                     "ranges" else "fluxes")}
    picks = [Link(title, f"{here}?map={name}", name == drawing.name)
             for name, title in choices()]
    diffs = []
    if data.kind != "ranges":
        diffs = [Link(f"event {ev.seq} ({ev.data.get('tool')})",
                      f"/web/maps/{sid}/{seq}/diff/{ev.seq}")
                 for ev in mapped_results(thread)
                 if ev.seq != seq and ev.data.get("tool") in FLUX_TOOLS]
    html = render_page(data, drawing, links=links, choices=picks, diffs=diffs)
    return HTMLResponse(html, headers={"Content-Security-Policy": content_policy(html),
                                       "Referrer-Policy": "same-origin",
                                       "Cache-Control": "no-store"})


def _svg(st: ApiState, thread: Thread, seq: int, other: int | None, choice: str | None
         ) -> Response:
    _data, drawing = _draw(st, thread, seq, other, choice)
    return Response(drawing.svg, media_type=SVG,
                    headers={"Content-Security-Policy": "default-src 'none'; "
                             "style-src 'unsafe-inline'"})


@router.get("/{session_id}/{seq}.svg", response_class=Response,
            responses={200: {"content": {SVG: {}}}})
def map_svg(session_id: str, seq: int, st: State, who: Read, choice: Choice = None
            ) -> Response:
    """The drawing of result ``seq`` as an SVG file."""
    return _svg(st, _thread(st, who, session_id), seq, None, choice)


@router.get("/{session_id}/{seq}/diff/{other_seq}.svg", response_class=Response,
            responses={200: {"content": {SVG: {}}}})
def diff_svg(session_id: str, seq: int, other_seq: int, st: State, who: Read,
             choice: Choice = None) -> Response:
    """The difference of two results (``seq`` minus ``other_seq``) as an SVG file."""
    return _svg(st, _thread(st, who, session_id), seq, other_seq, choice)


@router.get("/{session_id}/{seq}", response_class=HTMLResponse)
def map_page(session_id: str, seq: int, st: State, who: Read, choice: Choice = None
             ) -> HTMLResponse:
    """The flux map page of result ``seq`` of the session."""
    return _page(st, _thread(st, who, session_id), seq, None, choice)


@router.get("/{session_id}/{seq}/diff/{other_seq}", response_class=HTMLResponse)
def diff_page(session_id: str, seq: int, other_seq: int, st: State, who: Read,
              choice: Choice = None) -> HTMLResponse:
    """The page of result ``seq`` minus result ``other_seq`` (e.g. knockout − wild type)."""
    return _page(st, _thread(st, who, session_id), seq, other_seq, choice)

