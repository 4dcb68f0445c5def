"""``fluxagent flows list|show|validate|run|graph|rollback|replay``: declarative flows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
import yaml
from rich.table import Table

from fluxagent.cli.common import cli_errors, make_agent
from fluxagent.cli.render import as_json, cell, err, out, print_json, show_state, t

app = typer.Typer(help="List, check, draw and run declarative flows (YAML state machines).",
                  no_args_is_help=True)


def _user_dir() -> Path:
    from fluxagent.config import get_settings
    return get_settings().data_dir / "flows"


def _load(name: str) -> Any:
    from fluxagent.flows.library import load_flow
    return load_flow(name, _user_dir())


def _parse_inputs(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; values are read as YAML scalars or JSON (numbers, lists...)."""
    inputs: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"--input takes key=value, not {pair!r}")
        try:
            inputs[key.strip()] = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError:
            inputs[key.strip()] = raw
    return inputs


@app.command("list")
def list_() -> None:
    """The flows available (shipped, and DATA_DIR/flows/*.yaml)."""
    from fluxagent.flows.library import flow_files
    from fluxagent.flows.schema import FlowError, load_flow_file
    with cli_errors():
        table = Table("flow", "states", "inputs", "description")
        for name, path in flow_files(_user_dir()).items():
            try:
                f = load_flow_file(path)
            except FlowError as exc:
                table.add_row(cell(name), "-", "-", f"[red]unloadable: {t(exc)}[/]")
                continue
            table.add_row(cell(name), str(len(f.states)), cell(", ".join(f.inputs)),
                          cell(f.description.strip().split(": ")[0].split(". ")[0][:70]))
        out.print(table)


@app.command()
def show(flow: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """A flow's states, tools and transitions."""
    with cli_errors():
        f = _load(flow)
        if json_out:
            print_json(f.model_dump(mode="json"))
            return
        out.print(f"[bold]{t(f.name)}[/] v{t(f.version)}: {t(f.description.strip())}")
        if f.inputs:
            out.print(cell("inputs: " + ", ".join(
                f"{k}={json.dumps(v.default)}" + (" (required)" if v.required else "")
                for k, v in f.inputs.items())))
        table = Table("state", "kind", "does", "then")
        for name, st in f.states.items():
            does = (f"{st.tool} {json.dumps(st.args)}" if st.tool else
                    st.decider.instruction if st.decider else
                    st.human.question if st.human else st.end.answer if st.end else "")
            then = "; ".join(f"{e.when} → {e.to}" if e.when else f"→ {e.to}"
                             for e in st.edges())
            table.add_row(cell(("▶ " if name == f.start else "") + name), cell(st.kind),
                          cell(does, 80), cell(then))
        out.print(table)


@app.command()
def validate(flows: Annotated[list[str], typer.Argument(help="Flow names or YAML files.")]
             ) -> None:
    """Check flows for unreachable states, dead ends, cycles without exit, unknown tools and
    arguments the tools do not accept (exit code 1 if any problem)."""
    from fluxagent.flows.library import load_flow
    from fluxagent.flows.schema import FlowError
    from fluxagent.flows.validate import validate_flow
    from fluxagent.tools import load_all
    registry, bad = load_all(), 0
    for name in flows:
        try:
            f = load_flow(name, _user_dir())
        except FlowError as exc:
            err.print(f"[red]✗ {t(name)}[/]: {t(exc)}", highlight=False)
            bad += 1
            continue
        problems = validate_flow(f, registry)
        if problems:
            bad += 1
            err.print(f"[red]✗ {t(f.name)}[/]: {len(problems)} problem(s)", highlight=False)
            for p in problems:
                out.print(cell(f"  {p}"), highlight=False)
        else:
            out.print(f"[green]✓ {t(f.name)}[/] ({len(f.states)} states)")
    if bad:
        raise typer.Exit(1)


@app.command()
def run(flow: str,
        inputs: Annotated[list[str] | None, typer.Option("--input", "-i",
                                                         help="key=value (repeatable)")] = None,
        model: Annotated[str | None, typer.Option(help="Model for the flow.")] = None,
        session: Annotated[str | None, typer.Option(help="Run as a new turn of this "
                                                    "session.")] = None,
        json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Run a flow in a new session (it may stop for approval or a question)."""
    from fluxagent.flows.run import run_flow
    from fluxagent.flows.schema import FlowError
    from fluxagent.flows.validate import validate_flow
    with cli_errors():
        f = _load(flow)
        agent = make_agent(quiet=json_out)
        problems = validate_flow(f, agent.registry)
        if problems:
            raise FlowError(f"flow {f.name} is not valid: {problems[0]}"
                            + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        state = run_flow(agent.runner, f, _parse_inputs(inputs or []), model=model,
                         session_id=session)
        thread = agent.thread(state.session_id)
        if json_out:
            print_json(as_json(thread, state))
        else:
            show_state(thread, state)
        if state.status == "failed":
            raise typer.Exit(2)


@app.command()
def graph(flow: str,
          fmt: Annotated[str, typer.Option("--format", help="mermaid or svg")] = "mermaid",
          output: Annotated[Path | None, typer.Option("-o", "--output")] = None) -> None:
    """Draw a flow as Mermaid text or an SVG picture."""
    from fluxagent.flows.visualize import mermaid, svg
    with cli_errors():
        f = _load(flow)
        if fmt not in ("mermaid", "svg"):
            raise ValueError(f"--format must be mermaid or svg, not {fmt!r}")
        text = mermaid(f) if fmt == "mermaid" else svg(f)
        if output is None:
            print(text, end="")
        else:
            output.write_text(text)
            out.print(cell(output))


@app.command()
def rollback(session: str, state: str) -> None:
    """Fork SESSION just before its flow entered STATE and run the fork from there."""
    from fluxagent.flows.run import rollback as do_rollback
    with cli_errors():
        agent = make_agent()
        child, st = do_rollback(agent.runner, session, state)
        show_state(agent.thread(child), st)
        out.print(cell(f"rolled back into new session {child}"))


@app.command()
def replay(session: str) -> None:
    """Ask the router and flow again at every recorded decision: are they reproduced?"""
    from fluxagent.flows.replay import replay_decisions
    with cli_errors():
        agent = make_agent(quiet=True)
        n, problems = replay_decisions(agent.thread(session), agent.runner.decider,
                                       agent.runner.context, agent.registry.specs())
        for p in problems:
            out.print(cell(p), highlight=False)
        out.print(f"{n} decisions replayed, {len(problems)} differ")
        if problems:
            raise typer.Exit(1)
