"""``plot``: SVG and PNG figures of analyses (FVA ranges, production envelope, essentiality,
flux distribution, central-metabolism fluxes).

The numbers come from the analysis tools themselves (run through the registry with the same
arguments), so a figure always shows exactly what the matching tool reports. Drawing uses
matplotlib's object API (no pyplot, no global backend), text stays text in the SVG so the
labels are searchable, and the output is deterministic (fixed hash salt, no date).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any, Literal

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from pydantic import Field

from fluxagent.tools.conditions import conditions_text
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ArtifactRef, ToolError, ToolFailure, ToolResult
from fluxagent.tools.toolkit import AnalysisArgs, fmt

Kind = Literal["fva", "envelope", "essentiality", "flux_distribution", "central_metabolism"]
_RC: Any = {"svg.hashsalt": "fluxagent", "svg.fonttype": "none", "font.size": 9,
       "font.family": "DejaVu Sans"}
FVA_DEFAULT_REACTIONS = 40


def render(fig: Figure, fmt_: str) -> bytes:
    buf = io.BytesIO()
    meta = {"Date": None} if fmt_ == "svg" else {"Software": None}
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format=fmt_, metadata=meta, dpi=110 if fmt_ == "png" else None)
    return buf.getvalue()


def _figure(w: float, h: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(w, h), layout="constrained")


# --------------------------------------------------------------------------- drawings
def fva_figure(ranges: Sequence[dict[str, Any]], title: str,
               fluxes: dict[str, float] | None = None) -> Figure:
    """Horizontal bars from minimum to maximum, one per reaction, FBA flux as a dot."""
    n = max(len(ranges), 1)
    fig = _figure(7.5, 1.2 + 0.24 * n)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        for i, r in enumerate(ranges):
            lo, hi = r["minimum"], r["maximum"]
            if any(isinstance(v, float) and math.isnan(v) for v in (lo, hi)):
                continue
            ax.barh(i, max(hi - lo, 1e-9), left=lo, height=0.6, color="#4c78a8",
                    edgecolor="#2f4b7c", gid=f"fva-{r['id']}")
            if fluxes is not None and r["id"] in fluxes:
                ax.plot([fluxes[r["id"]]], [i], "o", color="#e45756", ms=4)
        ax.set_yticks(range(len(ranges)), [r["id"] for r in ranges])
        ax.invert_yaxis()
        ax.axvline(0, color="#999999", lw=0.8)
        ax.set_xlabel("flux (mmol/gDW/h)")
        ax.set_title(title)
    return fig


def envelope_figure(points: Sequence[dict[str, Any]], x_label: str, y_label: str,
                    title: str) -> Figure:
    """The feasible band of product flux against growth (or another flux)."""
    ok = [p for p in points if not math.isnan(p["flux_maximum"])]
    xs = [p["x"] for p in ok]
    lo = [p["flux_minimum"] for p in ok]
    hi = [p["flux_maximum"] for p in ok]
    fig = _figure(6.5, 4.5)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        ax.fill_between(xs, lo, hi, color="#72b7b2", alpha=0.5, label="feasible",
                        gid="envelope-band")
        ax.plot(xs, hi, color="#2f4b7c", lw=1.5, label="maximum")
        ax.plot(xs, lo, color="#2f4b7c", lw=1.0, ls="--", label="minimum")
        ax.set_xlabel(x_label)
        ax.set_ylabel(y_label)
        ax.set_title(title)
        ax.legend(loc="best")
    return fig


def essentiality_figure(results: Sequence[dict[str, Any]], wild: float, threshold: float,
                        title: str, max_bars: int = 160) -> Figure:
    """Growth per gene knockout, sorted; lethal ones red. Large screens show a ranked curve."""
    rows = sorted(results, key=lambda r: (r["growth"], r["ids"]))
    bars = len(rows) <= max_bars
    fig = _figure(max(8.0, 0.09 * len(rows)) if bars else 8.0, 4.8)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        colors = ["#e45756" if r["growth"] < threshold else "#4c78a8" for r in rows]
        if bars:
            labels = ["+".join(r["names"][i] or r["ids"][i] for i in range(len(r["ids"])))
                      for r in rows]
            ax.bar(range(len(rows)), [r["growth"] for r in rows], color=colors,
                   gid="essentiality-bars")
            ax.set_xticks(range(len(rows)), labels, rotation=90, fontsize=6)
        else:
            ax.scatter(range(len(rows)), [r["growth"] for r in rows], c=colors, s=6,
                       gid="essentiality-points")
            ax.set_xlabel("knockouts, ranked by growth")
        ax.axhline(wild, color="#54a24b", lw=1, ls="--", label=f"wild type {fmt(wild)}")
        ax.axhline(threshold, color="#e45756", lw=1, ls=":", label=f"lethal < {fmt(threshold)}")
        ax.set_ylabel("growth rate (1/h)")
        ax.set_title(title)
        ax.legend(loc="lower right")
    return fig


def flux_histogram(fluxes: dict[str, float], title: str) -> Figure:
    """Histogram of non-zero fluxes on a symmetric log scale."""
    values = [v for v in fluxes.values() if abs(v) > 1e-9]
    fig = _figure(6.5, 4.2)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        if values:
            top = max(abs(v) for v in values)
            edges = sorted({*(-(10 ** k) for k in range(-3, int(math.log10(top)) + 2)),
                            *(10 ** k for k in range(-3, int(math.log10(top)) + 2))})
            ax.hist(values, bins=edges, color="#4c78a8", edgecolor="white",
                    gid="flux-histogram")
            ax.set_xscale("symlog", linthresh=1e-3)
        ax.set_xlabel("flux (mmol/gDW/h, symmetric log scale)")
        ax.set_ylabel("reactions")
        ax.set_title(title)
    return fig


#: Central-carbon schematic: metabolite -> (x, y) position and label.
NODES: dict[str, tuple[float, float, str]] = {
    "glc__D_e": (1.5, 15.5, "glucose (ext)"), "g6p_c": (1.5, 14.0, "G6P"),
    "f6p_c": (1.5, 12.4, "F6P"), "fdp_c": (1.5, 10.9, "FBP"), "dhap_c": (-0.6, 10.0, "DHAP"),
    "g3p_c": (1.5, 9.4, "GAP"), "13dpg_c": (1.5, 8.1, "1,3-BPG"), "3pg_c": (1.5, 6.8, "3PG"),
    "2pg_c": (1.5, 5.5, "2PG"), "pep_c": (1.5, 4.2, "PEP"), "pyr_c": (1.5, 2.6, "pyruvate"),
    "6pgl_c": (3.6, 15.0, "6PGL"), "6pgc_c": (5.6, 15.0, "6PG"),
    "ru5p__D_c": (7.6, 15.0, "Ru5P"), "r5p_c": (9.6, 15.8, "R5P"),
    "xu5p__D_c": (9.6, 14.0, "Xu5P"), "s7p_c": (9.6, 12.4, "S7P"), "e4p_c": (6.8, 12.0, "E4P"),
    "accoa_c": (1.5, 1.2, "acetyl-CoA"), "cit_c": (3.9, 1.2, "citrate"),
    "acon_C_c": (4.7, -0.5, "cis-aconitate"), "icit_c": (6.3, -1.2, "isocitrate"),
    "akg_c": (8.2, -0.6, "2-oxoglutarate"), "succoa_c": (9.3, 1.0, "succinyl-CoA"),
    "succ_c": (9.1, 2.8, "succinate"), "fum_c": (7.8, 4.1, "fumarate"),
    "mal__L_c": (6.0, 4.4, "malate"), "oaa_c": (4.3, 3.3, "oxaloacetate"),
    "glx_c": (6.6, 1.5, "glyoxylate"), "lac__D_c": (-0.9, 3.0, "D-lactate"),
    "actp_c": (-0.5, 0.2, "acetyl-P"), "ac_c": (-0.5, -1.3, "acetate"),
    "acald_c": (2.2, -0.9, "acetaldehyde"), "etoh_c": (2.2, -2.2, "ethanol"),
}
#: Reaction -> the (from, to) node pairs drawn for it, in the reaction's forward direction
#: as written in BiGG (the flux sign then picks the arrow direction).
EDGES: dict[str, tuple[tuple[str, str], ...]] = {
    "GLCpts": (("glc__D_e", "g6p_c"),), "GLCptspp": (("glc__D_e", "g6p_c"),),
    "PGI": (("g6p_c", "f6p_c"),),
    "PFK": (("f6p_c", "fdp_c"),), "FBP": (("fdp_c", "f6p_c"),),
    "FBA": (("fdp_c", "g3p_c"), ("fdp_c", "dhap_c")), "TPI": (("dhap_c", "g3p_c"),),
    "GAPD": (("g3p_c", "13dpg_c"),), "PGK": (("3pg_c", "13dpg_c"),),
    "PGM": (("2pg_c", "3pg_c"),), "ENO": (("2pg_c", "pep_c"),), "PYK": (("pep_c", "pyr_c"),),
    "PPS": (("pyr_c", "pep_c"),), "G6PDH2r": (("g6p_c", "6pgl_c"),),
    "PGL": (("6pgl_c", "6pgc_c"),), "GND": (("6pgc_c", "ru5p__D_c"),),
    "RPI": (("r5p_c", "ru5p__D_c"),), "RPE": (("ru5p__D_c", "xu5p__D_c"),),
    "TKT1": (("r5p_c", "s7p_c"),), "TALA": (("s7p_c", "e4p_c"),),
    "TKT2": (("e4p_c", "f6p_c"),), "PDH": (("pyr_c", "accoa_c"),),
    "PFL": (("pyr_c", "accoa_c"),), "CS": (("accoa_c", "cit_c"), ("oaa_c", "cit_c")),
    "ACONTa": (("cit_c", "acon_C_c"),), "ACONTb": (("acon_C_c", "icit_c"),),
    "ICDHyr": (("icit_c", "akg_c"),), "AKGDH": (("akg_c", "succoa_c"),),
    "SUCOAS": (("succ_c", "succoa_c"),), "SUCDi": (("succ_c", "fum_c"),),
    "FRD7": (("fum_c", "succ_c"),), "FRD2": (("fum_c", "succ_c"),),
    "FRD3": (("fum_c", "succ_c"),), "FUM": (("fum_c", "mal__L_c"),),
    "MDH": (("mal__L_c", "oaa_c"),), "ICL": (("icit_c", "glx_c"),),
    "MALS": (("glx_c", "mal__L_c"),), "PPC": (("pep_c", "oaa_c"),),
    "PPCK": (("oaa_c", "pep_c"),), "ME1": (("mal__L_c", "pyr_c"),),
    "ME2": (("mal__L_c", "pyr_c"),), "LDH_D": (("lac__D_c", "pyr_c"),),
    "PTAr": (("accoa_c", "actp_c"),), "ACKr": (("ac_c", "actp_c"),),
    "ACALD": (("acald_c", "accoa_c"),), "ALCD2x": (("etoh_c", "acald_c"),),
}
#: Pairs drawn twice (two reactions between the same nodes) are bent apart.
_BEND = {"FBP": 0.35, "PPS": 0.35, "PPCK": 0.35, "PFL": -0.3, "ME2": 0.3, "FRD7": 0.35,
         "FRD2": 0.35, "FRD3": -0.35}


def central_figure(fluxes: dict[str, float], present: set[str], title: str,
                   subtitle: str) -> Figure:
    """Arrows between central-carbon metabolites; width and label show the flux."""
    drawn = {r: e for r, e in EDGES.items() if r in present}
    top = max([abs(fluxes.get(r, 0.0)) for r in drawn] + [1e-9])
    fig = _figure(9.0, 10.5)
    with matplotlib.rc_context(_RC):
        ax = fig.add_subplot()
        ax.set_xlim(-1.9, 11.2)
        ax.set_ylim(-2.8, 16.4)
        ax.axis("off")
        ax.set_title(f"{title}\n{subtitle}", fontsize=9)
        for rid, pairs in drawn.items():
            v = fluxes.get(rid, 0.0)
            active = abs(v) > 1e-6
            width = 0.6 + 6.0 * abs(v) / top if active else 0.6
            color = "#2f4b7c" if active else "#bbbbbb"
            for k, (a, b) in enumerate(pairs):
                src, dst = (a, b) if v >= 0 else (b, a)
                (x0, y0, _), (x1, y1, _) = NODES[src], NODES[dst]
                arrow = FancyArrowPatch(
                    (x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=8 + width,
                    lw=width, color=color, ls="-" if active else "--", shrinkA=14,
                    shrinkB=14, connectionstyle=f"arc3,rad={_BEND.get(rid, 0.0)}",
                    gid=f"rxn-{rid}-{k}")
                ax.add_patch(arrow)
                if k == 0:  # label beside the middle of the arrow, on its left side
                    (ax0, ay0, _), (ax1, ay1, _) = NODES[a], NODES[b]
                    dx, dy = ax1 - ax0, ay1 - ay0
                    norm = math.hypot(dx, dy) or 1.0
                    nx, ny = dy / norm, -dx / norm
                    bend = _BEND.get(rid, 0.0)
                    off = 0.28 + abs(bend) * norm * 0.5
                    sign = -1.0 if bend < 0 else 1.0
                    mx = (ax0 + ax1) / 2 + sign * nx * off
                    my = (ay0 + ay1) / 2 + sign * ny * off
                    ax.text(mx, my, f"{rid} {fmt(v, 3)}" if active else rid,
                            fontsize=6.5, color="#b22222" if active else "#999999",
                            ha="center" if abs(nx) < 0.3 else ("left" if nx * sign > 0
                                                               else "right"),
                            va="center", gid=f"label-{rid}")
        for mid, (x, y, label) in NODES.items():
            ax.text(x, y, label, ha="center", va="center", fontsize=7.5,
                    bbox={"boxstyle": "round,pad=0.25", "fc": "#f2f2f2", "ec": "#888888",
                          "lw": 0.6}, gid=f"met-{mid}")
    return fig


# --------------------------------------------------------------------------- the tool
class PlotArgs(AnalysisArgs):
    kind: Kind = Field(description="fva (ranges), envelope (production envelope), "
                       "essentiality (growth per gene knockout), flux_distribution "
                       "(histogram), central_metabolism (fluxes on a central-carbon map).")
    reactions: list[str] | None = Field(default=None, description="fva: reactions to show "
                                        "(default: the 40 with the largest FBA flux).")
    fraction_of_optimum: float = Field(default=1.0, gt=0, le=1, description="fva: fraction "
                                       "of the optimum.")
    product: str | None = Field(default=None, description="envelope: product exchange or "
                                "name (e.g. succinate).")
    points: int = Field(default=20, ge=2, le=200, description="envelope: grid points.")
    genes: list[str] | None = Field(default=None, description="essentiality: genes to knock "
                                    "out (default: all).")
    method: Literal["pfba", "fba"] = Field(default="pfba", description="flux_distribution, "
                                           "central_metabolism: which flux solution.")
    png: bool = Field(default=True, description="Also write a PNG.")


def _call(name: str, raw: dict[str, Any], ctx: ToolContext) -> ToolResult:
    """Run an analysis tool through the registry; its error becomes this tool's error."""
    out = REGISTRY.execute(name, raw, ctx)
    if isinstance(out, ToolError):
        raise ToolFailure(out.kind, f"{name}: {out.message}", out.hint)
    return out


def _base_args(args: PlotArgs) -> dict[str, Any]:
    raw: dict[str, Any] = {"model": args.model}
    if args.conditions is not None:
        raw["conditions"] = args.conditions.model_dump(exclude_defaults=True)
    return raw


def _fluxes(args: PlotArgs, ctx: ToolContext) -> ToolResult:
    return _call("run_pfba" if args.method == "pfba" else "run_fba", _base_args(args), ctx)


def _model_label(result: ToolResult) -> str:
    return str(result.provenance.model_id or "model")


def _store(ctx: ToolContext, name: str, content: bytes, media: str) -> ArtifactRef | None:
    if ctx.artifacts is not None:
        return ctx.artifacts.put(name, content, media)
    return None


@REGISTRY.tool("plot", "Draw an analysis as SVG (and PNG): FVA ranges, production envelope, "
               "gene essentiality, flux distribution, or central-metabolism fluxes.", PlotArgs,
               long_running=True)
def plot(args: PlotArgs, ctx: ToolContext) -> ToolResult:
    base = _base_args(args)
    extra: dict[str, Any] = {}
    if args.kind == "fva":
        reactions = args.reactions
        fba = _call("run_fba", base, ctx)
        if reactions is None:
            nz = fba.data["fluxes"]
            ex = set(fba.data["exchanges"])
            reactions = sorted((r for r in nz if r not in ex),
                               key=lambda r: (-abs(nz[r]), r))[:FVA_DEFAULT_REACTIONS]
            if not reactions:
                raise ToolFailure("infeasible", "no reaction carries flux under these "
                                  "conditions, so there are no ranges to draw",
                                  hint=fba.summary[:300])
        source = _call("run_fva", base | {"reactions": reactions,
                                          "fraction_of_optimum": args.fraction_of_optimum},
                       ctx)
        title = (f"FVA of {_model_label(source)} at {args.fraction_of_optimum:.0%} of the "
                 f"optimum ({fmt(source.data['objective_value'])})")
        fig = fva_figure(source.data["ranges"], title, fba.data["fluxes"])
        what = f"FVA ranges of {len(source.data['ranges'])} reactions"
    elif args.kind == "envelope":
        if not args.product:
            raise ToolFailure("bad_arguments", "kind=envelope needs a product",
                              hint="e.g. product='succinate' or 'EX_ac_e'")
        source = _call("production_envelope", base | {"product": args.product,
                                                      "points": args.points}, ctx)
        d = source.data
        title = f"Production envelope of {d['product']} in {_model_label(source)}"
        fig = envelope_figure(d["points"], f"{d['reaction']} flux (1/h for growth)",
                              f"{d['product']} flux (mmol/gDW/h)", title)
        what = f"production envelope of {d['product']} ({len(d['points'])} points)"
        extra = {"product": d["product"], "maximum": d["maximum"]}
    elif args.kind == "essentiality":
        raw = base | ({"genes": args.genes} if args.genes else {})
        source = _call("gene_deletion_screen", raw, ctx)
        d = source.data
        lethal = sum(1 for r in d["results"] if r["effect"] == "lethal")
        title = (f"Single-gene knockouts of {_model_label(source)}: {lethal} of "
                 f"{len(d['results'])} lethal")
        fig = essentiality_figure(d["results"], d["wild_type_growth"], d["threshold"], title)
        what = f"growth of {len(d['results'])} gene knockouts ({lethal} lethal)"
        extra = {"lethal": lethal}
    elif args.kind == "flux_distribution":
        source = _fluxes(args, ctx)
        fl = source.data["fluxes"]
        title = (f"{args.method.upper()} flux distribution of {_model_label(source)}: "
                 f"{len(fl)} non-zero fluxes")
        fig = flux_histogram(fl, title)
        what = f"histogram of {len(fl)} non-zero {args.method.upper()} fluxes"
    else:
        source = _fluxes(args, ctx)
        fl = source.data["fluxes"]
        model = ctx.model(args.model)
        present = {r for r in EDGES if r in model.reactions}
        if not present:
            raise ToolFailure("bad_arguments", f"{_model_label(source)} has none of the "
                              "central-carbon reactions of the map (BiGG ids such as PGI, PFK,"
                              " CS)", hint="use kind='flux_distribution' or 'fva' instead")
        growth = source.data.get("growth_rate")
        title = (f"Central carbon fluxes of {_model_label(source)} ({args.method.upper()}, "
                 f"mmol/gDW/h)" + (f", growth {fmt(growth)} 1/h" if growth is not None
                                   else ""))
        fig = central_figure(fl, present, title, conditions_text(source.data["conditions"]))
        active = sorted(r for r in present if abs(fl.get(r, 0.0)) > 1e-6)
        what = (f"central-metabolism map with {len(present)} reactions, {len(active)} "
                "carrying flux")
        extra = {"reactions_drawn": sorted(present), "active": active,
                 "fluxes": {r: fl.get(r, 0.0) for r in sorted(present)}}
    svg = render(fig, "svg")
    stem = f"plot_{args.kind}_{_model_label(source)}"
    refs = [r for r in (_store(ctx, f"{stem}.svg", svg, "image/svg+xml"),
                        _store(ctx, f"{stem}.png", render(fig, "png"), "image/png")
                        if args.png else None) if r is not None]
    where = refs[0].path if refs else "no artifact store configured"
    summary = (f"Plot ({args.kind}): {what}; {source.summary[:400]} SVG: {where}.")
    data = {"kind": args.kind, "artifact": refs[0].path if refs else None,
            "artifacts": [r.path for r in refs], "source_tool": source.tool,
            "svg_bytes": len(svg)} | extra
    if not refs:
        data["svg"] = svg.decode()
    prov = source.provenance.model_copy(update={"parameters": {
        **source.provenance.parameters, "plot": args.model_dump(
            exclude_none=True, exclude={"model", "conditions"})}})
    return ToolResult(tool="plot", summary=summary, data=data, artifacts=refs, provenance=prov)
