"""``fluxagent prompts list|show|diff|test|metrics|lock|new-version``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import cell, err, out, print_json, t
from fluxagent.prompts.manager import PromptError, PromptManager

app = typer.Typer(help="Versioned prompt templates: list, show, diff, test, metrics.",
                  no_args_is_help=True)


def _manager() -> PromptManager:
    return PromptManager()


@app.command("list")
def list_() -> None:
    """Every prompt version with its hash, variables and description."""
    with cli_errors():
        pm = _manager()
        table = Table("prompt", "version", "sha256", "variables", "description")
        for name in pm.names():
            for version in pm.versions[name]:
                tpl = pm.template(name, version)
                table.add_row(cell(name), cell(version), tpl.short_hash,
                              cell(", ".join(tpl.variables)), cell(tpl.description, 70))
        out.print(table)


@app.command()
def show(ref: Annotated[str, typer.Argument(help="NAME or NAME@VERSION")],
         var: Annotated[list[str] | None, typer.Option(
             "--var", help="Render with NAME=VALUE (JSON values allowed); repeatable.")] = None
         ) -> None:
    """A prompt's file (front matter and template), or its rendering with --var."""
    with cli_errors():
        pm = _manager()
        name, _, version = ref.partition("@")
        tpl = pm.template(name, version or "latest")
        if not var:
            print(tpl.source, end="")
            return
        values = {}
        for item in var:
            key, sep, raw = item.partition("=")
            if not sep:
                raise PromptError(f"--var {item!r}: expected NAME=VALUE")
            try:
                values[key] = json.loads(raw)
            except json.JSONDecodeError:
                values[key] = raw
        print(pm.get_prompt(name, tpl.version, **values))


@app.command()
def diff(a: Annotated[str, typer.Argument(help="NAME@VERSION")],
         b: Annotated[str, typer.Argument(help="NAME@VERSION")]) -> None:
    """Unified diff between two prompt versions."""
    with cli_errors():
        print(_manager().diff(a, b) or "(identical)", end="")


@app.command()
def test(name: Annotated[str | None, typer.Argument(help="Prompt (default: all)")] = None,
         json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Run the YAML test cases (prompts/cases/NAME.yaml) against every version, and the lock."""
    with cli_errors():
        pm = _manager()
        reports = [pm.test_prompt(n, version=v) for n in ([name] if name else pm.names())
                   for v in pm.versions[n]]
        problems = pm.verify_lock()
        if json_out:
            print_json({"reports": reports, "lock": problems})
        else:
            for rep in reports:
                colour = "green" if not rep["failed"] else "red"
                out.print(f"[{colour}]{t(rep['prompt'])}[/] ({rep['hash']}): {rep['passed']} "
                          f"passed, {rep['failed']} failed")
                for res in rep["results"]:
                    if not res["ok"]:
                        out.print(cell(f"  ✗ {res['case']}: {'; '.join(res['problems'])}"))
            for p in problems:
                err.print(f"[red]lock:[/] {t(p)}")
        if problems or any(r["failed"] for r in reports):
            raise typer.Exit(1)


@app.command()
def metrics(limit: Annotated[int, typer.Option(help="Sessions to read")] = 1000,
            json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Per prompt version: sessions, renders, tokens and outcomes, from the stored sessions."""
    with cli_errors():
        from fluxagent.config import get_settings
        from fluxagent.prompts.metrics import from_store
        from fluxagent.store.sql import SqlStore

        rows = from_store(SqlStore.from_settings(get_settings()), limit)
        if json_out:
            print_json(rows)
            return
        table = Table("prompt", "variant", "sessions", "renders", "mean tokens", "max tokens",
                      "done", "outcomes", "errors/session")
        for r in rows:
            table.add_row(cell(r["prompt"]), cell(r["variant"]), str(r["sessions"]),
                          str(r["renders"]),
                          str(r["mean_tokens"]), str(r["max_tokens"]), f"{r['done_rate']:.0%}",
                          cell(", ".join(f"{k} {v}" for k, v in sorted(r["outcomes"].items()))),
                          str(r["errors_per_session"]))
        out.print(table if rows else "no session has used a versioned prompt yet")


@app.command()
def lock() -> None:
    """Pin the hash of every new prompt version (a changed released version is refused)."""
    with cli_errors():
        pm = _manager()
        locked = pm.write_lock()
        out.print(cell(f"{sum(len(v) for v in locked.values())} prompt versions locked in "
                       f"{pm.lock_path}"))


@app.command("new-version")
def new_version(name: str, file: Annotated[Path, typer.Argument(help="Template file")],
                part: Annotated[str, typer.Option(help="major | minor | patch")] = "minor"
                ) -> None:
    """Store FILE (a template body, or a whole file with front matter) as NAME's next version."""
    with cli_errors():
        if part not in ("major", "minor", "patch"):
            raise PromptError(f"--part must be major, minor or patch, not {part!r}")
        version = _manager().version_prompt(name, file.read_text(encoding="utf-8"), part=part)
        out.print(cell(f"{name}@{version}"))


@app.command()
def usage(session: str, json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Context use of each decision of a session: prompt, tokens by section, budget used,
    and what was compacted."""
    with cli_errors():
        from fluxagent.config import get_settings
        from fluxagent.store.sql import SqlStore

        thread = SqlStore.from_settings(get_settings()).load(session)
        rows: list[dict[str, Any]] = []
        for ev in thread:
            ctx = ev.data.get("context")
            if ev.type == "context_compacted":
                rows.append({"seq": ev.seq, "event": ev.type, "dropped": ev.data.get("dropped"),
                             "brief": ev.data.get("brief")})
            elif isinstance(ctx, dict):
                prompt = ctx.get("prompt") or {}
                rows.append({"seq": ev.seq, "event": ev.type, "tokens": ctx.get("tokens"),
                             "budget": ctx.get("budget"), "sections": ctx.get("sections"),
                             "prompt": f"{prompt.get('name')}@{prompt.get('version')}"
                                       if prompt else ""})
        if json_out:
            print_json(rows)
            return
        table = Table("seq", "event", "prompt", "tokens", "budget used", "by section / compacted")
        for r in rows:
            if r["event"] == "context_compacted":
                table.add_row(str(r["seq"]), r["event"], "", "", "",
                              cell(f"dropped {r['dropped']} brief {r['brief']}"))
            else:
                used = int(r["tokens"] or 0) / int(r["budget"]) if r["budget"] else 0.0
                table.add_row(str(r["seq"]), r["event"], cell(r["prompt"]), str(r["tokens"]),
                              f"{used:.0%}", cell(", ".join(f"{k} {v}" for k, v in
                                                           (r["sections"] or {}).items())))
        out.print(table if rows else cell(f"session {session} has no recorded context use"))
