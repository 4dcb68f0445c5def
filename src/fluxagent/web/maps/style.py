"""How one reaction looks on a map: class, colour, width, arrow direction, label and tooltip.

Magnitude scale (fluxes, FVA ranges): grey at zero, then blue → violet → red with the square
root of |flux| / the largest |flux| drawn, and wider strokes. Difference scale: red where this
result carries more flux than the reference (signed), blue where less, grey where equal. A
dashed stroke is a range wider than a point (the flux is not unique at the optimum).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from fluxagent.web.maps.fluxes import POINT_TOL, FluxData

NEUTRAL = "#c3c7cd"
NEUTRAL_WIDTH = 4.0
MAX_WIDTH = 24.0
MIN_WIDTH = 7.0
UNIT = "mmol/gDW/h"
_MAGNITUDE = ((0.0, (120, 170, 230)), (0.5, (140, 80, 200)), (1.0, (214, 39, 40)))
_UP = (200, 30, 45)
_DOWN = (33, 102, 172)


def fmt(v: float) -> str:
    """A flux as the map writes it: 4 significant digits, no ``-0``."""
    text = f"{v:.4g}"
    return "0" if text in ("-0", "0") else text


def signed(v: float) -> str:
    return ("+" if v > 0 else "") + fmt(v)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> str:
    r, g, bl = (round(x + (y - x) * t) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}"


def _grey() -> tuple[int, int, int]:
    return (int(NEUTRAL[1:3], 16), int(NEUTRAL[3:5], 16), int(NEUTRAL[5:7], 16))


def magnitude_colour(t: float) -> str:
    """Colour of a magnitude ``t`` in [0, 1] (already scaled)."""
    t = min(max(t, 0.0), 1.0)
    for (t0, c0), (t1, c1) in pairwise(_MAGNITUDE):
        if t <= t1:
            return _mix(c0, c1, (t - t0) / (t1 - t0))
    return _mix(_MAGNITUDE[-1][1], _MAGNITUDE[-1][1], 0.0)


def diff_colour(t: float, up: bool) -> str:
    return _mix(_grey(), _UP if up else _DOWN, 0.35 + 0.65 * min(max(t, 0.0), 1.0))


@dataclass(frozen=True)
class Look:
    cls: str  # flux, zero, range, blocked, unanalysed, up, down, same
    colour: str
    width: float
    direction: int  # +1 forward, -1 reverse, 0 both (or none known)
    dashed: bool
    label: str  # the value written beside the id ("" for none)
    tooltip: str
    magnitude: float  # what the scale measures (|flux|, max |bound|, |difference|)
    value: float | None  # the exact number drawn (flux or difference), for data-flux


def magnitude(data: FluxData, rid: str) -> float:
    """What the scale measures for a reaction of this map data."""
    if data.kind == "ranges":
        lo, hi = data.ranges.get(rid, (0.0, 0.0))
        return max(abs(lo), abs(hi))
    return abs(data.value(rid))


def scale_max(data: FluxData, rids: set[str]) -> float:
    return max((magnitude(data, r) for r in rids), default=0.0)


def _t(m: float, top: float) -> float:
    return math.sqrt(m / top) if top > 0 else 0.0


def _width(t: float) -> float:
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * t


def look(data: FluxData, rid: str, name: str, top: float) -> Look:
    """The look of reaction ``rid`` (named ``name``) when the largest magnitude is ``top``."""
    head = f"{rid} ({name})" if name and name != rid else rid
    m = magnitude(data, rid)
    t = _t(m, top)
    if data.kind == "ranges":
        if rid not in data.ranges:
            return Look("unanalysed", NEUTRAL, NEUTRAL_WIDTH, 0, False, "",
                        f"{head}: not in this FVA", 0.0, None)
        lo, hi = data.ranges[rid]
        text = f"[{fmt(lo)}, {fmt(hi)}]"
        tip = f"{head}: {text} {UNIT}"
        if m == 0.0:
            return Look("blocked", NEUTRAL, NEUTRAL_WIDTH, 0, False, text,
                        tip + " (no flux in any optimal solution)", 0.0, None)
        direction = 1 if lo >= 0 else -1 if hi <= 0 else 0
        return Look("range", magnitude_colour(t), _width(t), direction,
                    hi - lo > POINT_TOL, text, tip, m, None)
    v = data.value(rid)
    if data.kind == "diff":
        assert data.pair is not None
        this, other = data.pair
        a, b = this.value(rid), other.value(rid)
        tip = (f"{head}: {fmt(b)} (event {other.seq}) → {fmt(a)} (event {this.seq}) {UNIT}; "
               f"difference {signed(v)}")
        ref = a if a != 0 else b
        direction = 1 if ref > 0 else -1 if ref < 0 else 0
        if v == 0.0:
            return Look("same", NEUTRAL, NEUTRAL_WIDTH, direction, False, "", tip, 0.0, 0.0)
        return Look("up" if v > 0 else "down", diff_colour(t, v > 0), _width(t), direction,
                    False, signed(v), tip, m, v)
    if v == 0.0:
        return Look("zero", NEUTRAL, NEUTRAL_WIDTH, 0, False, "",
                    f"{head}: no flux (0 {UNIT})", 0.0, 0.0)
    text, tip = fmt(v), f"{head}: {fmt(v)} {UNIT}"
    dashed = False
    if rid in data.ranges:
        lo, hi = data.ranges[rid]
        if hi - lo > POINT_TOL:
            dashed = True
            text += f" [{fmt(lo)}, {fmt(hi)}]"
            tip += f"; not unique: [{fmt(lo)}, {fmt(hi)}] over all optimal solutions"
    return Look("flux", magnitude_colour(t), _width(t), 1 if v > 0 else -1, dashed, text,
                tip, m, v)
