"""Issue 11, defect 7 (model files): limits on reactions, metabolites, bytes and load time.

A JSON model with 10^6 reactions loaded for 443 s in 11.5 GB: there was no count limit and no
time limit. Now the counts are taken before the cobra model is built and loading honours
``FLUXAGENT_TOOL_TIME_LIMIT_S``.
"""

from __future__ import annotations

import gzip
import json
import signal
import time
from pathlib import Path
from typing import Any

import cobra
import pytest
from seckit import core_with_id, execute, save_json, settings, tool_ctx

from fluxagent.tools.results import ToolError, ToolFailure


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


def test_loading_honours_the_tool_time_limit(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", tool_time_limit_s=0.5)
    n = 20_000  # under every count limit, but about a minute to build here
    doc = {"id": "slow", "genes": [],
           "metabolites": [{"id": f"m{i}", "compartment": "c"} for i in range(n + 1)],
           "reactions": [{"id": f"R{i}", "metabolites": {f"m{i}": -1, f"m{i + 1}": 1},
                          "lower_bound": 0, "upper_bound": 1000} for i in range(n)]}
    path = s.data_dir / "slow.json"
    path.write_text(json.dumps(doc))
    start = time.monotonic()
    e = execute("load_model", {"path": str(path)}, tool_ctx(s))
    seconds = time.monotonic() - start
    assert isinstance(e, ToolError) and e.kind == "timeout", e
    assert "time limit of 0.5 s" in e.message and "FLUXAGENT_TOOL_TIME_LIMIT_S" in e.hint
    assert seconds < 15, f"stopping took {seconds:.1f} s"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind
    from fluxagent.tools.model_files import late_alarm
    assert signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None,
                                                late_alarm)  # late_alarm: a no-op
    relaxed = settings(tmp_path / "data", tool_time_limit_s=600)
    ok = execute("load_model", {"model": "e_coli_core"}, tool_ctx(relaxed))
    assert ok.ok, ok


@pytest.mark.parametrize("limit_s", [1e-4, 2e-4, 5e-5])
def test_an_alarm_in_the_cleanup_escapes_nowhere(monkeypatch: Any, limit_s: float) -> None:
    """Alarms every 0.1 ms land anywhere, also in contextlib's __exit__ and the cleanup that
    disarms them (a busy machine does that with the real 0.2 s interval): each block ends in
    its ToolFailure or not at all, and none leaves the timer running (the suite was once
    killed by such a leaked alarm). The blocks last from half the limit to four times it on
    this machine, so the alarms fire on an idle machine as on a busy one."""
    from fluxagent.tools import model_files

    # repeated alarms every millisecond (the real interval is 0.2 s): a storm of 0.1 ms ones
    # kept a signal in flight at every disarm and killed the test process itself
    monkeypatch.setattr(model_files, "REPEAT_S", max(limit_s, 1e-3))
    start = time.perf_counter()
    sum(range(200_000))
    per_item = (time.perf_counter() - start) / 200_000
    base = max(1, int(limit_s / per_item))
    handler = signal.getsignal(signal.SIGALRM)
    timed_out = 0
    for i in range(2000):
        try:
            with model_files.time_limit(limit_s, "a tiny block"):
                sum(range(base * (1 + i % 8) // 2))
        except ToolFailure:
            timed_out += 1
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) in (handler, model_files.late_alarm)
    assert timed_out > 0  # the alarms did fire
    time.sleep(0.05)  # and none fires after the blocks


def test_an_alarm_never_raises_inside_a_finalizer(monkeypatch: Any) -> None:
    """Objects collected during a block run their ``__del__`` there; an alarm landing in one
    only marks the time as up (raised there it is "ignored", and an alarm raised inside
    pytest's unraisable hook once broke the interpreter). The block still ends in its
    timeout, and the timer is left disarmed."""
    import gc

    from fluxagent.tools import model_files

    monkeypatch.setattr(model_files, "REPEAT_S", 1e-3)
    raised_in: list[str] = []

    class Slow:
        def __del__(self) -> None:
            try:
                sum(range(150_000))  # long enough for several 1 ms alarms
            except BaseException as exc:
                raised_in.append(type(exc).__name__)

    handler = signal.getsignal(signal.SIGALRM)
    timed_out = 0
    for _ in range(30):
        try:
            with model_files.time_limit(1e-4, "a block that collects garbage"):
                for _ in range(20):
                    obj = Slow()
                    del obj
                    gc.collect()
                sum(range(200_000))
        except ToolFailure as e:
            assert e.kind == "timeout"
            timed_out += 1
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) in (handler, model_files.late_alarm)
    assert timed_out == 30 and raised_in == []


def test_model_bytes_limit_applies_to_plain_and_compressed_files(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", max_model_bytes=50_000)
    core = save_json(core_with_id("core"), s.data_dir / "core.json")  # ~ 70 kB
    e = execute("load_model", {"path": str(core)}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments" and "limit" in e.message
    packed = s.data_dir / "core.json.gz"
    packed.write_bytes(gzip.compress(core.read_bytes()))
    e = execute("load_model", {"path": str(packed)}, tool_ctx(s))
    assert isinstance(e, ToolError) and "decompresses to more than" in e.message, e
