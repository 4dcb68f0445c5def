"""The answer verifier: traceable numbers pass, invented ones are flagged (any decider)."""

from __future__ import annotations

from fluxagent.core.events import Thread, new_event
from fluxagent.core.steps import Done, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.llm.verify import numbers_in, verify_answer
from fluxagent.runtime.local import verified


def thread_with(result: dict, question: str = "How fast does e_coli_core grow?") -> Thread:
    t = Thread("s")
    return t.append(
        new_event("user_message", {"text": question}),
        new_event("tool_call", {"name": "run_fba", "args": {"conditions": {"oxygen": False}}},
                  call_id="c1"),
        new_event("tool_result", {"tool": "run_fba", "ok": True,
                                  "summary": "growth rate 0.211663 1/h, uptake EX_glc__D_e 10",
                                  "data": result,
                                  "provenance": {"model_id": "e_coli_core", "solver": "glpk",
                                                 "medium": {"EX_glc__D_e": 10.0},
                                                 "versions": {"cobra": "0.32.1"},
                                                 "duration_s": 0.123}},
                  call_id="c1"))


RESULT = {"growth_rate": 0.21166294973531055, "relative": 0.24219,
          "fluxes": {"PFK": 7.477381962160286, "EX_ac_e": -3.8135555}, "genes": ["a", "b", "c"]}


def test_numbers_in_skips_ids_units_and_list_markers() -> None:
    text = ("1. e_coli_core grows at 0.211663 1/h on EX_glc__D_e (b1779, iJO1366, CO2, "
            "2-oxoglutarate), 24.2% of wild type, 2,583 reactions, 1.2e-07, h-1")
    assert [n.text for n in numbers_in(text)] == ["0.211663", "24.2%", "2,583", "1.2e-07"]


def test_traceable_numbers_pass_with_rounding() -> None:
    t = thread_with(RESULT)
    v = verify_answer(t, "Growth 0.211663 1/h (0.2117 rounded, about 0.21), PFK 7.47738, "
                         "acetate -3.81 mmol/gDW/h, glucose 10, 24.2% of wild type, "
                         "3 genes.")
    assert v.ok, v.untraceable
    assert v.traced["0.211663"].startswith("result of run_fba")


def test_invented_numbers_are_flagged() -> None:
    t = thread_with(RESULT)
    v = verify_answer(t, "Growth is 0.5 1/h and the answer is 42; PFK 7.47738.")
    assert v.untraceable == ["0.5", "42"]
    assert not v.ok


def test_wrong_rounding_is_flagged() -> None:
    # 0.2116 is not 0.211663 rounded to 4 decimals (0.2117)
    v = verify_answer(thread_with(RESULT), "growth 0.2116 1/h")
    assert v.untraceable == ["0.2116"]


def test_numbers_from_the_question_pass_only_as_used_conditions() -> None:
    # 5 and 90% were asked for, but the tool call (anaerobic FBA) used neither
    t = thread_with(RESULT, "Growth with glucose uptake limited to 5 mmol/gDW/h at 90% ?")
    v = verify_answer(t, "At 90% of the optimum with uptake 5: 0.211663 1/h")
    assert v.untraceable == ["90%", "5"]
    assert all("only in the question" in c.why for c in v.flagged)
    # the glucose bound the provenance records (10) is a condition the call used
    assert verify_answer(t, "With glucose uptake at 10: 0.211663 1/h").ok


def test_provenance_versions_and_durations_are_not_sources() -> None:
    v = verify_answer(thread_with(RESULT), "took 0.123 s with cobra 0.32")
    assert v.untraceable == ["0.123", "0.32"]


def test_runner_flags_and_annotates_any_decider() -> None:
    t = thread_with(RESULT)
    step, notes = verified(t, Done(answer="It grows at 0.9 1/h."))
    assert "⚠ Unverified: 0.9" in step.answer
    assert [(e.type, e.data) for e in notes] == [
        ("annotation", {"kind": "unverified_numbers", "numbers": ["0.9"], "claims": [
            {"text": "0.9", "kind": "growth", "value": 0.9,
             "why": "no growth value of a tool result equals it"}]})]
    step, notes = verified(t, Done(answer="It grows at 0.211663 1/h."))
    assert notes == [] and "Unverified" not in step.answer


def test_annotation_precedes_final_answer_in_the_loop() -> None:
    from pydantic import BaseModel

    from fluxagent.context.manager import ContextManager
    from fluxagent.human.approvals import ApprovalPolicy
    from fluxagent.runtime import sessions
    from fluxagent.runtime.local import LocalRunner
    from fluxagent.store.memory import MemoryStore
    from fluxagent.tools.registry import Registry, ToolContext
    from fluxagent.tools.results import ToolResult

    class Args(BaseModel):
        x: int

    reg = Registry()

    @reg.tool("echo", "Echo x.", Args)
    def echo(args: Args, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="echo", summary=f"x={args.x}", data={"x": args.x})

    cm = ContextManager()
    runner = LocalRunner(store=MemoryStore(), registry=reg,
                         decider=ScriptedDecider([ToolCall(name="echo", args={"x": 3}),
                                                  Done(answer="x is 3, not 7")]),
                         context=lambda t, s: cm.build(t, s, "sys"),
                         tool_context=lambda t, s: ToolContext(session_id=t.session_id,
                                                               state=s),
                         policy=ApprovalPolicy(tools=frozenset()))
    st = sessions.launch(runner, "what is x?")
    types = [e.type for e in runner.store.load(st.session_id)]
    assert types[-2:] == ["annotation", "final_answer"]
    assert st.answer is not None and "⚠ Unverified: 7" in st.answer


def test_a_quoted_phrase_of_the_question_is_no_claim() -> None:
    t = thread_with(RESULT, "Growth with 2-oxoglutarate and 7 friends?")
    v = verify_answer(t, "0.211663 1/h. ⚠ Not understood, so not applied: 'Growth with 2 "
                         "-oxoglutarate 7 friends'.")  # words of the question, some left out
    assert v.ok and v.numbers == ["0.211663"]
    # a quote that is not the question's is checked like any text
    assert verify_answer(t, "0.211663 1/h, 'at 7 1/h'").untraceable == ["7"]


def test_labels_inside_reaction_names_are_no_claims() -> None:
    """Antiport ratios, ion charges and acyl chains in names quoted from a result claim
    nothing; the same numbers standing alone are still checked."""
    t = thread_with(RESULT)
    v = verify_answer(t, "Essential: CAt6pp (Calcium / sodium antiporter (1:1)), CA2tex "
                         "(Calcium (Ca+2) transport), CLtex (Chloride (Cl-1) transport), "
                         "AGPAT161 (acyltransferase (n-C16:1)), PFK (+23 more).")
    assert v.ok, v.untraceable
    v = verify_answer(t, "Growth is 2 1/h with a 1:1 ratio.")
    assert "2" in v.untraceable


def test_scores_and_list_sizes_are_typed_as_such() -> None:
    """"accuracy 0.762" after an id is a score, not that id's flux; the length of a listed
    result is a count."""
    t = Thread("s").append(
        new_event("user_message", {"text": "How well does iJO1366 predict Biolog growth?"}),
        new_event("tool_call", {"name": "compare_phenotypes", "args": {}}, call_id="c1"),
        new_event("tool_result", {"tool": "compare_phenotypes", "ok": True, "summary": "",
                                  "data": {"accuracy": 0.7619, "fluxes": {"EX_lac__L_e": -3.0},
                                           "not_in_model": [f"EX_x{i}_e" for i in range(31)]},
                                  "provenance": {}}, call_id="c1"))
    v = verify_answer(t, "With EX_lac__L_e shut: accuracy 0.762. 31 sources have no exchange.")
    assert v.ok, v.untraceable
    assert not verify_answer(t, "With EX_lac__L_e shut: accuracy 0.9.").ok
