"""``fluxagent doctor``: one verdict per check, exit code 0 when healthy, 1 otherwise."""

from __future__ import annotations

from typing import Annotated

import typer

from fluxagent.cli.render import out, print_json


def doctor_command(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check the settings, the store, the installation key, the model cache and the solvers."""
    from pydantic import ValidationError

    from fluxagent.config import Settings
    from fluxagent.observability.doctor import Check, run_checks

    try:
        checks = run_checks(Settings())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        checks = [Check("settings", False, f"FLUXAGENT_{where.upper()}: {first['msg']}")]
    healthy = all(c.ok for c in checks)
    if json_out:
        print_json({"healthy": healthy, "checks": [c.as_dict() for c in checks]})
    else:
        for c in checks:
            out.print(f"{'ok  ' if c.ok else 'FAIL'}  {c.name:<32} {c.verdict}", markup=False,
                      highlight=False, soft_wrap=True)
        bad = sum(not c.ok for c in checks)
        out.print("healthy" if healthy else f"{bad} problem(s) found", markup=False,
                  highlight=False)
    if not healthy:
        raise typer.Exit(1)
