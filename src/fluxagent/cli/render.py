"""Readable and JSON renderings of a session for the command line."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fluxagent.core.events import Event, Thread
from fluxagent.core.state import SessionState
from fluxagent.render.escape import md_safe, plain, terminal
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


def as_json(thread: Thread, state: SessionState, *, events: bool = True) -> dict[str, Any]:
    """The stable ``fluxagent ask --json`` contract of DESIGN.md (``events=False``: without
    the events, for answers that leave them out rather than dump and drop them)."""
    understood, unresolved = interpretation(thread)
    doc = {"session_id": thread.session_id, "status": state.status,
           "answer": state.answer, "interpretation": understood, "unresolved": unresolved,
           "tool_calls": tool_calls(thread),
           "usage": {"prompt_tokens": state.prompt_tokens,
                     "completion_tokens": state.completion_tokens}}
    if events:
        doc["events"] = [ev.model_dump(mode="json") for ev in thread]
    return doc


def print_json(doc: Any) -> None:
    print(json.dumps(doc, indent=1, default=str))


def _short(value: Any, width: int = 60) -> str:
    text = json.dumps(value, separators=(",", ":"), default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def t(value: Any, width: int | None = None) -> str:
    """User data (names, ids, summaries, messages) inside a Rich markup string: one line, no
    markup, no control characters; cut to ``width`` characters before escaping."""
    text = plain("" if value is None else value, multiline=False)
    return terminal(text if width is None or len(text) <= width else text[:width])


def cell(value: Any, width: int | None = None, *, multiline: bool = False) -> Text:
    """A table cell or panel body holding user data as text (never parsed as markup)."""
    text = plain("" if value is None else value, multiline=multiline)
    return Text(text if width is None or len(text) <= width else text[:width])


def event_line(ev: Event) -> str | None:
    """One line of live progress for stderr (Rich markup; every data field escaped)."""
    d = ev.data
    if ev.type == "tool_call":
        return f"[cyan]→ {t(d.get('name'))}[/] {t(_short(d.get('args', {})))}"
    if ev.type == "tool_result":
        return f"[green]✓ {t(d.get('tool'))}[/] {t(d.get('summary', ''), 100)}"
    if ev.type == "tool_error":
        return (f"[red]✗ {t(d.get('tool'))}[/] {t(d.get('kind'))}: "
                f"{t(d.get('message', ''), 100)}")
    if ev.type == "approval_request":
        return (f"[yellow]⏸ approval needed for {t(d.get('tool'))}[/] "
                f"(call {t(ev.call_id)})")
    if ev.type == "human_request":
        return f"[yellow]? {t(d.get('question'))}[/]"
    if ev.type == "flow_transition" and d.get("to"):
        return f"[magenta]» {t(d.get('flow'))}: {t(d.get('to'))}[/]"
    if ev.type == "agent_handoff":
        return f"[magenta]» {t(d.get('to'))} agent[/] [dim]({t(d.get('reason', ''))})[/]"
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
            table.add_row("[green]✓[/]" if c["ok"] else "[red]✗[/]", cell(c["tool"]),
                          cell(_short(c["args"], 80)), cell(c["summary"]))
        out.print(table)
    sid = plain(thread.session_id, multiline=False)
    if state.status == "done" and state.answer is not None:
        # one answer line per line on screen (the "Understood:" and flag lines stand apart)
        lines = md_safe(state.answer).replace("\n", "  \n")
        out.print(Panel(Markdown(lines, hyperlinks=False), title="Answer",
                        border_style="green"))
    elif state.status == "waiting_for_approval":
        call = state.pending_call
        body = Text(plain(f"{call.name if call else '?'} "
                          f"{_short(call.args if call else {}, 200)}"))
        body.append(f"\n\nfluxagent approve {sid}   or   fluxagent reject {sid} "
                    "--comment '...'")
        out.print(Panel(body, title="Waiting for approval", border_style="yellow"))
    elif state.status == "waiting_for_human":
        q = next((ev.data for ev in reversed(thread.events) if ev.type == "human_request"), {})
        opts = f"\noptions: {', '.join(map(str, q.get('options', [])))}" \
            if q.get("options") else ""
        body = Text(plain(f"{q.get('question')}{opts}"))
        body.append(f"\n\nfluxagent respond {sid} '...'")
        out.print(Panel(body, title="Question for you", border_style="yellow"))
    else:
        out.print(Text(plain(f"status: {state.status}"
                             + (f" ({state.failure})" if state.failure else ""))))
    err.print(f"[dim]session {t(sid)} · {len(thread)} events · "
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
            self._task = self._progress.add_task(t(message), total=1.0)
        self._progress.update(self._task, completed=fraction, description=t(message))
        if fraction >= 1.0:
            self.close()

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None
