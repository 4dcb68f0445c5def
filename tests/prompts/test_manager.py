"""PromptManager: versioned templates, the hash lock, strict rendering, cases, variants."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from fluxagent.core.events import Thread, new_event
from fluxagent.prompts import PromptError, PromptManager
from fluxagent.prompts.manager import TEMPLATES, parse_template
from fluxagent.prompts.variants import EXPERIMENTS, assign, for_session


@pytest.fixture
def copy(tmp_path: Path) -> PromptManager:
    """A private copy of the shipped templates and cases, safe to edit."""
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    shutil.copytree(TEMPLATES.parent / "cases", tmp_path / "cases")
    return PromptManager(tmp_path / "templates")


def test_shipped_prompts_match_their_lock() -> None:
    """A released template edited in place (no version bump) fails here."""
    assert PromptManager().verify_lock() == []


def test_every_version_passes_its_cases() -> None:
    pm = PromptManager()
    assert {"system", "tool_protocol"} <= set(pm.names())
    for name in pm.names():
        assert pm.cases(name), f"prompt {name} has no test cases in prompts/cases"
        for version in pm.versions[name]:
            report = pm.test_prompt(name, version=version)
            assert report["failed"] == 0, report


def test_editing_a_released_version_is_caught(copy: PromptManager) -> None:
    path = copy.root / "system" / "1.0.0.j2"
    path.write_text(path.read_text().replace("never invent", "do not invent"))
    copy.reload()
    problems = copy.verify_lock()
    assert len(problems) == 1 and "system@1.0.0 changed after release" in problems[0]
    with pytest.raises(PromptError, match="changed after release"):
        copy.write_lock()


def test_deleting_an_old_version_is_caught(copy: PromptManager) -> None:
    (copy.root / "system" / "1.0.0.j2").unlink()
    copy.reload()
    assert any("file is gone" in p for p in copy.verify_lock())


def test_version_prompt_adds_a_version_and_keeps_the_old(copy: PromptManager) -> None:
    old = copy.get_prompt("system", "latest", default_model="m", escalate_after=3)
    body = copy.template("system").body + "\nCite the model id in every answer.\n"
    version = copy.version_prompt("system", body)
    assert version == "1.2.0"
    assert copy.verify_lock() == []
    assert "Cite the model id" in copy.get_prompt("system", default_model="m", escalate_after=3)
    assert copy.get_prompt("system", "1.1.0", default_model="m", escalate_after=3) == old
    assert copy.version_prompt("system", body) == "1.2.0"  # unchanged: no new version
    assert "+Cite the model id" in copy.diff("system@1.1.0", "system@1.2.0")
    assert copy.version_prompt("system", body + "x", part="patch") == "1.2.1"


def test_rendering_is_strict() -> None:
    pm = PromptManager()
    with pytest.raises(PromptError, match="needs escalate_after"):
        pm.get_prompt("system", default_model="e_coli_core")
    with pytest.raises(PromptError, match="has no variable colour"):
        pm.get_prompt("system", default_model="m", escalate_after=3, colour="red")
    with pytest.raises(PromptError, match=r"no version 9\.9\.9"):
        pm.get_prompt("system", "9.9.9", default_model="m", escalate_after=3)
    with pytest.raises(PromptError, match="did you mean system"):
        pm.get_prompt("sytem")
    with pytest.raises(PromptError, match="'dict object' has no attribute 'description'"):
        pm.get_prompt("tool_protocol", tools=[{"name": "run_fba"}])


HEAD = "---\nname: p\nversion: 1.0.0\ndescription: d\nvariables:\n  x: a value\n---\n"


@pytest.mark.parametrize(("source", "message"), [
    (HEAD + "{% if x %}open block", "syntax error at line 1"),
    (HEAD + "{{ x }} and {{ y }}", "not declared in the front matter: y"),
    ("no front matter {{ x }}", "starts with a '---' front matter"),
    (HEAD.replace("version: 1.0.0", "version: one"), "not a semantic version"),
    (HEAD.replace("description: d\n", ""), "lacks description"),
    ("---\nname: [unclosed\n---\nbody", "not valid YAML"),
])
def test_bad_templates_fail_at_load(source: str, message: str) -> None:
    with pytest.raises(PromptError, match=message):
        parse_template(source, "p/1.0.0.j2")


def test_a_broken_file_stops_the_manager_loading(copy: PromptManager) -> None:
    (copy.root / "system" / "2.0.0.j2").write_text(HEAD.replace("name: p", "name: system")
                                                   .replace("1.0.0", "2.0.0") + "{{ x ")
    with pytest.raises(PromptError, match=r"system/2.0.0.j2: template syntax error"):
        copy.reload()
    (copy.root / "system" / "2.0.0.j2").write_text(HEAD + "{{ x }}")
    with pytest.raises(PromptError, match=r"front matter says p@1\.0\.0"):
        copy.reload()


def test_variants_are_deterministic_balanced_and_recorded(copy: PromptManager) -> None:
    counts = Counter(assign(copy, f"session-{i}", "system").variant for i in range(2000))
    assert set(counts) == {"A", "B"} and abs(counts["A"] - counts["B"]) < 200
    first = assign(copy, "abc", "system")
    assert all(assign(copy, "abc", "system") == first for _ in range(5))
    thread = Thread("abc").append(new_event("user_message", {"text": "q"}))
    chosen, events = for_session(copy, thread, "system")
    assert chosen == first and events[0].data["kind"] == "prompt_variant"
    thread = thread.append(*events)
    # the experiment ends: the recorded assignment still holds for this session
    (copy.root / EXPERIMENTS).unlink()
    again, more = for_session(copy, thread, "system")
    assert again == first and more == []
    assert assign(copy, "abc", "system").variant == "default"
