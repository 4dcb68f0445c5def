"""Schedules fire at their time exactly once: on a controlled clock, across restarts (new
processes on the same database), and with two scheduler processes racing on one PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import fold
from fluxagent.store.base import StoreError
from fluxagent.store.triggers import TriggerStore
from fluxagent.triggers import schedules
from fluxagent.triggers.schedules import ScheduleError, make_schedule, tick
from serve_helpers import FLUXAGENT

pytestmark = pytest.mark.timeout(600)

QUESTION = "How fast does e_coli_core grow without oxygen?"
T0 = datetime(2030, 1, 1, 1, 59, 30, tzinfo=UTC)  # the schedule is added here
NIGHT1 = datetime(2030, 1, 1, 2, 0, tzinfo=UTC)


def agent_on(url: str, data_dir: Path) -> Agent:
    return Agent(settings=Settings(data_dir=data_dir, database_url=url))


def add(agent: Agent, name: str, cron: str, **kw: object) -> None:
    TriggerStore.for_store(agent.store).add_schedule(
        make_schedule(agent, name, cron, now=T0, **kw))  # type: ignore[arg-type]


def test_fires_at_its_time_exactly_once(any_store_url: str, tmp_path: Path) -> None:
    agent = agent_on(any_store_url, tmp_path)
    add(agent, "nightly", "0 2 * * *", question=QUESTION)
    assert tick(agent, T0) == []  # created at 01:59:30, nothing due yet
    assert tick(agent, NIGHT1 - timedelta(seconds=1)) == []
    fired = tick(agent, NIGHT1 + timedelta(seconds=5))
    assert [(f.schedule, f.due, f.status) for f in fired] == [("nightly", NIGHT1, "done")]
    state = fold(agent.store.load(fired[0].session_id))
    assert state.question == QUESTION and "0.2116" in (state.answer or "")
    for later in (NIGHT1 + timedelta(seconds=30), NIGHT1 + timedelta(hours=23)):
        assert tick(agent, later) == []  # still the same due time
    second = tick(agent, NIGHT1 + timedelta(days=1, minutes=3))
    assert [f.due for f in second] == [NIGHT1 + timedelta(days=1)]
    runs = TriggerStore.for_store(agent.store).runs("nightly")
    assert [r.due for r in runs] == [NIGHT1, NIGHT1 + timedelta(days=1)]
    assert len(agent.store.sessions()) == 2


def test_a_flow_schedule_and_missed_times(tmp_path: Path) -> None:
    agent = agent_on(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    add(agent, "validation", "0 2 * * *", flow="model_validation",
        inputs={"model": "e_coli_core"})
    # the server was down for three nights: the missed slots fire once, as the latest
    fired = tick(agent, NIGHT1 + timedelta(days=2, hours=5))
    assert [f.due for f in fired] == [NIGHT1 + timedelta(days=2)]
    state = fold(agent.store.load(fired[0].session_id))
    assert state.status == "done" and state.answer.startswith("Validation report for e_coli_core")
    assert tick(agent, NIGHT1 + timedelta(days=2, hours=6)) == []


def test_bad_schedules_are_refused(tmp_path: Path) -> None:
    agent = agent_on(f"sqlite:///{tmp_path / 'db.sqlite'}", tmp_path)
    for kw, why in (({"cron": "61 * * * *", "question": "x"}, "bad cron expression"),
                    ({"cron": "* * *", "question": "x"}, "expected 5 fields"),
                    ({"cron": "0 2 * * *"}, "either a question or a flow"),
                    ({"cron": "0 2 * * *", "flow": "nope"}, "no flow named 'nope'"),
                    ({"cron": "0 2 * * *", "flow": "model_validation",
                      "inputs": {"colour": 1}}, "unknown input")):
        with pytest.raises(ScheduleError, match=why):
            make_schedule(agent, "bad", **kw)  # type: ignore[arg-type]
    add(agent, "once", "0 2 * * *", question=QUESTION)
    with pytest.raises(StoreError, match="exists already"):
        add(agent, "once", "0 3 * * *", question=QUESTION)
    with pytest.raises(StoreError, match="no schedule named 'other'"):
        TriggerStore.for_store(agent.store).remove_schedule("other")
    assert [s.cron for s in TriggerStore.for_store(agent.store).schedules()] == ["0 2 * * *"]


def _cli(data_dir: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    from serve_helpers import server_env
    env = {**server_env(data_dir), "FLUXAGENT_DATABASE_URL": url}
    return subprocess.run([FLUXAGENT, "schedules", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_cli_and_restart_between_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    added = _cli(tmp_path, url, "add", "every5", "--cron", "*/5 * * * *", "--question",
                 QUESTION)
    assert added.returncode == 0, added.stderr
    bad = _cli(tmp_path, url, "add", "x", "--cron", "0 25 * * *", "--question", "q")
    assert bad.returncode == 1 and "bad cron expression" in bad.stderr
    listed = json.loads(_cli(tmp_path, url, "list", "--json").stdout)
    assert [s["name"] for s in listed] == ["every5"]
    created = datetime.fromisoformat(listed[0]["created"])
    due = created.replace(second=0, microsecond=0) + timedelta(minutes=5 - created.minute % 5)
    at = (due + timedelta(seconds=10)).isoformat()
    first = json.loads(_cli(tmp_path, url, "tick", "--now", at).stdout)
    assert [(f["schedule"], f["status"]) for f in first] == [("every5", "done")]
    # a restarted process ticking at the same time finds the claim
    again = _cli(tmp_path, url, "tick", "--now", at)
    assert again.returncode == 0 and json.loads(again.stdout) == []
    last = json.loads(_cli(tmp_path, url, "list", "--json").stdout)[0]["last"]
    assert last["session_id"] == first[0]["session_id"] and last["status"] == "done"
    assert _cli(tmp_path, url, "remove", "every5").returncode == 0
    assert json.loads(_cli(tmp_path, url, "tick", "--now",
                           (due + timedelta(minutes=5)).isoformat()).stdout) == []


def test_server_scheduler_thread_survives_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    clock = [NIGHT1 - timedelta(seconds=1)]
    agent = agent_on(url, tmp_path)
    add(agent, "nightly", "0 2 * * *", question=QUESTION)
    state = SimpleNamespace(agent=agent)
    sched = schedules.start(state, clock=lambda: clock[0], every_s=0.05)
    assert state.scheduler is sched
    time.sleep(0.3)
    assert sched.fired == []
    clock[0] = NIGHT1 + timedelta(seconds=1)
    deadline = time.monotonic() + 60
    while not sched.fired and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)  # more ticks at the same due time
    sched.stop()
    assert [f.due for f in sched.fired] == [NIGHT1] and not sched.errors
    # "restart": a new agent and scheduler on the same database, same due time
    restarted = schedules.start(SimpleNamespace(agent=agent_on(url, tmp_path)),
                                clock=lambda: clock[0], every_s=0.05)
    time.sleep(0.5)
    restarted.stop()
    assert restarted.fired == [] and not restarted.errors
    assert len(TriggerStore.for_store(agent.store).runs()) == 1


RACER = """
import json, sys, time
from datetime import datetime
from pathlib import Path
from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.triggers.schedules import tick
url, data_dir, start_at, *times = sys.argv[1:]
agent = Agent(settings=Settings(data_dir=Path(data_dir), database_url=url))
while time.time() < float(start_at):
    time.sleep(0.005)
fired = []
for t in times:
    fired += [f.due.isoformat() for f in tick(agent, datetime.fromisoformat(t))]
print(json.dumps(fired))
"""


@pytest.mark.postgres
def test_two_servers_on_one_postgres_fire_once(pg_fresh_url: str, tmp_path: Path) -> None:
    agent = agent_on(pg_fresh_url, tmp_path / "setup")
    add(agent, "every_minute", "* * * * *", question=QUESTION)
    times = [(NIGHT1 + timedelta(minutes=m, seconds=s)).isoformat()
             for m in range(3) for s in (1, 20)]
    start_at = str(time.time() + 8)  # both processes start ticking at the same instant
    procs = [subprocess.Popen([sys.executable, "-c", RACER, pg_fresh_url,
                               str(tmp_path / f"server{i}"), start_at, *times],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    outputs = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=400)
        assert p.returncode == 0, stderr[-2000:]
        outputs.append(json.loads(stdout))
    every = sorted(outputs[0] + outputs[1])
    expected = [(NIGHT1 + timedelta(minutes=m)).isoformat() for m in range(3)]
    assert every == expected, outputs  # each due time once, whichever server won it
    runs = TriggerStore.for_store(agent.store).runs("every_minute")
    assert [r.due.isoformat() for r in runs] == expected
    assert len({r.claimed_by for r in runs}) >= 1
    assert len(agent.store.sessions()) == 3
