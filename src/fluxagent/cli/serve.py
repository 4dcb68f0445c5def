"""``fluxagent serve`` (the REST API) and ``fluxagent tokens create|list|revoke``."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fluxagent.cli.common import cli_errors
from fluxagent.cli.render import err, out, print_json

if TYPE_CHECKING:
    from fluxagent.store.access import AccessStore

app = typer.Typer(help="API tokens: hashed, scoped (read, write, approve, admin), expiring, "
                  "revocable.", no_args_is_help=True)


def _access() -> AccessStore:
    from fluxagent.config import get_settings
    from fluxagent.store.access import AccessStore
    from fluxagent.store.sql import SqlStore
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return AccessStore.for_store(SqlStore.from_settings(settings))


def register(root: typer.Typer) -> None:
    @root.command()
    def serve(host: Annotated[str | None, typer.Option(help="Address to bind (default "
                                                       "FLUXAGENT_SERVE_HOST, 127.0.0.1).")]
              = None,
              port: Annotated[int | None, typer.Option(help="Port (default "
                                                       "FLUXAGENT_SERVE_PORT, 8000).")]
              = None) -> None:
        """Serve the REST API (OpenAPI at /docs) with background runs and live events."""
        from fluxagent.api.server import serve as run_server
        from fluxagent.config import get_settings
        with cli_errors():
            settings = get_settings()
            settings.data_dir.mkdir(parents=True, exist_ok=True)
            bind, at = host or settings.serve_host, port or settings.serve_port
            err.print(f"fluxagent API on http://{bind}:{at} (docs at /docs)", highlight=False)
            run_server(settings, bind, at)


@app.command()
def create(owner: Annotated[str, typer.Option(help="Whose sessions the token reaches.")],
           scope: Annotated[list[str], typer.Option(help="read, write, approve or admin "
                                                    "(repeatable).")],
           name: Annotated[str, typer.Option(help="What the token is for.")] = "",
           expires_days: Annotated[float | None, typer.Option(help="Expire after this many "
                                                              "days.")] = None,
           rate: Annotated[int | None, typer.Option(help="Requests per minute (default "
                                                    "FLUXAGENT_API_RATE_PER_MINUTE).")]
           = None,
           json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create a token; its secret is printed once and never stored."""
    from fluxagent.config import get_settings
    with cli_errors():
        token, secret = _access().create_token(
            name, owner, scope, rate_per_minute=rate or get_settings().api_rate_per_minute,
            expires_in=timedelta(days=expires_days) if expires_days is not None else None)
        if json_out:
            print_json({**token.public(), "secret": secret})
            return
        out.print(secret, highlight=False)
        err.print(f"token {token.id} for {token.owner} ({', '.join(token.scopes)}); the "
                  "secret above is shown only now", highlight=False)


@app.command("list")
def list_(json_out: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every token (never its secret)."""
    with cli_errors():
        tokens = _access().tokens()
        if json_out:
            print_json([t.public() for t in tokens])
            return
        table = Table("id", "owner", "scopes", "name", "rate/min", "expires", "revoked")
        for t in tokens:
            table.add_row(t.id, t.owner, ",".join(t.scopes), t.name, str(t.rate_per_minute),
                          f"{t.expires:%Y-%m-%d %H:%M}" if t.expires else "-",
                          f"{t.revoked:%Y-%m-%d %H:%M}" if t.revoked else "-")
        out.print(table)


@app.command()
def revoke(token_id: str) -> None:
    """Revoke a token at once."""
    with cli_errors():
        token = _access().revoke(token_id)
        out.print(f"token {token.id} revoked")
