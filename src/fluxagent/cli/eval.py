"""``fluxagent eval QUERIES.yaml``: run a question set through the full agent and score it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fluxagent.cli.render import err, out
from fluxagent.render.escape import terminal


def eval_command(
        queries: Annotated[Path, typer.Argument(help="YAML file of cases (the format of "
                                                "eval/dev_queries.yaml).")],
        decider: Annotated[str | None, typer.Option(
            help="offline | openai:<model> | anthropic:<model> | hybrid:<provider>:<model> "
                 "| replay:<cassette> (default: FLUXAGENT_LLM)")] = None,
        report: Annotated[Path | None, typer.Option(help="Write the JSON report here.")] = None,
        only: Annotated[str | None, typer.Option(help="Comma-separated case ids to run.")]
        = None,
        min_pass: Annotated[float, typer.Option(help="Exit with code 1 below this pass rate "
                                                "(0-1).")] = 0.0) -> None:
    """Run every case, print a per-case table and the pass rate, write a JSON report."""
    from fluxagent.evaluation import CaseFileError, load_cases, run_cases
    from fluxagent.evaluation.report import case_line, print_report, write_report

    try:
        cases = load_cases(queries)
    except CaseFileError as exc:
        err.print(f"[red]error:[/] {terminal(exc)}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    if only:
        wanted = {c.strip() for c in only.split(",") if c.strip()}
        cases = [c for c in cases if c.id in wanted]
    try:
        result = run_cases(cases, decider=decider, source=str(queries),
                           on_case=lambda r: err.print(case_line(r), highlight=False))
    except ValueError as exc:  # a bad decider spec
        err.print(f"[red]error:[/] {terminal(exc)}", markup=True, highlight=False)
        raise typer.Exit(1) from None
    print_report(result, out)
    if report is not None:
        write_report(result, report)
        err.print(f"report written to {report}")
    if result.pass_rate < min_pass:
        raise typer.Exit(1)
