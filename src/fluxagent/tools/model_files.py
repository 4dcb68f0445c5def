"""Reading model files (SBML, cobrapy JSON, YAML, MATLAB) within limits.

A model file is untrusted input: its size, its reaction and metabolite counts and the time
its parsing takes are bounded by settings (``FLUXAGENT_MAX_MODEL_BYTES``,
``FLUXAGENT_MAX_MODEL_REACTIONS``, ``FLUXAGENT_MAX_MODEL_METABOLITES``,
``FLUXAGENT_TOOL_TIME_LIMIT_S``). Counts are taken before the cobra model is built wherever
the format allows (a text scan of SBML, the parsed dict of JSON and YAML), so a file with a
million reactions is refused in about a second instead of being built for minutes. A user's
file is parsed in a forked child process that is killed at the time limit.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import multiprocessing
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cobra

from fluxagent.tools.results import ToolFailure

_SBML_REACTION = re.compile(r"<(?:\w+:)?reaction[\s>/]")
_SBML_SPECIES = re.compile(r"<(?:\w+:)?species[\s>/]")
#: In cobrapy JSON only a reaction has a "metabolites" mapping, only a metabolite a
#: "compartment" (the model's is "compartments"); the exact count follows on the parsed dict.
_JSON_REACTION = re.compile(rb'"metabolites"\s*:\s*\{')
_JSON_METABOLITE = re.compile(rb'"compartment"\s*:')


@dataclass(frozen=True)
class ModelLimits:
    max_bytes: int = 100 * 1024 * 1024
    max_reactions: int = 100_000
    max_metabolites: int = 100_000
    time_limit_s: float = 600.0

    @classmethod
    def of(cls, settings: Any) -> ModelLimits:
        return cls(int(settings.max_model_bytes), int(settings.max_model_reactions),
                   int(settings.max_model_metabolites), float(settings.tool_time_limit_s))


def detect_format(raw: bytes) -> str:
    """sbml | json | yaml | mat, from the content (not the file name)."""
    head = raw[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"MATLAB"):
        return "mat"
    if head.startswith(b"\x89HDF"):
        return "mat73"
    if head.startswith(b"<"):
        return "sbml"
    if head.startswith(b"{"):
        return "json"
    if re.match(rb"^(%YAML|---|!!|[A-Za-z_\"']+\s*:|-\s)", head):
        return "yaml"
    return "unknown"


def check_counts(label: str, reactions: int, metabolites: int, limits: ModelLimits) -> None:
    """ToolFailure('bad_arguments') when a model is larger than the settings allow."""
    for what, n, limit, var in (
            ("reactions", reactions, limits.max_reactions, "FLUXAGENT_MAX_MODEL_REACTIONS"),
            ("metabolites", metabolites, limits.max_metabolites,
             "FLUXAGENT_MAX_MODEL_METABOLITES")):
        if n > limit:
            raise ToolFailure("bad_arguments", f"{label} has {n:,} {what}, more than the "
                              f"limit of {limit:,}", hint=f"raise {var} if this model is "
                              "trusted and the machine can hold it")


def _child(send: Any, raw: bytes, fmt: str, label: str, validate: bool,
           limits: ModelLimits) -> None:
    """Parse in the forked child and send ("ok", (model, warnings)) or ("failure", fields)."""
    try:
        result: tuple[str, Any] = ("ok", _parse_or_fail(raw, fmt, label, validate, limits))
    except ToolFailure as exc:
        result = ("failure", (exc.kind, exc.message, exc.hint))
    except BaseException as exc:  # MemoryError, RecursionError: still a readable answer
        result = ("failure", ("bad_arguments", f"{label}: cannot read {fmt} model: "
                              f"{type(exc).__name__}", "the file is too large or too deep "
                              "to parse here"))
    send.send(result)
    send.close()


def _parse_isolated(raw: bytes, fmt: str, label: str, validate: bool,
                    limits: ModelLimits) -> tuple[cobra.Model, list[str]]:
    """Parse in a forked child that is killed when the time limit passes.

    A process boundary, not a signal: an asynchronous exception (SIGALRM) could land in any
    library's cleanup or in the test runner's hooks, and did kill test processes. A child
    also keeps a parser crash (a segfault in libsbml on a hostile file) out of the server.
    Works from any thread; where ``fork`` does not exist, or inside a daemonic worker process,
    the parse runs in-process (bounded by the count limits only)."""
    seconds = limits.time_limit_s
    if (seconds <= 0 or "fork" not in multiprocessing.get_all_start_methods()
            or multiprocessing.current_process().daemon):  # a daemon may not have children
        return _parse_or_fail(raw, fmt, label, validate, limits)
    context = multiprocessing.get_context("fork")
    recv, send = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(send, raw, fmt, label, validate, limits),
                            name=f"parse {label}", daemon=True)
    child.start()
    send.close()
    try:
        if not recv.poll(seconds):
            raise ToolFailure("timeout", f"loading {label} exceeded the time limit of "
                              f"{seconds:g} s", hint="raise FLUXAGENT_TOOL_TIME_LIMIT_S, or "
                              "load a smaller model")
        try:
            status, payload = recv.recv()
        except (EOFError, OSError):
            child.join(5)
            raise ToolFailure("bad_arguments", f"{label}: the parser crashed (exit code "
                              f"{child.exitcode}) while reading this {fmt} file",
                              hint="check that the file is a complete, valid model") from None
    finally:
        recv.close()
        if child.is_alive():
            child.kill()
        child.join()
    if status == "failure":
        kind, message, hint = payload
        raise ToolFailure(kind, message, hint=hint)
    model, warnings = payload
    return model, list(warnings)


def parse_model_bytes(raw: bytes, label: str, limits: ModelLimits | int, *,
                      validate: bool = True) -> tuple[cobra.Model, tuple[str, ...]]:
    """Parse model file content; every failure is a ToolFailure with a readable message."""
    if isinstance(limits, int):
        limits = ModelLimits(max_bytes=limits)
    limit = limits.max_bytes
    if len(raw) > limit:
        raise ToolFailure("bad_arguments", f"{label} is {len(raw) / 1e6:.1f} MB, over the "
                          f"limit of {limit / 1e6:.1f} MB",
                          hint="raise FLUXAGENT_MAX_MODEL_BYTES if this file is trusted")
    if raw[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
                raw = gz.read(limit + 1)
        except (OSError, EOFError) as exc:
            raise ToolFailure("bad_arguments", f"{label}: corrupt gzip file ({exc})") from None
        if len(raw) > limit:
            raise ToolFailure("bad_arguments", f"{label} decompresses to more than "
                              f"{limit / 1e6:.0f} MB", hint="raise FLUXAGENT_MAX_MODEL_BYTES "
                              "if this file is trusted")
    fmt = detect_format(raw)
    if validate:  # an untrusted file: parsed in a child process, within the time limit
        model, warnings = _parse_isolated(raw, fmt, label, validate, limits)
    else:  # a bundled model
        model, warnings = _parse_or_fail(raw, fmt, label, validate, limits)
    check_counts(label, len(model.reactions), len(model.metabolites), limits)
    if len(model.reactions) == 0:
        raise ToolFailure("bad_arguments", f"{label} contains no reactions",
                          hint="is this really a metabolic model?")
    if not model.id:
        model.id = Path(label).name.split(".")[0]
    return model, tuple(warnings)


def _parse_or_fail(raw: bytes, fmt: str, label: str, validate: bool,
                   limits: ModelLimits) -> tuple[cobra.Model, list[str]]:
    """_parse, with every failure a ToolFailure."""
    try:
        return _parse(raw, fmt, label, validate, limits)
    except ToolFailure:
        raise
    except Exception as exc:
        msg = (str(exc).strip().splitlines()[0][:300] if str(exc).strip()
               else type(exc).__name__)
        raise ToolFailure("bad_arguments", f"{label}: cannot read {fmt} model: {msg}",
                          hint="check that the file is a complete, valid model") from None


def _parse(raw: bytes, fmt: str, label: str, validate: bool,
           limits: ModelLimits) -> tuple[cobra.Model, list[str]]:
    if fmt == "sbml":
        text = raw.decode("utf-8", errors="replace")
        check_counts(label, len(_SBML_REACTION.findall(text)),
                     len(_SBML_SPECIES.findall(text)), limits)
        return _parse_sbml(text, label, validate)
    if fmt in ("json", "yaml"):
        if fmt == "json":  # json.loads of 10^6 reactions alone takes many seconds: scan first
            check_counts(label, len(_JSON_REACTION.findall(raw)),
                         len(_JSON_METABOLITE.findall(raw)), limits)
        text = raw.decode("utf-8")
        if fmt == "json":
            data = json.loads(text)
        else:
            from cobra.io.yaml import yaml
            data = yaml.load(io.StringIO(text))
        if not isinstance(data, dict):
            raise ToolFailure("bad_arguments", f"{label}: a {fmt} model is a mapping with "
                              "reactions and metabolites")
        check_counts(label, _count(data.get("reactions")), _count(data.get("metabolites")),
                     limits)
        return cobra.io.json.model_from_dict(data), []
    if fmt == "mat":
        return cobra.io.load_matlab_model(io.BytesIO(raw)), []
    if fmt == "mat73":
        raise ToolFailure("bad_arguments", f"{label} is a MATLAB v7.3 (HDF5) file",
                          hint="save it as MAT v7 (-v7) or export SBML from COBRA Toolbox")
    raise ToolFailure("bad_arguments", f"{label} is not a model file this tool can read",
                      hint="accepted: SBML (.xml, .xml.gz), cobrapy JSON, YAML or MATLAB .mat")


def _count(items: Any) -> int:
    return len(items) if isinstance(items, list | tuple | dict) else 0


def _parse_sbml(text: str, label: str, validate: bool) -> tuple[cobra.Model, list[str]]:
    if "<sbml" not in text[:10000]:
        raise ToolFailure("bad_arguments", f"{label} is XML but not SBML",
                          hint="an SBML file has an <sbml> root element")
    if not validate:
        return cobra.io.read_sbml_model(text), []
    logging.getLogger("cobra.io.sbml").setLevel(logging.ERROR)
    model, errors = cobra.io.validate_sbml_model(text, check_modeling_practice=False)
    fatal = [*errors.get("SBML_FATAL", []), *errors.get("COBRA_FATAL", []),
             *errors.get("SBML_ERROR", []), *errors.get("COBRA_ERROR", [])]
    if model is None or fatal:
        shown = "; ".join(str(e).strip().replace("\n", " ")[:200] for e in fatal[:3])
        raise ToolFailure("bad_arguments",
                          f"{label} is not valid SBML ({len(fatal)} errors): {shown}",
                          hint="fix the listed errors (e.g. with the SBML online validator) "
                          "and load it again")
    warns = [str(w).strip().replace("\n", " ")[:200] for w in
             [*errors.get("SBML_SCHEMA_ERROR", []), *errors.get("SBML_WARNING", []),
              *errors.get("COBRA_WARNING", [])]]
    return model, warns[:20]
