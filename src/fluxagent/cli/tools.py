"""``fluxagent tools list|run``: the tool registry from the command line.

``run`` goes through ``REGISTRY.execute`` with a real ToolContext (ModelStore and the artifact
store under the data dir), exactly as the agent does: same validation, same errors, same
provenance. Readable tables by default, one JSON object on stdout with ``--json``; progress of
long tools on stderr; a ToolError or bad JSON gives one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table

from fluxagent.cli.render import ProgressBar, cell, err, out, print_json, t
from fluxagent.config import get_settings
from fluxagent.core.state import SessionState
from fluxagent.tools.registry import ToolContext
from fluxagent.tools.results import ToolError, ToolResult

app = typer.Typer(help="List the analysis tools or run one directly.", no_args_is_help=True)

#: data keys holding the main table of a result, in order of preference.
TABLE_KEYS = ("genes", "reactions", "ranges", "results", "matches", "models", "points",
              "changes", "boundary")
MAX_ROWS = 60


def _registry() -> Any:
    from fluxagent.tools import load_all
    return load_all()


@app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="Print the JSON specs an "
                                                "LLM sees.")] = False) -> None:
    """Every tool with its purpose."""
    reg = _registry()
    if as_json:
        print_json(reg.specs())
        return
    table = Table("tool", "purpose", "notes", title=f"{len(reg.names())} tools")
    for tool in reg:
        notes = ", ".join(n for n, on in (("long", tool.long_running),
                                          ("writes", tool.writes)) if on)
        table.add_row(cell(tool.name), cell(tool.purpose), notes)
    out.print(table)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/] {t(message)}", markup=True, highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, default=str)[:80]
    return "" if value is None else str(value)


def _rows_table(title: str, rows: list[dict[str, Any]]) -> Table:
    columns: list[str] = []
    for row in rows[:MAX_ROWS]:
        columns.extend(k for k in row if k not in columns)
    table = Table(title=cell(title))
    for c in columns:
        table.add_column(cell(c))
    for row in rows[:MAX_ROWS]:
        table.add_row(*(cell(_cell(row.get(c))) for c in columns))
    if len(rows) > MAX_ROWS:
        table.caption = f"{len(rows) - MAX_ROWS} more rows in --json output / artifacts"
    return table


def render(result: ToolResult) -> None:
    """A readable view of a result: summary, its main table, scalars, artifacts."""
    out.print(Panel(cell(result.summary, multiline=True), title=t(result.tool),
                    border_style="green"))
    data = result.data
    shown = False
    for key in TABLE_KEYS:
        rows = data.get(key)
        if isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            out.print(_rows_table(key, rows))
            shown = True
            break
    if not shown:
        for key in ("medium", "exchanges", "reactions", "carbon_sources"):
            table_data = data.get(key)
            if isinstance(table_data, dict) and table_data and all(
                    isinstance(v, int | float) for v in table_data.values()):
                table = Table("key", "value", title=key)
                for k, v in list(table_data.items())[:MAX_ROWS]:
                    table.add_row(cell(k), cell(_cell(v)))
                out.print(table)
                break
    scalars = {k: v for k, v in data.items() if isinstance(v, str | int | float | bool)}
    if scalars:
        table = Table("key", "value", title="values")
        for k, v in scalars.items():
            table.add_row(cell(k), cell(_cell(v)))
        out.print(table)
    for art in result.artifacts:
        out.print(cell(f"artifact: {art.name} → {art.path}"), highlight=False, soft_wrap=True)


@app.command("run")
def run(name: Annotated[str, typer.Argument(help="Tool name (see `fluxagent tools list`).")],
        args: Annotated[str, typer.Option("--args", help="Arguments as a JSON object.")] = "{}",
        model: Annotated[str | None, typer.Option("--model", help="Model to use (sets the "
                                                  "model argument).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON on "
                                              "stdout.")] = False) -> None:
    """Run one tool through the registry, as the agent would."""
    try:
        raw = json.loads(args)
    except json.JSONDecodeError as exc:
        _fail(f"--args is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")
    if not isinstance(raw, dict):
        _fail("--args must be a JSON object, e.g. '{\"model\": \"e_coli_core\"}'")
    reg = _registry()
    tool = reg.get(name)
    if model is not None:
        if tool is not None and "model" not in tool.args_model.model_fields:
            _fail(f"{name} takes no model argument")
        raw.setdefault("model", model)
    from fluxagent.store.artifacts import ArtifactStore
    from fluxagent.tools.models import ModelStore

    settings = get_settings()
    bar = ProgressBar() if (tool is not None and tool.long_running
                            and sys.stderr.isatty()) else None
    ctx = ToolContext(session_id="cli", state=SessionState(session_id="cli"),
                      models=ModelStore(settings),
                      artifacts=ArtifactStore(settings.data_dir / "artifacts"),
                      settings=settings)
    if bar is not None:
        ctx.progress = bar
    try:
        result = reg.execute(name, raw, ctx)
    finally:
        if bar is not None:
            bar.close()
    if isinstance(result, ToolError):
        if as_json:
            print_json(result.model_dump(mode="json"))
        hint = f" (hint: {result.hint})" if result.hint else ""
        _fail(f"{result.tool}: {result.kind}: {result.message}{hint}")
        return
    if as_json:
        print_json(result.model_dump(mode="json"))
    else:
        render(result)
