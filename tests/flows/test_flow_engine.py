"""The flow engine on a small registry: branches, human and decider states, limits, errors,
replay, rollback, validation of broken files and rendering."""

from __future__ import annotations

from pathlib import Path

import pytest
from flowkit import mini_registry

from fluxagent.core.state import fold
from fluxagent.core.steps import Done, ToolCall
from fluxagent.flows.controller import FlowController
from fluxagent.flows.decider import FlowDecider
from fluxagent.flows.replay import replay_decisions
from fluxagent.flows.run import checkpoints, rollback, run_flow
from fluxagent.flows.schema import FlowError, load_flow_file, load_flow_text
from fluxagent.flows.validate import validate_flow
from fluxagent.flows.visualize import mermaid, svg
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions

BROKEN = Path(__file__).parent / "broken"

BRANCHY = """
name: branchy
inputs: {rate: {default: 0.0}}
start: grow
states:
  grow:
    tool: grow
    args: {rate: "{{ input.rate }}"}
    transitions:
      - when: result.growth_rate < 1e-6
        to: missing
      - to: report
  missing:
    tool: look
    args: {what: "nutrients for {{ input.rate }}", times: "{{ visits.grow + 1 }}"}
    next: report
  report:
    end:
      answer: >-
        rate {{ results.grow.growth_rate }}; looked:
        {{ results.missing.seen | default('no') }}
"""


def flow(text: str = BRANCHY):
    return load_flow_text(text, "test")


def types(runner, sid):
    return [e.type for e in runner.store.load(sid)]


def test_branch_taken_on_result_value(make_runner):
    r = make_runner()
    st = run_flow(r, flow(), {"rate": 0.0})
    assert st.status == "done"
    assert st.answer == "rate 0.0; looked: nutrients for 0.0"
    thread = r.store.load(st.session_id)
    calls = [(e.data["name"], e.data["args"]) for e in thread.of_type("tool_call")]
    assert calls == [("grow", {"rate": 0.0}), ("look", {"what": "nutrients for 0.0",
                                                        "times": 2})]
    hops = [(e.data["from"], e.data["to"]) for e in thread.of_type("flow_transition")]
    assert hops == [(None, "grow"), ("grow", "missing"), ("missing", "report")]

    st = run_flow(r, flow(), {"rate": 0.8})
    assert st.answer == "rate 0.8; looked: no"


def test_replay_reproduces_every_decision(make_runner):
    r = make_runner()
    st = run_flow(r, flow(), {"rate": 0.0})
    thread = r.store.load(st.session_id)
    ctx = r.context
    n, problems = replay_decisions(thread, r.decider, ctx, r.registry.specs())
    assert n == 3 and problems == []
    # a changed flow does not reproduce the recorded run
    other = flow(BRANCHY.replace("< 1e-6", "> 1e-6"))
    n, problems = replay_decisions(thread, FlowDecider(other, ScriptedDecider([])), ctx,
                                   r.registry.specs())
    assert problems


def test_execute_flow_and_get_next_step_are_pure(make_runner):
    r = make_runner()
    st = run_flow(r, flow(), {"rate": 0.0})
    thread = r.store.load(st.session_id)
    fc = FlowController(flow())
    mid = thread.prefix(4)  # after grow's result
    first = fc.execute_flow(mid)
    assert first == fc.execute_flow(mid)
    assert first["state"] == "missing" and first["results"]["grow"]["growth_rate"] == 0.0
    assert first["next"]["name"] == "look"
    assert [r["data"]["to"] for r in first["records"]] == ["missing"]
    done = fc.execute_flow({"events": list(thread)})
    assert done["status"] == "finished" and done["next"] == {"kind": "wait"}
    assert done["path"] == ["grow", "missing", "report"]
    assert fc.get_next_step({"state": "grow", "result": {"growth_rate": 0.0}}) == "missing"
    assert fc.get_next_step({"state": "grow", "result": {"growth_rate": 0.3}}) == "report"
    assert fc.get_next_step({"state": "report"}) == ""
    assert fc.get_next_step({"state": "grow", "ok": False, "error": {"message": "x"}}) == ""
    with pytest.raises(FlowError, match="no state"):
        fc.get_next_step({"state": "nope"})
    assert fc.validate_flow(mini_registry()) == []
    assert fc.decision_tree["grow"] == [("result.growth_rate < 1e-6", "missing"),
                                        (None, "report")]


HUMAN = """
name: asky
start: ask
states:
  ask:
    human: {question: "Add glucose?", kind: yes_no, urgency: high}
    transitions:
      - when: response == 'yes'
        to: add
      - to: skip
  add: {tool: look, args: {what: glucose}, next: fin}
  skip: {end: {answer: "skipped"}}
  fin: {end: {answer: "added {{ results.add.seen }}"}}
"""


def test_human_step_waits_and_branches_on_the_answer(make_runner):
    r = make_runner()
    st = run_flow(r, flow(HUMAN))
    assert st.status == "waiting_for_human"
    req = r.store.load(st.session_id).of_type("human_request")[-1]
    assert req.data["options"] == ["yes", "no"] and req.data["urgency"] == "high"
    with pytest.raises(sessions.SessionError, match="yes or no"):
        sessions.respond(r, st.session_id, "perhaps")
    assert fold(r.store.load(st.session_id)).status == "waiting_for_human"
    st = sessions.respond(r, st.session_id, "Y")
    assert st.status == "done" and st.answer == "added glucose"


DECIDING = """
name: deciding
start: think
states:
  think:
    decider:
      instruction: "Find what the model needs (rate was {{ input.rate }})."
      tools: [look]
      max_steps: 2
    transitions:
      - when: result.exhausted | default(false)
        to: gave_up
      - to: fin
  gave_up: {end: {answer: "gave up"}}
  fin: {end: {answer: "inner said: {{ results.think.answer }}"}}
inputs: {rate: {default: 1}}
"""


def test_decider_state_delegates_with_restricted_tools(make_runner):
    seen = []

    def inner(ctx):
        seen.append((ctx.question, ctx.meta.get("allowed_tools")))
        made = [e for e in ctx.thread.since_last_question() if e.type == "tool_call"]
        return ToolCall(name="look", args={"what": "glucose"}) if not made else \
            Done(answer="needs glucose")

    r = make_runner(inner=ScriptedDecider(inner))
    st = run_flow(r, flow(DECIDING))
    assert st.status == "done" and st.answer == "inner said: needs glucose"
    assert seen[0] == ("Find what the model needs (rate was 1).", ["look"])
    thread = r.store.load(st.session_id)
    out = [e for e in thread.of_type("flow_transition") if e.data["from"] == "think"]
    assert out[0].data["output"] == {"answer": "needs glucose"}
    assert thread.of_type("tool_call")[0].data["by"] == "scripted"
    n, problems = replay_decisions(thread, r.decider, r.context, r.registry.specs())
    assert problems == [] and n >= 2


def test_decider_state_refuses_tools_outside_its_list_and_has_a_step_limit(make_runner):
    r = make_runner(inner=ScriptedDecider(lambda ctx: ToolCall(name="grow", args={})))
    st = run_flow(r, flow(DECIDING))
    errors = r.store.load(st.session_id).of_type("tool_error")
    assert "not available in flow state think" in errors[0].data["message"]
    assert st.status == "waiting_for_human"  # three refusals in a row escalate

    looping = ScriptedDecider(lambda ctx: ToolCall(name="look", args={"what": "x"}))
    st = run_flow(make_runner(inner=looping), flow(DECIDING))
    assert st.status == "done" and st.answer == "gave up"


def test_tool_error_goes_to_on_error_or_stops_with_the_reason(make_runner):
    text = """
name: erring
start: a
states:
  a: {tool: look, args: {what: nothing}, on_error: b, next: fin}
  b: {tool: look, args: {what: "{{ error.kind | default('?') }}"}, next: fin}
  fin: {end: {answer: "{{ results.b.seen | default('none') }}"}}
"""
    r = make_runner()
    st = run_flow(r, flow(text))
    assert st.answer == "none" or st.answer == "?"  # error is not kept in results
    text2 = text.replace("on_error: b, ", "")
    st = run_flow(r, flow(text2))
    assert st.status == "done"
    assert "stopped: a failed (unknown_id): nothing to look at" in st.answer
    assert "try 'glucose'" in st.answer


def test_visit_limit_ends_a_loop(make_runner):
    text = """
name: loopy
start: a
limits: {max_visits: 2}
states:
  a:
    tool: grow
    args: {rate: 0}
    transitions: [{when: "result.growth_rate == 0", to: a}, {to: fin}]
  fin: {end: {answer: ok}}
"""
    st = run_flow(make_runner(), flow(text))
    assert st.status == "done" and "reached its limit of 2 visits" in st.answer
    limited = text.replace("{max_visits: 2}", "{max_visits: 2, on_limit: fin}")
    assert run_flow(make_runner(), flow(limited)).answer == "ok"


def test_rollback_forks_before_a_checkpoint_and_reruns(make_runner):
    r = make_runner()
    st = run_flow(r, flow(), {"rate": 0.0})
    sid = st.session_id
    before = list(r.store.load(sid))
    assert [c["to"] for c in checkpoints(r, sid)] == ["grow", "missing", "report"]
    _child, cst = rollback(r, sid, "missing")
    assert cst.status == "done" and cst.answer == st.answer
    assert list(r.store.load(sid)) == before  # the original is untouched
    with pytest.raises(FlowError, match="never entered"):
        rollback(r, sid, "nowhere")


def test_bad_inputs_are_refused_before_anything_is_written(make_runner):
    r = make_runner()
    with pytest.raises(FlowError, match="unknown input"):
        run_flow(r, flow(), {"speed": 1})
    assert r.store.sessions() == []


@pytest.mark.parametrize("name, kind", [
    ("unknown_tool", "unknown_tool"), ("cycle", "cycle_no_exit"),
    ("unreachable", "unreachable"), ("dead_end", "dead_end"), ("bad_args", "bad_arguments"),
    ("unknown_state", "unknown_state"), ("bad_condition", "bad_template")])
def test_validation_catches_each_defect_class(name, kind):
    problems = validate_flow(load_flow_file(BROKEN / f"{name}.yaml"), mini_registry())
    assert kind in {p.kind for p in problems}, problems
    for p in problems:
        assert str(p).startswith("[")


def test_validation_details():
    problems = [str(p) for p in validate_flow(load_flow_file(BROKEN / "bad_args.yaml"),
                                              mini_registry())]
    assert any("look has no argument 'colour'" in p for p in problems)
    assert any("look.times='many'" in p for p in problems)
    assert any("look needs argument 'what'" in p for p in problems)
    cyc = [str(p) for p in validate_flow(load_flow_file(BROKEN / "cycle.yaml"),
                                         mini_registry())]
    assert any("cycle a -> b -> a never reaches an end state" in p for p in cyc)
    ref = [str(p) for p in validate_flow(load_flow_file(BROKEN / "unknown_state.yaml"),
                                         mini_registry())]
    assert any("results.zz names no state" in p for p in ref)


def test_unloadable_files_give_one_clear_line():
    with pytest.raises(FlowError, match=r"yaml_error.yaml: YAML error at line 7"):
        load_flow_file(BROKEN / "yaml_error.yaml")
    with pytest.raises(FlowError, match="exactly one of tool, decider, human, end"):
        load_flow_file(BROKEN / "not_a_flow.yaml")
    with pytest.raises(FlowError, match=r"(?i)no such file"):
        load_flow_file(BROKEN / "missing.yaml")


def test_graphs_render_even_for_broken_flows():
    for path in [*BROKEN.glob("*.yaml")]:
        try:
            f = load_flow_file(path)
        except FlowError:
            continue
        text = mermaid(f)
        assert text.startswith("flowchart TD") and f.start in text
        picture = svg(f)
        assert picture.startswith("<svg") and picture.count('class="state') == len(f.states)


def test_a_transient_error_retried_by_the_runner_still_counts_for_the_state(make_runner):
    text = """
name: flaky
start: a
states:
  a: {tool: flaky, args: {rate: 0.3}, next: fin}
  fin: {end: {answer: "{{ results.a.growth_rate }}"}}
"""
    r = make_runner()
    r.sleep = lambda s: None
    st = run_flow(r, flow(text))
    thread = r.store.load(st.session_id)
    assert [e.data.get("by") for e in thread.of_type("tool_call")] == ["flow:flaky", "retry"]
    assert st.status == "done" and st.answer == "0.3"


def test_a_flow_cannot_start_in_a_session_that_waits(make_runner):
    r = make_runner()
    st = run_flow(r, flow(HUMAN))
    n = len(r.store.load(st.session_id))
    with pytest.raises(FlowError, match="is waiting_for_human; finish or fork it first"):
        run_flow(r, flow(), session_id=st.session_id)
    assert len(r.store.load(st.session_id)) == n


def test_flows_contact_people_through_the_human_tools(make_runner):
    text = """
name: people
start: pick
states:
  pick:
    tool: request_human_input
    args: {question: "Which nutrient?", kind: choice, options: [glucose, acetate]}
    next: sign_off
  sign_off:
    tool: request_approval
    args: {action: "test {{ results.pick.answer }}", reason: "costly experiment"}
    on_error: refused
    next: run
  run: {tool: look, args: {what: "{{ results.pick.answer }}"}, next: fin}
  refused: {end: {answer: "not approved"}}
  fin: {end: {answer: "looked at {{ results.run.seen }}"}}
"""
    assert validate_flow(flow(text), mini_registry()) == []
    r = make_runner()
    st = run_flow(r, flow(text))
    assert st.status == "waiting_for_human"
    st = sessions.respond(r, st.session_id, "acetate")
    assert st.status == "waiting_for_approval"
    req = r.store.load(st.session_id).of_type("approval_request")[-1]
    assert req.data["args"]["action"] == "test acetate"
    st = sessions.decide(r, st.session_id, "approve", comment="fine")
    assert st.status == "done" and st.answer == "looked at acetate"
    st = run_flow(r, flow(text))
    st = sessions.respond(r, st.session_id, "1")
    st = sessions.decide(r, st.session_id, "reject", comment="too costly")
    assert st.answer == "not approved"
