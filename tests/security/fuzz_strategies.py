"""Hypothesis strategies for tool arguments, derived from each tool's own JSON Schema.

Every field gets a mix of valid-shaped values (the schema's type, ids and names from
e_coli_core, small numbers) and hostile ones (wrong types, NaN/±Infinity, huge strings and
lists, odd Unicode, terminal escapes, Rich markup such as ``[/x]``, path strings that try to
leave the data dir).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

INF, NAN = float("inf"), float("nan")
HUGE_TEXT = "x" * 200_001  # over FLUXAGENT_MAX_ARG_CHARS
HUGE_LIST = ["b4025"] * 20_001  # over FLUXAGENT_MAX_ARG_ITEMS

HOSTILE_CONSTANTS: list[Any] = [
    INF, -INF, NAN, 1e308, -1e308, 10**30, -(10**30), 2**63, -1, 0, 1, True, False, None, "",
    " ", "[/x]", "[bold red]x[/]", "[link=javascript:alert(1)]x[/link]", "\x1b[2J",
    "\x1b]52;c;ZXZpbA==\x07", "<script>alert(1)</script>", "../../etc/passwd", "/etc/passwd",
    "/proc/self/environ", "file:../../x.xml", "file:/etc/passwd", "~/.ssh/id_rsa", "NaN",
    "Infinity", "-Infinity", "1e999", "\u202egnp.exe", "\ud800", "a\x00b", "ﬁ", "Ǆ", "𝔘",
    "%s%n", "{0}", "'; DROP TABLE events; --", HUGE_TEXT, HUGE_LIST, [], {}, [[[]]],
    {"": 1}, {"a": INF}, [NAN, INF], {"x": {"y": {"z": []}}},
]

#: Valid-looking strings per argument name (ids and names of e_coli_core, tool vocabulary).
POOLS: dict[str, list[str]] = {
    "model": ["e_coli_core", "textbook", "ecoli_core", "core"],
    "reaction": ["PGI", "EX_glc__D_e", "BIOMASS_Ecoli_core_w_GAM", "pgi", "ATPM", "FRD7"],
    "reactions": ["PGI", "PFK", "EX_o2_e", "ACKr", "CS"],
    "reactions2": ["PGI", "PFK", "TPI"],
    "genes": ["b4025", "pgi", "b3916", "pfkA", "b0008"],
    "genes2": ["b4025", "b1723"],
    "product": ["succinate", "EX_ac_e", "ethanol", "EX_succ_e"],
    "objective": ["BIOMASS_Ecoli_core_w_GAM", "EX_ac_e"],
    "carbon_source": ["succinate", "EX_glc__D_e", "acetate", "glucose", "co2"],
    "source": ["glc__D_c", "glucose", "bigg", "modelseed", "pyr_c"],
    "target": ["pyr_c", "succ_c", "bigg", "modelseed", "bio1"],
    "query": ["glucose", "glc", "cpd00027", "rxn00148", "ATP"],
    "ids": ["cpd00027", "glc__D", "C00031"],
    "exchanges": ["EX_glc__D_e", "EX_o2_e"],
    "medium": ["glucose_minimal", "Carbon-D-Glucose", "LB"],
    "preset": ["minimal", "rich", "glucose_minimal"],
    "name": ["glucose_minimal", "mine", "Carbon-D-Glucose"],
    "template": ["Core-V6", "core"],
    "path": ["exports/out.json", "models", "out.xml", "sub/../out.json"],
    "genome": ["genome.json", "missing.faa"],
    "question": ["Which medium?"], "reason": ["check"], "action": ["gapfill"],
    "contact": ["lab"], "compartment": ["c", "e"], "kind": ["any", "reaction"],
}
ROLE_KEYS = ["EX_glc__D_e", "EX_o2_e", "PGI", "glucose", "oxygen", "EX_succ_e", "pgi"]


def hostile() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(HOSTILE_CONSTANTS),
        st.text(max_size=40),
        st.floats(allow_nan=True, allow_infinity=True),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.lists(st.text(max_size=6), max_size=3),
        st.dictionaries(st.text(max_size=6), st.floats(allow_nan=True), max_size=2),
    )


def _strings(name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    pool = POOLS.get(name, [])
    text = st.text(min_size=schema.get("minLength", 0), max_size=20)
    return st.one_of(st.sampled_from(pool), text) if pool else text


#: Valid-shaped counts stay small so that a valid analysis takes a fraction of a second.
CAPS = {"processes": 2, "n": 20, "points": 5, "iterations": 2, "thinning": 5, "limit": 10,
        "max_steps": 6}


def _numbers(name: str, schema: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    lo = schema.get("minimum", schema.get("exclusiveMinimum", -50))
    hi = schema.get("maximum", schema.get("exclusiveMaximum", 50))
    lo, hi = max(lo, -1000), min(hi, 1000)
    if integer:
        top = min(int(hi), CAPS.get(name, 30))
        return st.integers(min_value=int(lo), max_value=max(int(lo), top))
    return st.floats(min_value=float(lo), max_value=float(hi), allow_nan=False)


def typed(schema: dict[str, Any], name: str, defs: dict[str, Any],
          depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of the schema's shape (a JSON-Schema subset: what pydantic emits)."""
    if "$ref" in schema:
        return typed(defs[schema["$ref"].rsplit("/", 1)[-1]], name, defs, depth)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "const" in schema:
        return st.just(schema["const"])
    if "anyOf" in schema:
        return st.one_of(*(typed(s, name, defs, depth) for s in schema["anyOf"]))
    kind = schema.get("type")
    if kind == "string":
        return _strings(name, schema)
    if kind in ("number", "integer"):
        return _numbers(name, schema, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array" and depth < 3:
        items = schema.get("items", {})
        n = schema.get("maxItems", 4)
        return st.lists(field(items, name, defs, depth + 1) if items else hostile(),
                        min_size=min(schema.get("minItems", 0), 3), max_size=min(n, 4))
    if kind == "object" and depth < 3:
        props = schema.get("properties")
        if props:
            return st.fixed_dictionaries({}, optional={
                k: field(v, k, defs, depth + 1) for k, v in props.items()})
        extra = schema.get("additionalProperties")
        values = field(extra, name, defs, depth + 1) if isinstance(extra, dict) else hostile()
        keys = st.one_of(st.sampled_from(POOLS.get(name, []) + ROLE_KEYS), st.text(max_size=8))
        return st.dictionaries(keys, values, max_size=3)
    return hostile()


def field(schema: dict[str, Any], name: str, defs: dict[str, Any],
          depth: int = 0) -> st.SearchStrategy[Any]:
    """Mostly valid-shaped, sometimes hostile."""
    good = typed(schema, name, defs, depth)
    return st.one_of(good, good, good, hostile())


def arguments(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Whole argument objects for a tool: two in three valid-shaped throughout, the rest with
    hostile values mixed in (and sometimes an unknown key)."""
    defs = schema.get("$defs", {})
    props = schema.get("properties", {})
    required = set(schema.get("required", []))

    def build(make: Any, extra: bool) -> st.SearchStrategy[dict[str, Any]]:
        optional = {k: make(v, k, defs) for k, v in props.items() if k not in required}
        if extra:
            optional["unexpected"] = hostile()
        return st.fixed_dictionaries({k: make(props[k], k, defs) for k in required
                                      if k in props}, optional=optional)

    valid = build(typed, extra=False)
    return st.one_of(valid, valid, build(field, extra=True))
