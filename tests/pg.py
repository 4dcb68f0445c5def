"""A throwaway PostgreSQL server from the machine's own binaries (tests and benchmarks).

``initdb`` into a temp dir, ``pg_ctl start`` on a free port of 127.0.0.1 with its unix socket
in the same dir, trust authentication for the ``postgres`` user, and ``stop`` removes it all.
The server refuses to run as root, so as root everything runs as the ``postgres`` user. If the
binaries are missing, ``scripts/ensure_postgres.sh`` installs them. Any failure raises
``PostgresError`` with the reason (never a silent skip).
"""

from __future__ import annotations

import atexit
import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from types import TracebackType

ROOT = Path(__file__).resolve().parents[1]
ENSURE = ROOT / "scripts" / "ensure_postgres.sh"

#: Settings for tests: durability off (the data is thrown away), quick to start and stop.
FAST = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


class PostgresError(RuntimeError):
    pass


def _version(initdb: str) -> int:
    m = re.search(r"/postgresql/(\d+)/", initdb)
    return int(m.group(1)) if m else 0


def find_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).parent if which else None


def ensure_bindir() -> Path:
    """The server binaries, installed with ``scripts/ensure_postgres.sh`` if they are absent."""
    bindir = find_bindir()
    if bindir is None:
        proc = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True)
        bindir = find_bindir()
        if proc.returncode != 0 or bindir is None:
            raise PostgresError(f"no PostgreSQL server binaries and {ENSURE.name} failed "
                                f"(exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    return bindir


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """``with PostgresServer() as pg: url = pg.create_database()``."""

    def __init__(self, settings: dict[str, str] | None = None) -> None:
        self.settings = dict(FAST if settings is None else settings)
        self.dir: Path | None = None
        self.port = 0
        self.bindir: Path | None = None
        self._running = False

    # -- lifecycle ----------------------------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        assert self.bindir is not None and self.dir is not None
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=self.dir,
                              env={**os.environ, "LC_ALL": "C"}, timeout=120)
        if check and proc.returncode != 0:
            raise PostgresError(f"{args[0]} failed (exit {proc.returncode}): "
                                f"{(proc.stderr or proc.stdout).strip()[-800:]}")
        return proc

    def start(self) -> PostgresServer:
        self.bindir = ensure_bindir()
        self.dir = Path(tempfile.mkdtemp(prefix="fluxagent-pg-"))
        if os.geteuid() == 0:
            try:
                shutil.chown(self.dir, user="postgres", group="postgres")
            except (LookupError, PermissionError) as exc:
                raise PostgresError(f"cannot hand {self.dir} to the postgres user: {exc}") from exc
        self._run("initdb", "-D", "data", "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        opts = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        last = ""
        for _ in range(3):  # another process may grab the free port before we bind it
            self.port = free_port()
            proc = self._run("pg_ctl", "-D", "data", "-l", "server.log", "-w", "-t", "60",
                             "-o", f"-p {self.port} -k {self.dir} "
                                   f"-c listen_addresses=127.0.0.1 {opts}",
                             "start", check=False)
            if proc.returncode == 0:
                self._running = True
                atexit.register(self.stop)
                return self
            log = self.dir / "server.log"
            last = (log.read_text(errors="replace") if log.exists() else proc.stderr)[-800:]
            if "could not bind" not in last and "already in use" not in last:
                break
        self.stop()
        raise PostgresError(f"pg_ctl start failed: {last.strip()}")

    def stop(self) -> None:
        if self.dir is None:
            return
        if self._running:
            self._run("pg_ctl", "-D", "data", "-m", "fast", "-w", "stop", check=False)
            self._running = False
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # -- databases ----------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ValueError(f"bad database name {name!r}")
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)
