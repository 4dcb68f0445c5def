"""``fluxagent ask``, ``chat`` and the human channel: ``respond``, ``approve``, ``reject``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from fluxagent.cli.common import cli_errors, make_agent
from fluxagent.cli.render import as_json, err, print_json, show_state
from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState


def _finish(thread: Thread, state: SessionState, as_json_flag: bool) -> None:
    if as_json_flag:
        print_json(as_json(thread, state))
    else:
        show_state(thread, state)
    if state.status == "failed":
        raise typer.Exit(2)


def model_option(model: str | None) -> str | None:
    """``--model`` as the shell means it: an existing file relative to the working directory
    becomes an absolute path (the path policy then decides whether it may be read)."""
    if model and not model.startswith("file:"):
        p = Path(model).expanduser()
        if p.is_file() and not p.is_absolute():
            return str(p.absolute())
    return model


def register(app: typer.Typer) -> None:
    @app.command()
    def ask(question: Annotated[str, typer.Argument(help="The question, in plain language "
                                                    "('-' reads it from stdin).")],
            model: Annotated[str | None, typer.Option(help="Model id or file (default: the "
                                                      "session's model, else e_coli_core).")]
            = None,
            session: Annotated[str | None, typer.Option(help="Continue this session.")] = None,
            json_out: Annotated[bool, typer.Option("--json", help="Print the JSON contract.")]
            = False) -> None:
        """Ask one question and print the answer with the tool calls behind it."""
        with cli_errors():
            if question == "-":
                question = sys.stdin.read()
            agent = make_agent(quiet=json_out)
            if session is not None:
                agent.thread(session)  # continuing an unknown session is an error
            state = agent.ask(question, model=model_option(model), session_id=session)
            _finish(agent.thread(state.session_id), state, json_out)

    @app.command()
    def chat(session: Annotated[str | None, typer.Option(help="Continue this session.")] = None,
             model: Annotated[str | None, typer.Option(help="Model for the first question.")]
             = None) -> None:
        """A multi-turn conversation in one session (empty line or Ctrl-D ends it)."""
        with cli_errors():
            agent = make_agent()
            sid, first = session, True
            while True:
                try:
                    line = input("you> ").strip()
                except EOFError:
                    break
                if not line:
                    break
                state = agent.state(sid) if sid else None
                if state and state.status == "waiting_for_human":
                    state = agent.respond(sid, line)  # type: ignore[arg-type]
                else:
                    state = agent.ask(line, model=model_option(model) if first else None,
                                      session_id=sid)  # a file is imported once
                    first = False
                sid = state.session_id
                show_state(agent.thread(sid), state)
            if sid:
                err.print(f"session {sid}")

    @app.command()
    def respond(session: str, text: str,
                json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Answer the question a waiting session asked."""
        with cli_errors():
            agent = make_agent(quiet=json_out)
            state = agent.respond(session, text)
            _finish(agent.thread(session), state, json_out)

    @app.command()
    def approve(session: str,
                call: Annotated[str | None, typer.Option(help="The approval request id.")]
                = None,
                comment: Annotated[str, typer.Option()] = "",
                args: Annotated[str | None, typer.Option(help="Edited arguments as JSON.")]
                = None,
                json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Approve the pending tool call (optionally with edited arguments) and continue."""
        with cli_errors():
            try:
                edited = json.loads(args) if args is not None else None
            except json.JSONDecodeError as exc:
                raise ValueError(f"--args is not valid JSON: {exc}") from None
            agent = make_agent(quiet=json_out)
            state = agent.approve(session, call_id=call, comment=comment, args=edited)
            _finish(agent.thread(session), state, json_out)

    @app.command()
    def reject(session: str,
               comment: Annotated[str, typer.Option(help="Why; the agent reads it.")] = "",
               call: Annotated[str | None, typer.Option(help="The approval request id.")]
               = None,
               json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
        """Reject the pending tool call; the comment goes back to the decider."""
        with cli_errors():
            agent = make_agent(quiet=json_out)
            state = agent.reject(session, comment, call_id=call)
            _finish(agent.thread(session), state, json_out)
