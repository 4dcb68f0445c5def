"""ModelSEED biochemistry: fluxagent's SQLite/FTS5 index against modelseedpy's own loader, side
by side in one run, plus draft building and gapfilling times.

- index build: building the index once from the shipped tables (what the first use pays).
- cold start: a fresh process opens the built index and answers lookup_compound("glucose");
  timed from before the import of the index module (goal: under 1 s).
- lookup latency (p50, p95): the same query mix (ids, KEGG/BiGG aliases, names, EC numbers,
  formulas) on both. modelseedpy has no search: names and ECs are a scan of its dicts, aliases
  ``get_mapping_external_to_seed`` as its README recipe uses them (goal: p50 under 10 ms).
- memory: RSS growth and tracemalloc peak of a process that loads each side and runs the mix
  (latencies are timed after tracemalloc is stopped: it slows every allocation).
  modelseedpy loads the full 21-column tables of ../shared (the compact ones fluxagent ships
  lack columns its loader needs) with the README's workaround for the 2024 table format.
- draft build (Core-V6, example genome) and Core-V6 gapfill of the draft with its three
  essential reactions removed, through the tools; with ``--genome-scale`` (or
  FLUXAGENT_BENCH_GENOME_SCALE=1) also the universal-template gapfill of the example
  genome-scale draft (minutes).

Run alone: ``.venv/bin/python bench/bench_biochem.py [--genome-scale]`` (or
``bench/run.py biochem``). Each side runs in its own subprocess so memory numbers are clean.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "modelseed"
COMPOUND_QUERIES = ["cpd00027", "cpd00020", "C00031", "C00022", "glc__D", "pyr", "glucose",
                    "pyruvate", "L-glutamate", "acetyl-CoA", "ATP", "D-fructose"]
REACTION_QUERIES = ["rxn00558", "rxn00256", "R00771", "5.3.1.9", "2.3.3.1", "4.1.1.49",
                    "citrate synthase"]
REPS = 5


def _rss_kb() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


# ----------------------------------------------------------------------------- children
def child_fluxagent(data_dir: str) -> dict[str, Any]:
    """Cold start, latency and memory of the fluxagent index (the index is already built)."""
    import tracemalloc
    t0 = time.perf_counter()
    rss0 = _rss_kb()
    tracemalloc.start()
    from fluxagent.config import Settings
    from fluxagent.tools.modelseed.index import get_index
    t_import = time.perf_counter()
    idx = get_index(Settings(data_dir=Path(data_dir)))
    t_open = time.perf_counter()
    first = idx.search("compound", "glucose")
    t_first = time.perf_counter()
    assert first[0][0].id == "cpd00027"
    for q in COMPOUND_QUERIES:  # one pass under tracemalloc for the memory peak
        idx.search("compound", q)
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()  # it slows every allocation: time the lookups without it
    lat: dict[str, list[float]] = {"compound": [], "reaction": []}
    for _ in range(REPS):
        for kind, queries in (("compound", COMPOUND_QUERIES), ("reaction", REACTION_QUERIES)):
            for q in queries:
                t = time.perf_counter()
                hits = idx.search(kind, q)  # type: ignore[arg-type]
                lat[kind].append(time.perf_counter() - t)
                assert hits, q
    return {"import_s": t_import - t0, "open_s": t_open - t_import,
            "first_lookup_s": t_first - t_open, "cold_total_s": t_first - t0,
            "lat_compound": lat["compound"], "lat_reaction": lat["reaction"],
            "rss_delta_mb": (_rss_kb() - rss0) / 1024, "tracemalloc_peak_mb": peak / 2**20}


def child_modelseedpy(shared: str) -> dict[str, Any]:
    """modelseedpy's from_local on the same tables (README workaround), then the query mix."""
    import contextlib
    import gzip
    import shutil
    import tracemalloc
    import warnings
    with contextlib.redirect_stdout(sys.stderr), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pandas as pd
        from modelseedpy.biochem.modelseed_biochem import from_local
    rss_import = _rss_kb()
    tracemalloc.start()
    t0 = time.perf_counter()
    base = Path(shared) / "biochemistry" / "Biochemistry"
    tmp = tempfile.mkdtemp(prefix="msbench-")
    rels = ["compounds.tsv", "Structures/Unique_ModelSEED_Structures.txt"] + [
        f"Aliases/Unique_ModelSEED_{x}.txt" for x in
        ("Compound_Aliases", "Compound_Names", "Reaction_Aliases", "Reaction_Names",
         "Reaction_ECs")]
    for rel in rels:
        os.makedirs(os.path.dirname(f"{tmp}/Biochemistry/{rel}"), exist_ok=True)
        with gzip.open(base / f"{rel}.gz", "rb") as src, \
                open(f"{tmp}/Biochemistry/{rel}", "wb") as dst:
            shutil.copyfileobj(src, dst)
    rx = pd.read_csv(base / "reactions.tsv.gz", sep="\t", dtype=str, keep_default_na=False)
    rx.insert(rx.columns.get_loc("reversibility") + 1, "direction", rx["reversibility"])
    rx.to_csv(f"{tmp}/Biochemistry/reactions.tsv", sep="\t", index=False)
    del rx
    t_unpack = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):
        biochem = from_local(tmp)
    t_load = time.perf_counter()
    shutil.rmtree(tmp, ignore_errors=True)

    def compound(q: str) -> Any:
        if q in biochem.compounds:
            return biochem.get_seed_compound(q)
        for db in ("KEGG", "BiGG"):
            hit = biochem.get_mapping_external_to_seed(db).get(q)
            if hit:
                return hit
        low = q.lower()  # no name index: scan the names
        return [k for k, v in biochem.compounds.items() if str(v.get("name", "")).lower() == low]

    rxn_kegg = {a: k for k, v in biochem.reaction_aliases.items()
                for a in v.get("KEGG", [])} if isinstance(biochem.reaction_aliases, dict) else {}

    def reaction(q: str) -> Any:
        if q in biochem.reactions:
            return biochem.get_seed_reaction(q)
        if q in rxn_kegg:
            return rxn_kegg[q]
        hits = [k for k, v in biochem.reactions.items()
                if q in str(v.get("ec_numbers", "")).split("|")]
        if hits:
            return hits
        low = q.lower()
        return [k for k, v in biochem.reactions.items() if str(v.get("name", "")).lower() == low]

    first = time.perf_counter()
    compound("glucose")
    t_first = time.perf_counter()
    _cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    lat: dict[str, list[float]] = {"compound": [], "reaction": []}
    for _ in range(REPS):
        for q in COMPOUND_QUERIES:
            t = time.perf_counter()
            compound(q)
            lat["compound"].append(time.perf_counter() - t)
        for q in REACTION_QUERIES:
            t = time.perf_counter()
            reaction(q)
            lat["reaction"].append(time.perf_counter() - t)
    return {"unpack_s": t_unpack - t0, "load_s": t_load - t_unpack,
            "first_lookup_s": t_first - first, "cold_total_s": t_first - t0,
            "lat_compound": lat["compound"], "lat_reaction": lat["reaction"],
            "rss_delta_mb": (_rss_kb() - rss_import) / 1024,
            "tracemalloc_peak_mb": peak / 2**20}


def child_build_index(data_dir: str) -> dict[str, Any]:
    import resource

    from fluxagent.config import Settings
    from fluxagent.tools.modelseed.index import get_index, index_path
    t = time.perf_counter()
    get_index(Settings(data_dir=Path(data_dir)))
    path = index_path(Settings(data_dir=Path(data_dir)))
    return {"build_s": time.perf_counter() - t, "size_mb": path.stat().st_size / 2**20,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_tools(data_dir: str, genome_scale: bool) -> dict[str, Any]:
    """Draft build and gapfill times through the registered tools."""
    import cobra

    from fluxagent.config import Settings
    from fluxagent.core.state import ModelState, SessionState
    from fluxagent.tools import load_all
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.modelseed._common import modelseedpy, save_model
    from fluxagent.tools.registry import ToolContext
    reg = load_all()
    s = Settings(data_dir=Path(data_dir))
    store = ModelStore(s)

    def ctx(name: str | None = None, base: str | None = None) -> ToolContext:
        models = {name: ModelState(base=base)} if name and base else {}
        return ToolContext(session_id="bench", settings=s, models=store,
                           state=SessionState(session_id="bench", current_model=name,
                                              models=models))
    t = time.perf_counter()
    modelseedpy()
    out: dict[str, Any] = {"modelseedpy_import_s": time.perf_counter() - t,
                           "build_s": [], "gapfill_core_s": []}
    genome = str(SHARED / "examples" / "example_ecoli_genome.json")
    path = ""
    for _ in range(3):
        t = time.perf_counter()
        res = reg.execute("build_model_from_genome", {"genome": genome}, ctx())
        out["build_s"].append(time.perf_counter() - t)
        assert res.ok, res
        path = res.data["path"]  # type: ignore[union-attr]
    model = cobra.io.load_json_model(path)
    model.remove_reactions(["rxn00199_c0", "rxn00256_c0", "rxn00777_c0"])
    base, _, _ = save_model(model, s)
    for _ in range(3):
        t = time.perf_counter()
        res = reg.execute("modelseed_gapfill", {"integrate": False}, ctx("damaged", base))
        out["gapfill_core_s"].append(time.perf_counter() - t)
        assert res.ok and res.data["growth_after"] > 1.2, res  # type: ignore[union-attr]
    if genome_scale:
        gbase, _m, _w = store.import_file(SHARED / "examples" /
                                          "example_ecoli_modelseed_model.json")
        t = time.perf_counter()
        res = reg.execute("modelseed_gapfill", {"template": "universal", "integrate": False},
                          ctx("ecoli", gbase))
        out["gapfill_genome_scale_s"] = time.perf_counter() - t
        assert res.ok, res
        out["gapfill_genome_scale_growth"] = res.data["growth_after"]  # type: ignore[union-attr]
        out["gapfill_genome_scale_added"] = [a["id"] for a in res.data["added"]]  # type: ignore[union-attr]
    return out


def _child(func: str, *args: Any) -> dict[str, Any]:
    code = (f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            f"import bench_biochem as b; "
            f"print(json.dumps(b.{func}(*{list(args)!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=7200)
    if proc.returncode != 0:
        raise RuntimeError(f"{func} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------- the benchmark
def _metric(name: str, unit: str, values: list[float] | float, scale: float = 1.0,
            **extra: Any) -> dict[str, Any]:
    vals = [v * scale for v in (values if isinstance(values, list) else [values])]
    return {"metric": name, "unit": unit, "median": round(statistics.median(vals), 4),
            "p95": round(_pct(vals, 0.95), 4), "n": len(vals), **extra}


def run(genome_scale: bool | None = None) -> dict[str, Any]:
    if genome_scale is None:
        genome_scale = os.environ.get("FLUXAGENT_BENCH_GENOME_SCALE", "") == "1"
    data_dir = tempfile.mkdtemp(prefix="fluxagent-bench-biochem-")
    try:
        build = _child("child_build_index", data_dir)
        fa = _child("child_fluxagent", data_dir)
        ms = _child("child_modelseedpy", str(SHARED))
        tools = _child("child_tools", data_dir, genome_scale)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)  # the index alone is 141 MB
    fa_all = fa["lat_compound"] + fa["lat_reaction"]
    ms_all = ms["lat_compound"] + ms["lat_reaction"]
    metrics = [
        _metric("index build (once, from the shipped tables)", "s", build["build_s"]),
        _metric("fluxagent cold start: open index + first lookup", "s",
                fa["open_s"] + fa["first_lookup_s"]),
        _metric("fluxagent package import (config, registry, index module)", "s",
                fa["import_s"]),
        _metric("fluxagent cold start incl. package import", "s", fa["cold_total_s"]),
        _metric("modelseedpy cold start: unpack + from_local + first lookup", "s",
                ms["cold_total_s"], ratio_to="fluxagent cold start incl. package import",
                ratio=round(ms["cold_total_s"] / fa["cold_total_s"], 1)),
        _metric("fluxagent lookup latency (mix)", "ms", fa_all, 1e3),
        _metric("fluxagent compound lookup", "ms", fa["lat_compound"], 1e3),
        _metric("fluxagent reaction lookup", "ms", fa["lat_reaction"], 1e3),
        _metric("modelseedpy lookup latency (same mix)", "ms", ms_all, 1e3,
                ratio=round(statistics.median(ms_all) / statistics.median(fa_all), 1),
                ratio_to="fluxagent lookup latency (mix)"),
        _metric("fluxagent memory: RSS growth", "MB", fa["rss_delta_mb"]),
        _metric("fluxagent memory: tracemalloc peak", "MB", fa["tracemalloc_peak_mb"]),
        _metric("modelseedpy memory: RSS growth", "MB", ms["rss_delta_mb"],
                ratio=round(ms["rss_delta_mb"] / max(fa["rss_delta_mb"], 0.1), 1),
                ratio_to="fluxagent memory: RSS growth"),
        _metric("modelseedpy memory: tracemalloc peak", "MB", ms["tracemalloc_peak_mb"]),
        _metric("modelseedpy import (build/gapfill tools)", "s", tools["modelseedpy_import_s"]),
        _metric("draft build, Core-V6, example genome (tool)", "s", tools["build_s"]),
        _metric("gapfill, Core-V6, draft minus 3 reactions (tool)", "s",
                tools["gapfill_core_s"]),
    ]
    if "gapfill_genome_scale_s" in tools:
        metrics.append(_metric("gapfill, universal template, genome-scale draft (tool)", "s",
                               tools["gapfill_genome_scale_s"]))
    notes = (f"index file {build['size_mb']:.0f} MB, build peak RSS {build['max_rss_mb']:.0f} MB;"
             f" modelseedpy unpack {ms['unpack_s']:.1f} s + load {ms['load_s']:.1f} s.")
    if "gapfill_genome_scale_s" in tools:
        notes += (f" Genome-scale gapfill: bio1 {tools['gapfill_genome_scale_growth']:.4g} 1/h, "
                  f"added {', '.join(tools['gapfill_genome_scale_added'])}.")
    return {"metrics": metrics, "notes": notes,
            "environment": {"cpus": os.cpu_count(), "python": sys.version.split()[0],
                            "loadavg_1m": round(os.getloadavg()[0], 2),
                            "genome_scale": genome_scale}}


def main() -> None:
    genome_scale = "--genome-scale" in sys.argv[1:]
    result = run(genome_scale or None)
    for m in result["metrics"]:
        ratio = f"  ({m['ratio']}x {m['ratio_to']})" if "ratio" in m else ""
        print(f"{m['metric']:<62} median {m['median']:>10.4g} {m['unit']:<3} "
              f"p95 {m['p95']:>10.4g}  n={m['n']}{ratio}")
    print(result["notes"])
    print(json.dumps(result["environment"]))


if __name__ == "__main__":
    main()
