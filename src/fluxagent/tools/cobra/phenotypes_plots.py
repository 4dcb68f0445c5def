"""Figures of a phenotype comparison: the confusion matrix and predicted-vs-measured rates.

Same conventions as ``plots.py`` (matplotlib's object API, deterministic SVG, text as text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from fluxagent.tools.toolkit import fmt

from .plots import _RC, _figure


def confusion_figure(confusion: dict[str, int], title: str, positive: str,
                     negative: str) -> Figure:
    """2x2 matrix: rows measured, columns predicted, each cell its count."""
    fig = _figure(4.6, 4.0)
    cells = [[confusion["TP"], confusion["FN"]], [confusion["FP"], confusion["TN"]]]
    names = [["TP", "FN"], ["FP", "TN"]]
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        ax.imshow(cells, cmap="Blues", vmin=0, vmax=max(1, max(map(max, cells))))
        top = max(1, max(map(max, cells)))
        for i in range(2):
            for j in range(2):
                ax.text(j, i, f"{names[i][j]}\n{cells[i][j]}", ha="center", va="center",
                        color="white" if cells[i][j] > top / 2 else "black",
                        gid=f"cell-{names[i][j]}")
        ax.set_xticks([0, 1], [f"predicted {positive}", f"predicted {negative}"])
        ax.set_yticks([0, 1], [f"measured {positive}", f"measured {negative}"])
        ax.set_title(title)
    return fig


def scatter_figure(rows: Sequence[dict[str, Any]], title: str, pearson: float | None) -> Figure:
    """Predicted against measured growth rate, one labelled point per condition."""
    fig = _figure(6.0, 5.0)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        xs = [r["measured"] for r in rows]
        ys = [r["predicted"] for r in rows]
        ax.scatter(xs, ys, s=14, color="#4c78a8", gid="rates-points")
        for r in rows:
            ax.annotate(str(r["label"] or r["id"]), (r["measured"], r["predicted"]),
                        fontsize=6, xytext=(2, 2), textcoords="offset points")
        top = max([*xs, *ys, 0.1])
        ax.plot([0, top], [0, top], color="#bab0ac", lw=1, ls="--", label="y = x")
        ax.set_xlabel("measured growth rate (1/h)")
        ax.set_ylabel("predicted growth rate (1/h)")
        ax.set_title(f"{title} (Pearson {fmt(pearson, 3)})")
        ax.legend(loc="lower right")
    return fig
