"""ModelSEED templates: the shipped core templates by name, user template files, and a
"universal" genome-scale gapfilling template built from the whole shipped biochemistry.

The genome-scale Gram-negative/-positive templates are not shipped (too large to obtain);
users pass them as files. For gapfilling a genome-scale draft without one, ``universal`` turns
every non-obsolete, mass-balanced reaction of the biochemistry that lives in the cytosol and
the extracellular space (27,9xx reactions) into a gapfilling template, as the data README's
verified recipe does.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from fluxagent.paths import PathPolicy
from fluxagent.tools.modelseed._common import BIOCHEM, TEMPLATES, close_names, modelseedpy
from fluxagent.tools.results import ToolFailure

#: Shipped core templates: name -> (file, description).
CORE: dict[str, tuple[str, str]] = {
    "Core-V6": ("Core-V6.json", "ModelSEED core template v7.0 (Dec 2025), 252 reactions"),
    "Core-V5.2": ("Core-V5.2.json", "ModelSEED core template v6.0 (Jun 2025)"),
    "CoreModelTemplateV5": ("CoreModelTemplateV5.json",
                            "ModelSEED core template v5.0 (Sep 2023), 248 reactions"),
}
UNIVERSAL = "universal"
_ALIASES = {"core": "Core-V6", "corev6": "Core-V6", "v6": "Core-V6", "corev52": "Core-V5.2",
            "v52": "Core-V5.2", "corev5": "CoreModelTemplateV5", "v5": "CoreModelTemplateV5",
            "coremodeltemplatev5": "CoreModelTemplateV5", "universal": UNIVERSAL,
            "biochemistry": UNIVERSAL, "genomescale": UNIVERSAL}
_CMP = {"0": "c", "1": "e"}


def canonical(name: str) -> str | None:
    """Canonical template name for a shipped template or 'universal', else None."""
    if name in CORE or name == UNIVERSAL:
        return name
    return _ALIASES.get(re.sub(r"[\W_]+", "", name.lower()))


def names() -> list[str]:
    return [*CORE, UNIVERSAL]


def resolve(spec: str, paths: PathPolicy | None = None) -> tuple[str, Path | None]:
    """(label, file) of a template spec; file None for 'universal'. Unknown -> unknown_id.

    A file is resolved by the path policy (``paths``): outside the allowed roots it is a
    PathError, which the registry reports as bad_arguments."""
    canon = canonical(spec)
    if canon == UNIVERSAL:
        return UNIVERSAL, None
    if canon is not None:
        return canon, TEMPLATES / CORE[canon][0]
    path = Path(spec).expanduser()
    if path.suffix in (".json", ".gz") or "/" in spec:
        if paths is not None:
            path = paths.resolve(spec, "template file")
        if not path.is_file():
            raise ToolFailure("bad_arguments", f"template file not found: {spec}",
                              hint="give a ModelSEED template JSON file, or one of "
                              + ", ".join(names()))
        return path.name, path
    raise ToolFailure("unknown_id", f"no template named {spec!r}",
                      hint="shipped templates: " + ", ".join(names())
                      + (f" (closest: {', '.join(close_names(spec, names(), 3))})"
                         if close_names(spec, names(), 3) else "")
                      + "; or the path of a genome-scale template JSON file")


def load(spec: str, paths: PathPolicy | None = None,
         max_bytes: int | None = None) -> tuple[str, Any]:
    """(label, MSTemplate) for a template spec; built templates are cached per process."""
    label, path = resolve(spec, paths)
    if path is None:
        return label, universal_template()
    st = path.stat()
    if max_bytes is not None and st.st_size > max_bytes:
        raise ToolFailure("bad_arguments", f"template file {path.name} is larger than "
                          f"{max_bytes / 1e6:.0f} MB", hint="raise FLUXAGENT_MAX_MODEL_BYTES "
                          "if this file is trusted")
    return label, _load_file(str(path.resolve()), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=6)
def _load_file(path: str, size: int, mtime_ns: int) -> Any:
    del size, mtime_ns  # cache keys: a changed file is loaded again
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise ToolFailure("bad_arguments", f"template {Path(path).name} is not JSON: {exc}",
                          hint="a ModelSEED template is a JSON object with reactions, "
                          "compounds, compcompounds, roles and complexes") from None
    if not isinstance(data, dict) or not data.get("reactions") or "compcompounds" not in data:
        raise ToolFailure("bad_arguments", f"{Path(path).name} is not a ModelSEED template",
                          hint="expected keys: reactions, compounds, compcompounds, roles, "
                          "complexes (ModelSEEDTemplates format)")
    return _build(data)


def _build(data: dict[str, Any]) -> Any:
    msp = modelseedpy()
    builder = msp.core.mstemplate.MSTemplateBuilder.from_dict(data)
    return builder.build()


def has_biomass(template: Any) -> bool:
    return len(getattr(template, "biomasses", [])) > 0


@lru_cache(maxsize=1)
def universal_template() -> Any:
    """Every balanced, non-obsolete cytosol/extracellular reaction as a gapfilling template."""
    return _build(universal_dict())


def universal_dict() -> dict[str, Any]:
    csv.field_size_limit(1 << 30)
    cpds: dict[str, dict[str, str]] = {}
    with gzip.open(BIOCHEM / "compounds_compact.tsv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            cpds[row["id"]] = row
    tpl: dict[str, Any] = {
        "id": "universal", "name": "universal", "type": "GenomeScale", "domain": "Bacteria",
        "biochemistry_ref": "", "__VERSION__": 1, "biomasses": [], "pathways": [],
        "subsystems": [], "roles": [], "complexes": [], "compounds": [], "compcompounds": [],
        "reactions": [],
        "compartments": [{"id": k, "name": k, "aliases": [], "hierarchy": h, "pH": 7}
                         for k, h in (("c", 3), ("e", 0))]}
    used: set[tuple[str, str]] = set()
    with gzip.open(BIOCHEM / "reactions_compact.tsv.gz", "rt", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r["is_obsolete"] != "0" or r["status"] != "OK":
                continue
            st = net_stoichiometry(parse_equation(r["equation"]))
            if not st or any(ci not in _CMP or c not in cpds for _, c, ci in st):
                continue  # no net change (rxn60730: ATP + ADP <=> ATP + ADP), or other cmpts
            used |= {(c, _CMP[ci]) for _, c, ci in st}
            d = r["reversibility"] if r["reversibility"] in ("<", ">", "=") else "="
            tpl["reactions"].append({
                "id": r["id"] + "_c", "name": r["name"], "direction": d,
                "GapfillDirection": d, "type": "gapfilling", "base_cost": 1,
                "forward_penalty": 0, "reverse_penalty": 0, "maxforflux": 1000,
                "maxrevflux": 1000, "lower_bound": -1000 if d in "=<" else 0,
                "upper_bound": 1000 if d in "=>" else 0,
                "reaction_ref": "kbase/default/reactions/id/" + r["id"],
                "templatecompartment_ref": "~/compartments/id/c", "templatecomplex_refs": [],
                "templateReactionReagents": [
                    {"coefficient": k, "templatecompcompound_ref":
                     f"~/compcompounds/id/{c}_{_CMP[ci]}"} for k, c, ci in st]})
    for c in sorted({c for c, _ in used}):
        row = cpds[c]
        tpl["compounds"].append({
            "id": c, "name": row["name"], "abbreviation": row["abbreviation"],
            "formula": row["formula"], "defaultCharge": _charge(row), "mass": 0,
            "deltaG": 1e7, "deltaGErr": 1e7, "isCofactor": 0, "aliases": []})
    for c, k in sorted(used):
        tpl["compcompounds"].append({
            "id": f"{c}_{k}", "charge": _charge(cpds[c]), "maxuptake": 0,
            "templatecompartment_ref": f"~/compartments/id/{k}",
            "templatecompound_ref": f"~/compounds/id/{c}"})
    return tpl


_SIDE = re.compile(r"\((\d+(?:\.\d+)?(?:e[+-]?\d+)?)\)\s+(cpd\d{5})\[(\d+)\]")


def parse_equation(equation: str) -> list[tuple[float, str, str]]:
    """'(1) cpd00001[0] + (2) cpd00067[1] <=> ...' -> [(-1, cpd00001, '0'), ...]."""
    parts = re.split(r"\s(<=>|=>|<=|\?)\s", equation)
    if len(parts) != 3:
        return []
    out = []
    for side, sign in ((parts[0], -1.0), (parts[2], 1.0)):
        for k, c, ci in _SIDE.findall(side):
            out.append((sign * float(k), c, ci))
    return out


def net_stoichiometry(st: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Merge a compound that appears on both sides. modelseedpy's template reactions keep
    one coefficient per compound (the last), so 'ATP + ADP <=> ATP + ADP' would become
    '-> ATP + ADP': free ATP and phosphate for the gapfiller."""
    net: dict[tuple[str, str], float] = {}
    for k, c, ci in st:
        net[(c, ci)] = net.get((c, ci), 0.0) + k
    return [(k, c, ci) for (c, ci), k in net.items() if abs(k) > 1e-12]


def _charge(row: dict[str, str]) -> int:
    try:
        return int(float(row.get("charge") or 0))
    except ValueError:
        return 0
