"""A process that starts the damage-and-repair flow, reports the session once it waits for
approval, then stays alive "waiting" (as a chat or UI process would) until it is killed.

Usage: python proc_wait.py DATA_DIR; prints {"session_id", "status", "events"} as one line.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.flows.run import run_flow
from fluxagent.flows.schema import load_flow_file

if __name__ == "__main__":
    agent = Agent(settings=Settings(data_dir=Path(sys.argv[1])))
    flow = load_flow_file(Path(__file__).with_name("damage_flow.yaml"))
    state = run_flow(agent.runner, flow, {})
    print(json.dumps({"session_id": state.session_id, "status": state.status,
                      "events": len(agent.thread(state.session_id))}), flush=True)
    time.sleep(600)
