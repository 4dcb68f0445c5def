"""The evaluation report: a per-case table on the terminal and a JSON file."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fluxagent.evaluation.runner import CaseRun, EvalRun
from fluxagent.render.escape import terminal


def _short(text: str, n: int = 90) -> str:
    """One line of user text, cut to ``n`` characters, escaped for Rich markup."""
    text = " ".join(text.split())
    return terminal(text if len(text) <= n else text[: n - 1] + "…")


def case_line(run: CaseRun) -> str:
    mark = "[green]pass[/]" if run.score.passed else "[red]FAIL[/]"
    return f"{mark} {terminal(run.case.id)} ({run.seconds:.1f}s) {_short(run.case.query, 70)}"


def table(result: EvalRun) -> Table:
    t = Table(title=f"fluxagent eval — {result.source or 'cases'} — decider {result.decider}",
              show_lines=False)
    t.add_column("case", no_wrap=True)
    t.add_column("result", no_wrap=True)
    t.add_column("s", justify="right")
    t.add_column("tools")
    t.add_column("question / failure")
    for r in result.runs:
        ok = {"pass": "[green]pass[/]", "honest": "[yellow]FAIL (said why)[/]",
              "silent_wrong": "[red]FAIL (silent)[/]"}[r.outcome]
        detail = _short(r.case.query, 70)
        if not r.score.passed:
            detail += "\n[red]" + "; ".join(_short(f, 120) for f in r.score.failures) + "[/]"
        t.add_row(terminal(r.case.id), ok, f"{r.seconds:.1f}",
                  terminal(", ".join(dict.fromkeys(r.tools))), detail)
    return t


def summary_line(result: EvalRun) -> str:
    return (f"passed {result.passed}/{len(result.runs)} ({100 * result.pass_rate:.1f}%) "
            f"in {result.seconds:.1f} s with decider {result.decider}; silent-wrong "
            f"{100 * result.rate('silent_wrong'):.1f}%, honest failures "
            f"{100 * result.rate('honest'):.1f}%")


def print_report(result: EvalRun, console: Console | None = None) -> None:
    console = console or Console()
    console.print(table(result))
    console.print(summary_line(result))


def write_report(result: EvalRun, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.as_dict(), indent=1, ensure_ascii=False))
    return path
