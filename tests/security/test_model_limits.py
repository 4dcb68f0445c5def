"""Issue 11, defect 7 (model files): limits on reactions, metabolites, bytes and load time.

A JSON model with 10^6 reactions loaded for 443 s in 11.5 GB: there was no count limit and no
time limit. Now the counts are taken before the cobra model is built and loading honours
``FLUXAGENT_TOOL_TIME_LIMIT_S``.
"""

from __future__ import annotations

import faulthandler
import gzip
import json
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import cobra
from seckit import core_with_id, execute, save_json, settings, tool_ctx

from fluxagent.tools.results import ToolError


def test_a_json_model_with_a_million_reactions_is_refused_quickly(tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    path = s.data_dir / "million.json"
    reactions = ",".join(f'{{"id":"R{i}","metabolites":{{}}}}' for i in range(1_000_000))
    path.write_text('{"id":"million","metabolites":[],"genes":[],"reactions":['
                    + reactions + "]}")
    start = time.monotonic()
    e = execute("load_model", {"path": str(path)}, tool_ctx(s))
    seconds = time.monotonic() - start
    assert isinstance(e, ToolError) and e.kind == "bad_arguments", e
    assert "1,000,000 reactions" in e.message and "100,000" in e.message
    assert "FLUXAGENT_MAX_MODEL_REACTIONS" in e.hint
    assert seconds < 15, f"refusing took {seconds:.1f} s"
    assert not list((s.data_dir / "models").glob("*")) if (s.data_dir / "models").exists() \
        else True


def test_reaction_and_metabolite_limits_are_settings_for_every_format(tmp_path: Path) -> None:
    core = core_with_id("core")  # 95 reactions, 72 metabolites
    files = {"json": save_json(core, tmp_path / "data" / "core.json"),
             "sbml": tmp_path / "data" / "core.xml"}
    cobra.io.write_sbml_model(core, str(files["sbml"]))
    files["sbml.gz"] = tmp_path / "data" / "core.xml.gz"
    files["sbml.gz"].write_bytes(gzip.compress(files["sbml"].read_bytes()))
    cobra.io.save_yaml_model(core, str(tmp_path / "data" / "core.yml"))
    files["yaml"] = tmp_path / "data" / "core.yml"
    for kind, path in files.items():
        few_reactions = settings(tmp_path / "data", max_model_reactions=50)
        e = execute("load_model", {"path": str(path)}, tool_ctx(few_reactions))
        assert isinstance(e, ToolError) and e.kind == "bad_arguments", (kind, e)
        assert "95 reactions" in e.message, (kind, e.message)
        few_mets = settings(tmp_path / "data", max_model_metabolites=70)
        e = execute("load_model", {"path": str(path)}, tool_ctx(few_mets))
        assert isinstance(e, ToolError) and "72 metabolites" in e.message, (kind, e)
        assert "FLUXAGENT_MAX_MODEL_METABOLITES" in e.hint


def _slow_model_file(path: Path) -> Path:
    n = 20_000  # under every count limit, but about a minute to build here
    doc = {"id": "slow", "genes": [],
           "metabolites": [{"id": f"m{i}", "compartment": "c"} for i in range(n + 1)],
           "reactions": [{"id": f"R{i}", "metabolites": {f"m{i}": -1, f"m{i + 1}": 1},
                          "lower_bound": 0, "upper_bound": 1000} for i in range(n)]}
    path.write_text(json.dumps(doc))
    return path


def test_loading_honours_the_tool_time_limit(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", tool_time_limit_s=0.5)
    path = _slow_model_file(s.data_dir / "slow.json")
    alarm = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    e = execute("load_model", {"path": str(path)}, tool_ctx(s))
    seconds = time.monotonic() - start
    assert isinstance(e, ToolError) and e.kind == "timeout", e
    assert "time limit of 0.5 s" in e.message and "FLUXAGENT_TOOL_TIME_LIMIT_S" in e.hint
    assert seconds < 15, f"stopping took {seconds:.1f} s"
    assert multiprocessing.active_children() == []  # the parsing child was killed
    assert signal.getsignal(signal.SIGALRM) is alarm  # no signal handler is involved
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert not (s.data_dir / "models").exists() or not list((s.data_dir / "models").iterdir())
    relaxed = settings(tmp_path / "data", tool_time_limit_s=600)
    ok = execute("load_model", {"model": "e_coli_core"}, tool_ctx(relaxed))
    assert ok.ok, ok
    core = save_json(core_with_id("core"), s.data_dir / "core.json")
    ok = execute("load_model", {"path": str(core)}, tool_ctx(relaxed))
    assert ok.ok and ok.data["reactions"] == 95, ok  # parsed in the child, sent back whole


def test_the_time_limit_holds_in_any_thread(tmp_path: Path) -> None:
    """The REST server and the Temporal worker run tools in worker threads, where a signal
    cannot be delivered: the limit is a child process there too."""
    s = settings(tmp_path / "data", tool_time_limit_s=0.5)
    path = _slow_model_file(s.data_dir / "slow.json")
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(
        execute("load_model", {"path": str(path)}, tool_ctx(s))))
    start = time.monotonic()
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and time.monotonic() - start < 15
    assert isinstance(results[0], ToolError) and results[0].kind == "timeout", results
    assert multiprocessing.active_children() == []


def test_a_parser_that_crashes_does_not_take_the_process_with_it(tmp_path: Path,
                                                                   monkeypatch: Any) -> None:
    """A segfault in a C parser (libsbml on a hostile file) ends the child, not the agent:
    the answer is a readable error, and the next load works."""
    from fluxagent.tools import model_files

    s = settings(tmp_path / "data")
    core = save_json(core_with_id("core"), s.data_dir / "core.json")
    def segfault(*args: Any) -> None:  # runs in the child (pytest's faulthandler would
        faulthandler.disable()  # print the child's stack)
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(model_files, "_parse", segfault)
    e = execute("load_model", {"path": str(core)}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments", e
    assert "the parser crashed" in e.message and f"exit code {-signal.SIGSEGV}" in e.message
    monkeypatch.undo()
    ok = execute("load_model", {"path": str(core)}, tool_ctx(s))
    assert ok.ok, ok


def test_a_failure_in_the_child_keeps_its_kind_and_hint(tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    bad = s.data_dir / "bad.json"
    bad.write_text('{"id": "x", "metabolites": [], "reactions": [{"id": "R1", '
                   '"metabolites": {"nope": 1}}]}')
    e = execute("load_model", {"path": str(bad)}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments", e
    assert e.message.startswith("bad.json: cannot read json model"), e.message
    assert "complete, valid model" in e.hint


def test_model_bytes_limit_applies_to_plain_and_compressed_files(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", max_model_bytes=50_000)
    core = save_json(core_with_id("core"), s.data_dir / "core.json")  # ~ 70 kB
    e = execute("load_model", {"path": str(core)}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments" and "limit" in e.message
    packed = s.data_dir / "core.json.gz"
    packed.write_bytes(gzip.compress(core.read_bytes()))
    e = execute("load_model", {"path": str(packed)}, tool_ctx(s))
    assert isinstance(e, ToolError) and "decompresses to more than" in e.message, e
