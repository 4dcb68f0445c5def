"""Rough run-time estimates of analyses, so a policy can ask before a very long one starts.

The estimate is a count of linear programs times the cost of one LP on a model of that size.
It only needs to tell seconds from hours (a double-deletion screen of iJO1366 from an FBA), so
the numbers are coarse and deliberately conservative. Model sizes come from the thread (a
``model_summary`` result), else from the sizes of the bundled models.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.core.state import PendingCall, SessionState

#: Reactions and genes of the models shipped with cobrapy (when no summary is in the thread).
KNOWN_SIZES: dict[str, tuple[int, int]] = {
    "e_coli_core": (95, 137), "textbook": (95, 137), "iJO1366": (2583, 1367),
    "salmonella": (2546, 1271), "mini": (18, 0),
}
#: Seconds for one warm-started LP per reaction of the model (GLPK, one core).
LP_SECONDS_PER_REACTION = 4e-6

Size = tuple[int, int]
LpCount = Callable[[dict[str, Any], Size], float]


def _n(args: Mapping[str, Any], key: str, default: float) -> float:
    value = args.get(key)
    if isinstance(value, list):
        return float(len(value)) or default
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else default


#: Number of LPs (or LP equivalents for MILPs) each analysis solves.
def _screen(a: dict[str, Any], s: Size, first: str, second: str, size: int) -> float:
    """Single screen: one LP per item; double screen: one per pair."""
    n1 = _n(a, first, size)
    if not a.get("double"):
        return n1
    return n1 * _n(a, second, n1) / (1 if a.get(second) else 2)


LP_COUNTS: dict[str, LpCount] = {
    "run_fva": lambda a, s: 2 * _n(a, "reactions", s[0]),
    "find_blocked_reactions": lambda a, s: 2 * _n(a, "reactions", s[0]),
    "essential_genes": lambda a, s: s[1],
    "essential_reactions": lambda a, s: s[0],
    "gene_deletion_screen": lambda a, s: _screen(a, s, "genes", "genes2", s[1]),
    "reaction_deletion_screen": lambda a, s: _screen(a, s, "reactions", "reactions2", s[0]),
    "double_gene_deletion": lambda a, s: _n(a, "genes", s[1]) ** 2 / 2,
    "double_reaction_deletion": lambda a, s: _n(a, "reactions", s[0]) ** 2 / 2,
    "flux_sampling": lambda a, s: 2 * s[0] + _n(a, "n", 1000) * _n(a, "thinning", 100) / 50,
    "production_envelope": lambda a, s: 2 * _n(a, "points", 20),
    "minimal_medium": lambda a, s: 200.0 if a.get("minimize", "components") == "components"
    else 2.0,
    "run_moma": lambda a, s: 50.0,
    "gapfill": lambda a, s: 2000.0,
}


def model_size(state: SessionState, thread: Thread | None, name: str | None) -> Size | None:
    """Reactions and genes of the model a call will use."""
    target = name or state.current_model or "e_coli_core"
    if thread is not None:
        for ev in reversed(thread.events):
            d = ev.data.get("data")
            if ev.type == "tool_result" and ev.data.get("tool") == "model_summary" \
                    and isinstance(d, dict) and d.get("id") in (target, None):
                r, g = d.get("reactions"), d.get("genes")
                r = len(r) if isinstance(r, list) else r
                g = len(g) if isinstance(g, list) else g
                if isinstance(r, int) and isinstance(g, int):
                    return r, g
    base = state.models[target].base if target in state.models else target
    return KNOWN_SIZES.get(base) or KNOWN_SIZES.get(target)


def estimate_seconds(call: PendingCall, state: SessionState,
                     thread: Thread | None = None) -> float | None:
    """Estimated run time of the call in seconds, or None when there is nothing to go on."""
    count = LP_COUNTS.get(call.name)
    if count is None:
        return None
    model = call.args.get("model")
    size = model_size(state, thread, model if isinstance(model, str) else None)
    if size is None:
        return None
    return count(call.args, size) * LP_SECONDS_PER_REACTION * max(size[0], 1)
