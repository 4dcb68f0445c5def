"""The offline planner reaches the phenotype tools from plain language: the data set from the
question's words, "propose fixes" as reconciliation of the data asked about before, and the
neighbouring intents (essential genes, growth, validation) stay as they were."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import new_event
from fluxagent.llm.offline.dialog import frame_of, interpret
from fluxagent.llm.offline.plan import plan
from fluxagent.llm.offline.text import analyse
from fluxagent.store.memory import MemoryStore
from fluxagent.tools import load_all


@pytest.fixture(scope="module")
def specs() -> list[dict[str, Any]]:
    return load_all().specs()


def calls(q: str, specs: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    frame = interpret(analyse(q))
    assert frame.unresolved == (), frame.unresolved
    return [(c.name, c.args) for c in plan(frame, current_model="iJO1366", specs=specs)]


@pytest.mark.parametrize(("question", "tool", "dataset"), [
    ("how well does iJO1366 predict gene essentiality?", "compare_phenotypes",
     "ecoli_essentiality"),
    ("which Biolog carbon sources does the model get wrong?", "compare_phenotypes",
     "ecoli_biolog_carbon"),
    ("which Biolog nitrogen sources does iJO1366 get wrong?", "compare_phenotypes",
     "ecoli_biolog_nitrogen"),
    ("how well do iJO1366's predicted growth rates agree with measured ones?",
     "compare_phenotypes", "ecoli_growth_rates"),
    ("propose fixes for the Biolog sulfur sources the model gets wrong",
     "reconcile_phenotypes", "ecoli_biolog_sulfur"),
])
def test_questions_reach_the_phenotype_tools(specs: list[dict[str, Any]], question: str,
                                            tool: str, dataset: str) -> None:
    planned = calls(question, specs)
    assert planned[-1][0] == tool and planned[-1][1]["dataset"] == dataset


def test_neighbouring_intents_unchanged(specs: list[dict[str, Any]]) -> None:
    assert calls("what are the essential genes of iJO1366?", specs)[-1][0] == "essential_genes"
    assert calls("how fast does iJO1366 grow on glucose?", specs)[-1][0] == "run_fba"
    assert calls("is the model consistent?", specs)[-1][0] == "validate_model"


def test_propose_fixes_continues_the_data_set_asked_before() -> None:
    # the tool tests' data dir: its model cache spares parsing iJO1366 again
    data = Path(tempfile.gettempdir()) / f"fluxagent-tool-tests-{os.getuid()}"
    agent = Agent(settings=Settings(data_dir=data), store=MemoryStore())
    st = agent.ask("which Biolog sulfur sources does iJO1366 get wrong?")
    assert st.status == "done"
    thread = agent.thread(st.session_id)
    done = [e for e in thread.of_type("tool_result") if e.data["tool"] == "compare_phenotypes"]
    assert done and done[-1].data["data"]["scores"]["confusion"] == \
        {"TP": 8, "FP": 0, "FN": 11, "TN": 0}
    assert "MCC 0" in (st.answer or "")
    follow = thread.append(new_event("user_message", {"text": "propose fixes"}))
    frame, _ = frame_of(follow)
    assert frame.intent == "phenotypes" and frame.slots.propose_fixes
    assert frame.slots.phenotype_data == "ecoli_biolog_sulfur"
