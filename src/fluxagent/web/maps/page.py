"""The HTML page around a map: heading, notes, the inline SVG (zoomable with a few lines of
JavaScript, readable without), provenance of the result and the reaction table.

Jinja2 with autoescaping: every id, name, summary and provenance value is text. The SVG is
the one piece inserted as markup, and it was escaped when it was drawn (svg.py).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from fluxagent.web.maps.drawing import SUBSYSTEMS, Drawing, table
from fluxagent.web.maps.fluxes import FluxData


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    current: bool = False


_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.S)


def content_policy(html: str) -> str:
    """The page's Content-Security-Policy: only its own inline script and styles run (by
    hash), nothing is loaded from elsewhere. User text cannot add a ``<script>`` or
    ``<style>`` element: it is escaped, so every match here is the template's own."""
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for kind, body in _INLINE.findall(html):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes[kind].append(f"'sha256-{digest}'")
    return ("default-src 'none'; img-src 'self' data:; "
            f"script-src {' '.join(dict.fromkeys(hashes['script'])) or 'none'}; "
            f"style-src {' '.join(dict.fromkeys(hashes['style'])) or 'none'}; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


@cache
def _env() -> Environment:
    return Environment(loader=PackageLoader("fluxagent.web.maps", "templates"),
                       autoescape=select_autoescape(["html"]))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, default=str)


def provenance_rows(data: FluxData) -> list[tuple[str, str]]:
    """What the numbers were computed from, for people (model, medium, solver, versions)."""
    results = [data.pair[0], data.pair[1]] if data.kind == "diff" and data.pair else [data]
    rows: list[tuple[str, str]] = []
    for d in results:
        p = d.provenance
        tag = f" (event {d.seq})" if len(results) > 1 else ""
        medium = p.get("medium") or {}
        params = dict(p.get("parameters") or {})
        rows += [(f"Tool{tag}", d.tool), (f"Model{tag}", _text(p.get("model_id") or "")),
                 (f"Base model{tag}", _text(params.pop("base", ""))),
                 (f"Model hash{tag}", _text(p.get("model_hash") or "")),
                 (f"Medium{tag}", ", ".join(f"{k} ≤ {v:g}" for k, v in sorted(medium.items()))
                  if isinstance(medium, dict) else _text(medium)),
                 (f"Arguments{tag}", _text(d.args)),
                 (f"Parameters{tag}", _text(params)),
                 (f"Model changes{tag}", _text(p.get("changes") or [])),
                 (f"Solver{tag}", _text(p.get("solver") or "")),
                 (f"Versions{tag}", ", ".join(f"{k} {v}" for k, v in
                                              sorted((p.get("versions") or {}).items())))]
    return rows


def render_page(data: FluxData, drawing: Drawing, *, links: dict[str, str],
                choices: list[Link], diffs: list[Link]) -> str:
    """The map page of ``data`` (``links``: session, svg, event)."""
    title, head, rows = table(data, drawing)
    caption = {
        "fluxes": "Line colour and width: |flux|; arrows: the direction of the flux; dashed: "
                  "the flux is not unique at the optimum. Grey: no flux.",
        "ranges": "Label: [minimum, maximum] over all optimal solutions; colour and width: "
                  "the largest |flux|; dashed: the flux varies. Grey: blocked or not "
                  "analysed.",
        "diff": "Label: the difference of the fluxes (this result minus the reference); red: "
                "more flux, blue: less, grey: equal.",
    }[data.kind]
    if drawing.name == SUBSYSTEMS:
        caption = ("One box per subsystem: how many of its reactions carry flux, the sum of "
                   "their |flux| (of the differences, for a comparison) as the box colour, "
                   "and its largest reactions with their values.")
    summary = data.summary
    if data.kind == "diff" and data.pair is not None:
        a, b = data.pair
        summary = f"Event {a.seq}: {a.summary} Reference, event {b.seq}: {b.summary}"
    return _env().get_template("fluxmap.html").render(
        heading=drawing.title, session_id=data.session_id, summary=summary,
        notes=drawing.notes, choices=choices, diffs=diffs, svg=Markup(drawing.svg),
        caption=caption, provenance=provenance_rows(data),
        table={"title": title, "head": head, "rows": rows}, links=links)
