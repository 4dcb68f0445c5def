"""Readable and JSON renderings of a session for the command line."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from fluxagent.core.events import Event, Thread
from fluxagent.core.state import SessionState
from fluxagent.runtime.interpretation import interpretation

out = Console()
err = Console(stderr=True)


def tool_calls(thread: Thread) -> list[dict[str, Any]]:
    """Each tool call of the session with its outcome (the ``ask --json`` shape)."""
    results = {ev.call_id: ev for ev in thread if ev.type in ("tool_result", "tool_error")}
    calls = []
    for ev in thread.of_type("tool_call"):
        res = results.get(ev.call_id)
        rd = res.data if res else {}
        calls.append({"tool": ev.data.get("name"), "args": ev.data.get("args", {}),
                      "ok": bool(res and res.type == "tool_result"),
                      "summary": rd.get("summary") or (
                          f"{rd.get('kind')}: {rd.get('message')}" if res else "not run"),
                      "data": rd.get("data", {})})
    return calls


def as_json(thread: Thread, state: SessionState) -> dict[str, Any]:
    """The stable ``fluxagent ask --json`` contract of DESIGN.md."""
    understood, unresolved = interpretation(thread)
    return {"session_id": thread.session_id, "status": state.status,
            "answer": state.answer, "interpretation": understood, "unresolved": unresolved,
            "tool_calls": tool_calls(thread),
            "usage": {"prompt_tokens": state.prompt_tokens,
                      "completion_tokens": state.completion_tokens},
            "events": [ev.model_dump(mode="json") for ev in thread]}


def print_json(doc: Any) -> None:
    print(json.dumps(doc, indent=1, default=str))


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, separators=(",", ":"), default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def event_line(ev: Event) -> str | None:
    """One line of live progress for stderr."""
    d = ev.data
    if ev.type == "tool_call":
        return f"[cyan]→ {d.get('name')}[/] {_short(d.get('args', {}))}"
    if ev.type == "tool_result":
        return f"[green]✓ {d.get('tool')}[/] {d.get('summary', '')[:100]}"
    if ev.type == "tool_error":
        return f"[red]✗ {d.get('tool')}[/] {d.get('kind')}: {d.get('message', '')[:100]}"
    if ev.type == "approval_request":
        return f"[yellow]⏸ approval needed for {d.get('tool')}[/] (call {ev.call_id})"
    if ev.type == "human_request":
        return f"[yellow]? {d.get('question')}[/]"
    if ev.type == "flow_transition" and d.get("to"):
        return f"[magenta]» {d.get('flow')}: {d.get('to')}[/]"
    if ev.type == "agent_handoff":
        return f"[magenta]» {d.get('to')} agent[/] [dim]({d.get('reason', '')})[/]"
    return None


def show_state(thread: Thread, state: SessionState) -> None:
    calls = tool_calls(thread)
    if calls:
        table = Table(title="Tool calls", title_justify="left", expand=True)
        table.add_column("", width=1)
        table.add_column("tool", no_wrap=True)
        table.add_column("args", ratio=1, overflow="ellipsis", no_wrap=True)
        table.add_column("result", ratio=3, overflow="ellipsis", no_wrap=True)
        for c in calls:
            table.add_row("[green]✓[/]" if c["ok"] else "[red]✗[/]", c["tool"],
                          _short(c["args"], 80), c["summary"].replace("\n", " "))
        out.print(table)
    if state.status == "done" and state.answer is not None:
        out.print(Panel(Markdown(state.answer), title="Answer", border_style="green"))
    elif state.status == "waiting_for_approval":
        call = state.pending_call
        out.print(Panel(f"{call.name if call else '?'} {_short(call.args if call else {}, 200)}"
                        f"\n\nfluxagent approve {thread.session_id}   or   "
                        f"fluxagent reject {thread.session_id} --comment '...'",
                        title="Waiting for approval", border_style="yellow"))
    elif state.status == "waiting_for_human":
        q = next((ev.data for ev in reversed(thread.events) if ev.type == "human_request"), {})
        opts = f"\noptions: {', '.join(q.get('options', []))}" if q.get("options") else ""
        out.print(Panel(f"{q.get('question')}{opts}\n\nfluxagent respond {thread.session_id} "
                        "'...'", title="Question for you", border_style="yellow"))
    else:
        out.print(f"status: {state.status}" + (f" ({state.failure})" if state.failure else ""))
    err.print(f"[dim]session {thread.session_id} · {len(thread)} events · "
              f"tokens {state.prompt_tokens}+{state.completion_tokens}[/]")


class ProgressBar:
    """Shows a long tool's progress on stderr (the ToolContext progress callback)."""

    def __init__(self) -> None:
        from rich.progress import Progress
        self._progress = Progress(console=err, transient=True)
        self._task: Any = None

    def __call__(self, fraction: float, message: str) -> None:
        if self._task is None:
            self._progress.start()
            self._task = self._progress.add_task(message, total=1.0)
        self._progress.update(self._task, completed=fraction, description=message)
        if fraction >= 1.0:
            self.close()

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None
