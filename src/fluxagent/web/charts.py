"""Inline SVG plots of a tool result, drawn from its numbers (no script, no external file):
the largest fluxes as bars, FVA ranges as intervals, a screen's growth per knockout.

Every label goes through ``render.escape.html_text``; the numbers are the tool's."""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup

from fluxagent.render.escape import html_text

TOP = 25
ROW_H, LABEL_W, PLOT_W, PAD = 18, 170, 420, 8
POS, NEG, RANGE = "#2563eb", "#dc2626", "#0f766e"


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and \
        math.isfinite(value)


def _frame(title: str, rows: int, body: list[str]) -> Markup:
    height = PAD * 2 + 22 + rows * ROW_H + 16
    width = LABEL_W + PLOT_W + 90
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-label="{html_text(title)}"><title>{html_text(title)}</title>'
            f'<text x="{PAD}" y="{PAD + 12}" class="chart-title">{html_text(title)}</text>')
    return Markup(head + "".join(body) + "</svg>")


def _axis(lo: float, hi: float, rows: int) -> tuple[list[str], Any]:
    span = (hi - lo) or 1.0

    def x(v: float) -> float:
        return LABEL_W + (v - lo) / span * PLOT_W
    top, bottom = PAD + 22, PAD + 22 + rows * ROW_H
    zero = x(0.0) if lo <= 0 <= hi else x(lo)
    parts = [f'<line x1="{zero:.1f}" y1="{top}" x2="{zero:.1f}" y2="{bottom}" '
             'stroke="#6b7280" stroke-width="1"/>',
             f'<text x="{LABEL_W}" y="{bottom + 13}" class="chart-tick">{lo:.4g}</text>',
             f'<text x="{LABEL_W + PLOT_W}" y="{bottom + 13}" class="chart-tick" '
             f'text-anchor="end">{hi:.4g}</text>']
    return parts, x


def _label(i: int, text: str) -> str:
    y = PAD + 22 + i * ROW_H + ROW_H - 5
    return (f'<text x="{LABEL_W - 6}" y="{y}" text-anchor="end" class="chart-label">'
            f'{html_text(text[:28])}</text>')


def bars(title: str, items: list[tuple[str, float]], unit: str) -> Markup | None:
    items = [(k, float(v)) for k, v in items if _finite(v)]
    if not items:
        return None
    lo, hi = min(0.0, *(v for _, v in items)), max(0.0, *(v for _, v in items))
    body, x = _axis(lo, hi, len(items))
    for i, (name, v) in enumerate(items):
        y = PAD + 22 + i * ROW_H + 3
        x0, x1 = sorted((x(0.0), x(v)))
        body.append(_label(i, name))
        body.append(f'<rect x="{x0:.1f}" y="{y}" width="{max(x1 - x0, 1):.1f}" '
                    f'height="{ROW_H - 6}" fill="{POS if v >= 0 else NEG}">'
                    f'<title>{html_text(name)}: {v:.6g} {html_text(unit)}</title></rect>')
        body.append(f'<text x="{LABEL_W + PLOT_W + 6}" y="{y + ROW_H - 8}" '
                    f'class="chart-value">{v:.4g}</text>')
    return _frame(title, len(items), body)


def ranges(title: str, items: list[tuple[str, float, float]]) -> Markup | None:
    items = [(k, float(a), float(b)) for k, a, b in items if _finite(a) and _finite(b)]
    if not items:
        return None
    lo = min(0.0, *(a for _, a, _ in items))
    hi = max(0.0, *(b for _, _, b in items))
    body, x = _axis(lo, hi, len(items))
    for i, (name, a, b) in enumerate(items):
        y = PAD + 22 + i * ROW_H + ROW_H / 2
        body.append(_label(i, name))
        body.append(f'<line x1="{x(a):.1f}" y1="{y:.1f}" x2="{max(x(b), x(a) + 1):.1f}" '
                    f'y2="{y:.1f}" stroke="{RANGE}" stroke-width="6" stroke-linecap="round">'
                    f'<title>{html_text(name)}: [{a:.6g}, {b:.6g}] mmol/gDW/h</title></line>')
        body.append(f'<text x="{LABEL_W + PLOT_W + 6}" y="{y + 4:.1f}" '
                    f'class="chart-value">{a:.3g}…{b:.3g}</text>')
    return _frame(title, len(items), body)


def plot(tool: str, data: dict[str, Any]) -> Markup | None:
    """The plot of a result, or None if it has nothing to draw."""
    fluxes = data.get("fluxes")
    if isinstance(fluxes, dict) and fluxes:
        top = sorted(((k, v) for k, v in fluxes.items() if _finite(v) and abs(v) > 1e-9),
                     key=lambda kv: (-abs(kv[1]), kv[0]))[:TOP]
        return bars(f"{tool}: the {len(top)} largest fluxes (mmol/gDW/h)", top,
                    "mmol/gDW/h")
    rows = data.get("ranges")
    if isinstance(rows, list) and rows and isinstance(rows[0], dict) and "minimum" in rows[0]:
        wide = sorted((r for r in rows if _finite(r.get("minimum"))
                       and _finite(r.get("maximum"))
                       and (abs(r["minimum"]) > 1e-9 or abs(r["maximum"]) > 1e-9)),
                      key=lambda r: (-(r["maximum"] - r["minimum"]), str(r.get("id"))))[:TOP]
        return ranges(f"{tool}: the {len(wide)} widest flux ranges (mmol/gDW/h)",
                      [(str(r.get("id")), r["minimum"], r["maximum"]) for r in wide])
    for key in ("genes", "reactions", "results", "knockouts"):
        rows = data.get(key)
        if isinstance(rows, list) and rows and isinstance(rows[0], dict) and \
                "growth" in rows[0]:
            items = [(str(r.get("id") or r.get("name")), r["growth"]) for r in rows[:TOP]]
            return bars(f"{tool}: growth per knockout (1/h)", items, "1/h")
    return None
