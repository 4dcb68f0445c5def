"""Background runs through real HTTP: ask -> 202 -> SSE -> the answer `fluxagent ask` gives;
an approval-gated gapfill approved through the API; double-texting with each policy."""

from __future__ import annotations

import json
import threading
from typing import Any

import httpx
import pytest
from serving import Server, fluxagent, server_env

from fluxagent.client import Client

QUESTION = "How fast does e_coli_core grow without oxygen?"
pytestmark = pytest.mark.slow


def sse(client: httpx.Client, session_id: str, after: int = -1) -> list[tuple[str, Any]]:
    """Every SSE message of the session until the server says it is idle."""
    out: list[tuple[str, Any]] = []
    with client.stream("GET", f"/sessions/{session_id}/stream", params={"after": after},
                       timeout=httpx.Timeout(10, read=300)) as resp:
        assert resp.status_code == 200
        assert resp.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                out.append((kind, json.loads(line[6:])))
    assert out and out[-1][0] == "end"
    return out


def calls(events: list[dict[str, Any]]) -> list[tuple[str, str, bool, str]]:
    """(tool, args, ok, summary) of each tool call, from events."""
    results = {e["call_id"]: e for e in events if e["type"] in ("tool_result", "tool_error")}
    return [(e["data"]["name"], json.dumps(e["data"]["args"], sort_keys=True),
             results[e["call_id"]]["type"] == "tool_result",
             results[e["call_id"]]["data"].get("summary", ""))
            for e in events if e["type"] == "tool_call"]


def test_ask_returns_202_and_the_stream_shows_the_cli_answer(open_server: Server,
                                                             tmp_path) -> None:
    with open_server.client() as http:
        resp = http.post("/sessions", json={"question": QUESTION})
        assert resp.status_code == 202, resp.text
        body = resp.json()
        sid = body["session_id"]
        assert body["run"]["status"] in ("queued", "running") and body["run"]["run_id"]
        stream = sse(http, sid)
        run = http.get(f"/sessions/{sid}/runs/{body['run']['run_id']}").json()
    events = [d for k, d in stream if k == "event"]
    assert [e["seq"] for e in events] == list(range(len(events)))  # no gap, no repeat
    assert events[0]["type"] == "user_message" and events[0]["data"]["text"] == QUESTION
    finals = [e for e in events if e["type"] == "final_answer"]
    assert len(finals) == 1 and run["run"]["status"] == "done"
    assert stream[-1][1]["status"] == "done"
    assert any(k == "run" and d["status"] == "done" for k, d in stream)
    # the same question through the CLI, in its own data dir, on its own
    local = fluxagent("ask", "--json", QUESTION, env=server_env(tmp_path / "cli"))
    assert local.returncode == 0, local.stderr
    cli = json.loads(local.stdout)
    assert finals[0]["data"]["answer"] == cli["answer"]
    assert "0.211663" in cli["answer"]
    assert calls(events) == calls(cli["events"])
    assert [c[0] for c in calls(events)][-1] == "run_fba"


def test_cli_against_the_server_prints_the_local_json_contract(open_server: Server,
                                                               tmp_path) -> None:
    env = server_env(tmp_path / "laptop", FLUXAGENT_SERVER_URL=open_server.url)
    remote = fluxagent("ask", "--json", QUESTION, env=env)
    assert remote.returncode == 0, remote.stderr
    doc = json.loads(remote.stdout)
    from fluxagent.cli.render import as_json
    from fluxagent.core.events import Thread
    from fluxagent.core.state import SessionState
    assert set(doc) == set(as_json(Thread("x"), SessionState(session_id="x")))  # the contract
    assert doc["status"] == "done" and "0.211663" in doc["answer"]
    assert not (tmp_path / "laptop").exists()  # nothing ran or was stored on the laptop
    with Client(open_server.url) as client:  # the session lives on the server
        assert client.session(doc["session_id"])["answer"] == doc["answer"]
    # continuing the session from the laptop; its events arrive in order
    more = fluxagent("ask", "--json", "--session", doc["session_id"], "and with oxygen?",
                     env=env)
    assert more.returncode == 0, more.stderr
    cont = json.loads(more.stdout)
    assert cont["session_id"] == doc["session_id"] and cont["status"] == "done"
    assert len(cont["events"]) > len(doc["events"])
    unknown = fluxagent("ask", "--session", "nosuchsession", "hi", env=env)
    assert unknown.returncode == 1 and "no session" in unknown.stderr


def test_gapfill_waits_for_approval_then_finishes_when_approved(open_server: Server) -> None:
    with open_server.client() as http:
        resp = http.post("/flows/damage_and_repair/run", json={})
        assert resp.status_code == 202, resp.text
        sid = resp.json()["session_id"]
        stream = sse(http, sid)
        assert stream[-1][1]["status"] == "waiting_for_approval"
        events = [d for k, d in stream if k == "event"]
        assert not [e for e in events if e["type"] in ("tool_result", "tool_error")
                    and e["data"]["tool"] == "gapfill"]  # chosen, never run unapproved
        pending = http.get("/humans/pending").json()["requests"]
        mine = [r for r in pending if r["session_id"] == sid]
        assert len(mine) == 1 and mine[0]["tool"] == "gapfill"
        bad = http.post(f"/sessions/{sid}/approve", json={"args": {"min_growth": "lots"}})
        assert bad.status_code == 409 and "invalid" in bad.json()["detail"]
        live: list[tuple[str, Any]] = []
        connected = threading.Event()

        def follow() -> None:  # the live stream of the continuation, as a UI would see it
            with httpx.Client(base_url=open_server.url, timeout=None) as c, c.stream(
                    "GET", f"/sessions/{sid}/stream", params={"follow": True}) as resp:
                kind = None
                for line in resp.iter_lines():
                    if line.startswith("event: "):
                        kind = line[7:]
                    elif line.startswith("data: "):
                        live.append((kind, json.loads(line[6:])))
                        connected.set()  # replay started: the subscription is in place
                        if kind == "event" and live[-1][1]["type"] == "final_answer":
                            return

        reader = threading.Thread(target=follow, daemon=True)
        reader.start()
        assert connected.wait(60)
        ok = http.post(f"/sessions/{sid}/approve", params={"wait": 590},
                       json={"comment": "fill it", "call_id": mine[0]["call_id"]})
        assert ok.status_code == 200, ok.text
        assert ok.json()["session"]["status"] == "done"
        reader.join(60)
        thread = http.get(f"/sessions/{sid}/events").json()["events"]
    progress = [d for k, d in live if k == "progress"]
    assert progress, "the gapfill's progress never reached the stream"
    assert any("universal reaction set" in d["message"] for d in progress)
    assert all(0.0 <= d["fraction"] <= 1.0 and d["run_id"] == ok.json()["run"]["run_id"]
               for d in progress)
    assert [e["seq"] for k, e in live if k == "event"] == list(range(len(thread)))
    decision = [e for e in thread if e["type"] == "approval_decision"]
    assert len(decision) == 1 and decision[0]["data"]["decision"] == "approve"
    assert decision[0]["data"]["by"] == "local"
    assert [e for e in thread if e["type"] == "tool_result" and e["data"]["tool"] == "gapfill"]
    assert thread[-1]["type"] == "final_answer"
    with open_server.client() as http:
        again = http.post(f"/sessions/{sid}/approve", json={})
        assert again.status_code == 409 and "no open approval" in again.json()["detail"]


def _turns(events: list[dict[str, Any]]) -> list[list[str]]:
    """Event types per turn (a turn starts at a user message)."""
    turns: list[list[str]] = []
    for e in events:
        if e["type"] == "user_message":
            turns.append([])
        if turns:
            turns[-1].append(e["type"])
    return turns


SLOW = "Which genes are essential in iJO1366 without oxygen?"


def _started(http: httpx.Client, question: str) -> tuple[str, threading.Event]:
    """A session running ``question``, and an event set once its first tool call is stored
    (so the run is certainly in progress)."""
    sid = http.post("/sessions", json={}).json()["session_id"]
    seen = threading.Event()

    def watch() -> None:
        with httpx.Client(base_url=str(http.base_url), timeout=None) as c, c.stream(
                "GET", f"/sessions/{sid}/stream", params={"follow": True}) as resp:
            for line in resp.iter_lines():
                if line.startswith("data: ") and '"type":"tool_call"' in line:
                    seen.set()
                    return

    threading.Thread(target=watch, daemon=True).start()
    assert http.post(f"/sessions/{sid}/messages", json={"question": question}).status_code \
        == 202
    assert seen.wait(120), "the first run never started a tool"
    return sid, seen


def test_double_text_enqueue_runs_after_without_interleaving(open_server: Server) -> None:
    with open_server.client() as http:
        sid, _ = _started(http, SLOW)
        second = http.post(f"/sessions/{sid}/messages", json={"question": QUESTION})
        assert second.status_code == 202 and second.json()["run"]["status"] == "queued"
        sse(http, sid)
        events = http.get(f"/sessions/{sid}/events", params={"limit": 1000}).json()["events"]
    turns = _turns(events)
    assert len(turns) == 2 and all(t[-1] == "final_answer" for t in turns)
    texts = [e["data"]["text"] for e in events if e["type"] == "user_message"]
    assert texts == [SLOW, QUESTION]


def test_double_text_reject_is_409_and_nothing_is_stored(open_server: Server) -> None:
    with open_server.client() as http:
        sid, _ = _started(http, SLOW)
        refused = http.post(f"/sessions/{sid}/messages",
                            json={"question": QUESTION, "policy": "reject"})
        assert refused.status_code == 409 and "in progress" in refused.json()["detail"]
        sse(http, sid)
        events = http.get(f"/sessions/{sid}/events", params={"limit": 1000}).json()["events"]
    assert [e["data"]["text"] for e in events if e["type"] == "user_message"] == [SLOW]
    assert events[-1]["type"] == "final_answer"


def test_double_text_interrupt_stops_at_the_next_step_then_answers(open_server: Server
                                                                   ) -> None:
    with open_server.client() as http:
        sid, _ = _started(http, SLOW)
        new = http.post(f"/sessions/{sid}/messages",
                        json={"question": QUESTION, "policy": "interrupt"})
        assert new.status_code == 202
        sse(http, sid)
        events = http.get(f"/sessions/{sid}/events", params={"limit": 1000}).json()["events"]
        first_run = [r for r in (http.get(f"/sessions/{sid}").json(),)]
    turns = _turns(events)
    assert len(turns) == 2
    assert "final_answer" not in turns[0]  # the first turn was stopped...
    assert turns[0][-1] == "annotation"  # ...after a stored step, and says so
    stop = [e for e in events if e["type"] == "annotation"][-1]
    assert stop["data"]["kind"] == "interrupted"
    assert stop["data"]["by_run"] == new.json()["run"]["run_id"]
    calls_ = [e for e in events if e["type"] == "tool_call"]
    done = {e["call_id"] for e in events if e["type"] in ("tool_result", "tool_error")}
    first_turn_calls = [c for c in calls_ if c["seq"] < stop["seq"]]
    assert all(c["call_id"] in done for c in first_turn_calls[:-1])  # never cut mid-tool
    assert turns[1][-1] == "final_answer" and first_run[0]["status"] == "done"
    assert [e["data"]["text"] for e in events if e["type"] == "user_message"] == \
        [SLOW, QUESTION]


def test_pause_holds_the_queue_until_resumed(open_server: Server) -> None:
    with open_server.client() as http:
        sid, _ = _started(http, SLOW)
        assert http.post(f"/sessions/{sid}/pause", json={"reason": "lunch"}).status_code == 200
        queued = http.post(f"/sessions/{sid}/messages", json={"question": QUESTION})
        assert queued.status_code == 202
        sse(http, sid)  # ends when the run stopped and the queue is held
        state = http.get(f"/sessions/{sid}").json()
        assert state["status"] == "paused"
        texts = [e["data"]["text"] for e in http.get(f"/sessions/{sid}/events",
                                                      params={"limit": 1000}).json()["events"]
                 if e["type"] == "user_message"]
        assert texts == [SLOW]  # the queued question waits
        assert http.post(f"/sessions/{sid}/resume").status_code == 202
        sse(http, sid)
        events = http.get(f"/sessions/{sid}/events", params={"limit": 1000}).json()["events"]
    assert [e["data"]["text"] for e in events if e["type"] == "user_message"] == \
        [SLOW, QUESTION]
    assert events[-1]["type"] == "final_answer"


def test_sessions_list_filter_page_fork_export_import(open_server: Server) -> None:
    with open_server.client() as http:
        done = http.post("/sessions", params={"wait": 590},
                         json={"question": QUESTION}).json()
        sid = done["session_id"]
        assert done["session"]["status"] == "done"
        listed = http.get("/sessions", params={"status": "done", "q": "without OXYGEN",
                                               "model": "e_coli_core"}).json()["sessions"]
        assert sid in [s["session_id"] for s in listed]
        assert sid not in [s["session_id"] for s in http.get(
            "/sessions", params={"status": "waiting_for_approval"}).json()["sessions"]]
        assert sid not in [s["session_id"] for s in http.get(
            "/sessions", params={"since": "2999-01-01T00:00:00Z"}).json()["sessions"]]
        page1 = http.get(f"/sessions/{sid}/events", params={"limit": 3}).json()
        assert [e["seq"] for e in page1["events"]] == [0, 1, 2] and page1["next_after"] == 2
        page2 = http.get(f"/sessions/{sid}/events",
                         params={"after": page1["next_after"], "limit": 1000}).json()
        assert page2["events"][0]["seq"] == 3 and page2["next_after"] is None
        child = http.post(f"/sessions/{sid}/fork", json={"at_seq": 1}).json()["session_id"]
        assert len(http.get(f"/sessions/{child}/events").json()["events"]) == 2
        doc = http.get(f"/sessions/{sid}/export").json()
        assert doc["signature"]["alg"] == "hmac-sha256"  # signed with the installation key
        copy = http.post("/sessions/import", json=doc)
        assert copy.status_code == 201
        copied = http.get(f"/sessions/{copy.json()['session_id']}/events",
                          params={"limit": 1000}).json()["events"]
        assert copied[-1]["type"] == "session_imported"
        assert copied[-1]["data"]["trusted"] is True  # signed by this server: trusted
        assert http.get(f"/sessions/{copy.json()['session_id']}").json()["answer"] == \
            done["session"]["answer"]
        unsigned = http.post("/sessions/import", json={k: v for k, v in doc.items()
                                                       if k != "signature"})
        assert unsigned.status_code == 201
        mark = http.get(f"/sessions/{unsigned.json()['session_id']}/events",
                        params={"limit": 1000}).json()["events"][-1]["data"]
        assert mark["signature"] == "missing" and mark["trusted"] is False
        doc["events"][0]["data"]["text"] = "tampered"
        tampered = http.post("/sessions/import", json=doc)
        assert tampered.status_code == 400 and "checksum" in tampered.json()["detail"]
        empty = http.post("/sessions", json={})
        assert empty.status_code == 201 and empty.json()["session_id"]


def test_tools_flows_artifacts_and_health(open_server: Server) -> None:
    with open_server.client() as http:
        tools = {t["name"]: t for t in http.get("/tools").json()}
        assert tools["run_fba"]["parameters"]["type"] == "object"
        assert tools["gapfill"]["approval"] is True
        fba = http.post("/tools/run_fba/run", json={"args": {"model": "e_coli_core"}}).json()
        assert fba["ok"] is True and abs(fba["data"]["growth_rate"] - 0.873922) < 1e-5
        bad = http.post("/tools/run_fba/run", json={"args": {"model": "nosuchmodel"}}).json()
        assert bad["ok"] is False and bad["kind"] == "model_not_loaded"
        assert http.post("/tools/nosuch/run", json={}).status_code == 404
        plot = http.post("/tools/plot/run", json={"args": {
            "model": "e_coli_core", "kind": "flux_distribution", "png": False}}).json()
        flows = {f["name"] for f in http.get("/flows").json()}
        assert "damage_and_repair" in flows
        assert http.get("/flows/damage_and_repair").json()["start"] == "damage"
        check = http.post("/flows/validate", json={"yaml": "name: x\nstart: a\nstates:\n"
                                                   "  a: {tool: no_such_tool, next: a}\n"})
        assert check.status_code == 200 and check.json()["valid"] is False
        assert http.get("/flows/../../etc/passwd").status_code == 404
        assert http.get("/healthz").json()["status"] == "ok"
        assert http.get("/readyz").json()["status"] == "ready"
        assert "/sessions/{session_id}/stream" in http.get("/openapi.json").json()["paths"]
        assert http.get("/docs").status_code == 200
        if plot.get("ok") and plot.get("artifacts"):
            art = plot["artifacts"][0]
            got = http.get(f"/artifacts/{art['sha256']}")
            assert got.status_code == 200 and got.headers["content-type"].startswith(
                art["media_type"].split(";")[0])
            assert "sandbox" in got.headers["content-security-policy"]
        else:
            pytest.fail(f"the plot tool made no artifact: {plot}")
        assert http.get("/artifacts/" + "0" * 64).status_code == 404
        assert http.get("/artifacts/not-a-hash").status_code == 404


def test_python_agent_targets_the_server(open_server: Server, tmp_path) -> None:
    from fluxagent.agent import Agent
    from fluxagent.config import Settings
    seen: list[str] = []
    agent = Agent(settings=Settings(server_url=open_server.url, data_dir=tmp_path / "none"),
                  listeners=[lambda ev: seen.append(ev.type)])
    state = agent.ask(QUESTION)
    assert state.status == "done" and "0.211663" in (state.answer or "")
    assert seen[0] == "user_message" and seen[-1] == "final_answer"
    assert agent.thread(state.session_id)[-1].type == "final_answer"
    child = agent.fork(state.session_id, 1)
    assert len(agent.thread(child)) == 2
    assert not (tmp_path / "none").exists()


def test_reject_with_comment_and_approve_with_edited_arguments(open_server: Server) -> None:
    with open_server.client() as http:
        rejected = http.post("/flows/damage_and_repair/run", params={"wait": 590}, json={})
        sid = rejected.json()["session_id"]
        assert rejected.json()["session"]["status"] == "waiting_for_approval"
        done = http.post(f"/sessions/{sid}/reject", params={"wait": 590},
                         json={"comment": "no <b>gap filling</b> today"})
        assert done.status_code == 200, done.text
        events = http.get(f"/sessions/{sid}/events").json()["events"]
        decision = [e for e in events if e["type"] == "approval_decision"]
        assert decision[0]["data"]["decision"] == "reject"
        assert decision[0]["data"]["comment"] == "no <b>gap filling</b> today"
        assert not [e for e in events if e["type"] == "tool_result"
                    and e["data"]["tool"] == "gapfill"]

        edited = http.post("/flows/damage_and_repair/run", params={"wait": 590}, json={})
        sid = edited.json()["session_id"]
        ok = http.post(f"/sessions/{sid}/approve", params={"wait": 590},
                       json={"args": {"min_growth": 0.06}, "comment": "a bit more"})
        assert ok.status_code == 200 and ok.json()["session"]["status"] == "done", ok.text
        events = http.get(f"/sessions/{sid}/events").json()["events"]
    decision = next(e for e in events if e["type"] == "approval_decision")
    assert decision["data"]["args"] == {"min_growth": 0.06}
    ran = [e for e in events if e["type"] == "tool_result" and e["data"]["tool"] == "gapfill"]
    assert len(ran) == 1 and ran[0]["data"]["provenance"]["parameters"]["min_growth"] == 0.06


@pytest.mark.postgres
def test_serve_on_postgresql(pg_fresh_url: str, tmp_path) -> None:
    from serving import start_server, stop
    server = start_server(tmp_path / "pgdata", FLUXAGENT_DATABASE_URL=pg_fresh_url)
    try:
        with server.client() as http:
            made = http.post("/sessions", params={"wait": 590}, json={"question": QUESTION})
            assert made.status_code == 200, made.text
            assert "0.211663" in made.json()["session"]["answer"]
            listed = http.get("/sessions").json()["sessions"]
            assert [s["session_id"] for s in listed] == [made.json()["session_id"]]
    finally:
        stop(server)
    assert not (tmp_path / "pgdata" / "fluxagent.db").exists()  # it used PostgreSQL


def test_a_killed_server_redoes_what_it_had_accepted(tmp_path) -> None:
    """The run in progress and the message queued behind it survive a SIGKILL: the restarted
    server finishes the first from its stored events and then runs the second, once each."""
    from serving import start_server, stop
    data = tmp_path / "data"
    first = start_server(data)
    try:
        with first.client() as http:
            sid, _ = _started(http, SLOW)
            queued = http.post(f"/sessions/{sid}/messages", json={"question": QUESTION})
            assert queued.status_code == 202 and queued.json()["run"]["status"] == "queued"
            before = http.get(f"/sessions/{sid}/events").json()["events"]
    finally:
        first.proc.kill()
        first.proc.wait(timeout=30)
    assert before[-1]["type"] != "final_answer"  # killed mid-run
    second = start_server(data)
    try:
        with second.client() as http:
            sse(http, sid)
            events = http.get(f"/sessions/{sid}/events", params={"limit": 1000}).json()
            run = http.get(f"/sessions/{sid}/runs/{queued.json()['run']['run_id']}").json()
    finally:
        stop(second)
    events = events["events"]
    assert events[:len(before)] == before  # nothing stored was changed
    assert [e["data"]["text"] for e in events if e["type"] == "user_message"] == \
        [SLOW, QUESTION]
    turns = _turns(events)
    assert all(t[-1] == "final_answer" and t.count("final_answer") == 1 for t in turns)
    assert run["run"]["status"] == "done"
