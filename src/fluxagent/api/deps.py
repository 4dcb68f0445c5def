"""What every route needs: the server's one agent, its runs, and the owner check."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request

from fluxagent.agent import Agent
from fluxagent.api.auth import Principal, RateLimiter
from fluxagent.api.runs import Run, RunManager
from fluxagent.api.schemas import Accepted, Problem, RunOut
from fluxagent.cli.render import as_json
from fluxagent.config import Settings
from fluxagent.core.state import fold
from fluxagent.store.access import AccessStore

Wait = Annotated[float, Query(ge=0, le=600, description="Seconds to wait for the run to "
                              "finish (200 with the session); 0: answer 202 at once.")]
#: The error answers every route may give, for the OpenAPI schema.
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": why} for code, why in (
        (400, "bad input (one line)"), (401, "no, unknown, expired or revoked token"),
        (403, "the token lacks the scope"), (404, "unknown, or another owner's"),
        (409, "conflicts with the session's state"), (413, "body too large"),
        (429, "rate limit reached"))}


@dataclass
class ApiState:
    settings: Settings
    agent: Agent
    access: AccessStore
    limiter: RateLimiter
    runs: RunManager

    @property
    def runner(self) -> Any:
        return self.agent.runner

    @property
    def key(self) -> bytes:
        """The installation key exports are signed with (store/keys.py)."""
        from fluxagent.store.keys import installation_key
        return installation_key(self.settings)


async def api(request: Request) -> ApiState:
    """The server's state (async: a plain attribute read needs no trip to a worker thread)."""
    state: ApiState = request.app.state.api
    return state


def visible(st: ApiState, principal: Principal, session_id: str) -> str | None:
    """The session's owner; 404 if it does not exist or the principal may not see it."""
    if not st.agent.store.exists(session_id):
        raise HTTPException(404, f"no session {session_id!r}")
    owner = st.access.owner(session_id)
    if not principal.may_see(owner):
        raise HTTPException(404, f"no session {session_id!r}")
    return owner


def owned_ids(st: ApiState, principal: Principal) -> set[str] | None:
    """The session ids the principal may list (None: all)."""
    if principal.admin:
        return None
    return {sid for sid, owner in st.access.owners().items() if owner == principal.owner}


def run_out(run: Run) -> RunOut:
    return RunOut(**run.public())


def accepted(st: ApiState, run: Run, wait: float) -> tuple[int, Accepted]:
    """202 with the run; 200 with the finished session if it finished within ``wait`` s."""
    if wait > 0 and run.done.wait(wait):
        thread = st.agent.store.load(run.session_id)
        doc = as_json(thread, fold(thread), events=False)
        return 200, Accepted(session_id=run.session_id, run=run_out(run), session=doc)
    return 202, Accepted(session_id=run.session_id, run=run_out(run))
