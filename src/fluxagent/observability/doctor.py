"""``fluxagent doctor``: is this installation fit to run? One verdict per check.

Checks the settings, the store (SQLite: ``PRAGMA integrity_check``; PostgreSQL: a connection;
both: the schema revision is the head migration), the installation key, the model cache and
the solvers (GLPK, which every analysis can fall back to, and the configured one), without
writing anything: a damaged store is examined read-only.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fluxagent.config import Settings
from fluxagent.core.redact import redact


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    verdict: str  # one line: what was found, and what to do if it is wrong

    def as_dict(self) -> dict[str, Any]:
        return {"check": self.name, "ok": self.ok, "verdict": self.verdict}


def _sqlite_store(path: Path, head: str) -> Check:
    if not path.exists():
        return Check("store", True, f"sqlite {path}: no store yet (created on first use)")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        return Check("store", False, f"sqlite {path}: cannot open ({exc})")
    try:
        rows = conn.execute("PRAGMA integrity_check(20)").fetchall()
        problems = [" ".join(str(r[0]).replace("*** in database main ***", "").split())
                    for r in rows]
        if problems != ["ok"]:
            return Check("store", False, f"sqlite {path}: DAMAGED — {problems[0]}"
                         + (f" (+{len(problems) - 1} more)" if len(problems) > 1 else "")
                         + "; restore a backup (fluxagent refuses to write to it)")
        rev = conn.execute("SELECT version_num FROM fluxagent_version").fetchone()
    except sqlite3.DatabaseError as exc:
        return Check("store", False, f"sqlite {path}: DAMAGED or not a fluxagent store — "
                     f"{exc}; restore a backup")
    finally:
        conn.close()
    return _revision("store", f"sqlite {path}: integrity ok", rev[0] if rev else None, head)


def _revision(name: str, where: str, rev: str | None, head: str) -> Check:
    if rev == head:
        return Check(name, True, f"{where}, schema {rev} (head)")
    return Check(name, False, f"{where}, schema {rev} but this fluxagent's head is {head}; "
                 "any fluxagent command migrates an older store (back it up first)"
                 if rev is not None and rev < head else
                 f"{where}, schema {rev}: written by a newer fluxagent; upgrade fluxagent")


def check_store(settings: Settings) -> Check:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from fluxagent.store.sql import HEAD_REVISION, VERSION_TABLE, normalize_url, one_line

    try:
        url = make_url(normalize_url(settings.db_url))
    except SQLAlchemyError as exc:
        return Check("store", False, f"bad FLUXAGENT_DATABASE_URL: {one_line(exc)}")
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        return _sqlite_store(Path(url.database or "").expanduser().resolve(), HEAD_REVISION)
    if url.get_backend_name() != "postgresql":
        return Check("store", False, f"unsupported database {url.get_backend_name()!r} "
                     f"({shown}); use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB")
    engine = create_engine(url, connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            try:
                rev = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            except SQLAlchemyError:
                return Check("store", True, f"postgresql {shown}: connected; no fluxagent "
                             "schema yet (created on first use)")
    except SQLAlchemyError as exc:
        return Check("store", False, f"postgresql {shown}: cannot connect ({one_line(exc)})")
    finally:
        engine.dispose()
    return _revision("store", f"postgresql {shown}: connected",
                     str(rev) if rev is not None else None, HEAD_REVISION)


def check_key(settings: Settings) -> Check:
    from fluxagent.store.keys import KEY_BYTES, key_path

    path = key_path(settings)
    if not path.exists():
        return Check("key", True, f"{path}: not made yet (created on the first export)")
    mode = path.stat().st_mode & 0o777
    size = path.stat().st_size
    if size != KEY_BYTES:
        return Check("key", False, f"{path}: {size} bytes, expected {KEY_BYTES}; move it away "
                     "(a new key is made; older exports then import as untrusted)")
    if mode & 0o077:
        return Check("key", False, f"{path}: mode {mode:o}, readable by others; "
                     f"chmod 600 {path}")
    return Check("key", True, f"{path}: {KEY_BYTES} bytes, mode 600")


def check_cache(settings: Settings) -> Check:
    import cobra

    cache = Path(settings.data_dir) / "cache" / "models"
    if not cache.exists():
        return Check("model cache", True, f"{cache}: empty (filled on first use)")
    if not os.access(cache, os.W_OK | os.X_OK):
        return Check("model cache", False, f"{cache}: not writable; fix its permissions")
    files = [p for p in cache.iterdir() if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    stale = [p for p in files if f"-cobra{cobra.__version__}." not in p.name]
    note = f", {len(stale)} from another cobrapy version (ignored; may be deleted)" \
        if stale else ""
    return Check("model cache", True, f"{cache}: {len(files)} entries, "
                 f"{size / 1e6:.1f} MB{note}")


#: fluxagent's solver names → optlang's name and interface module (tools/models.py SOLVERS).
_OPTLANG = {"glpk": ("GLPK", "glpk"), "highs": ("HIGHS", "hybrid"),
            "hybrid": ("HIGHS", "hybrid"), "scipy": ("SCIPY", "scipy")}


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Solver libraries print banners on file descriptor 1; stdout stays the report's."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _solves(interface: str) -> str | None:
    """None if a two-variable LP solves to the right optimum, else why not."""
    with _stdout_to_stderr():
        return _solve_test_lp(interface)


def _solve_test_lp(interface: str) -> str | None:
    import importlib

    try:
        iface = importlib.import_module(f"optlang.{interface}_interface")
        x, y = iface.Variable("x", lb=0, ub=4), iface.Variable("y", lb=0, ub=3)
        model = iface.Model()
        model.add(iface.Constraint(x + y, ub=5))
        model.objective = iface.Objective(2 * x + y, direction="max")
        status = model.optimize()
    except Exception as exc:  # a broken solver install shows up as anything
        return f"{type(exc).__name__}: {exc}"
    if status != "optimal" or abs(float(model.objective.value) - 9.0) > 1e-6:
        return f"a test LP gave status {status}"
    return None


def check_solvers(settings: Settings) -> list[Check]:
    import optlang

    available = {k.upper(): bool(v) for k, v in optlang.available_solvers.items()}
    checks = []
    for label, name in (("solver glpk", "GLPK"),):
        why = None if available.get(name) else "not installed (pip install swiglpk)"
        why = why or _solves("glpk")
        checks.append(Check(label, why is None, "GLPK solves a test LP" if why is None
                            else f"GLPK: {why}"))
    key = settings.solver.strip().lower()
    label = f"solver {key or '(empty)'} (FLUXAGENT_SOLVER)"
    if key == "glpk":
        return checks
    if key not in _OPTLANG:
        installed = "installed but not supported" if available.get(key.upper()) \
            else "not available"
        checks.append(Check(label, False, f"{settings.solver!r} is {installed}; "
                            f"FLUXAGENT_SOLVER is one of {', '.join(sorted(_OPTLANG))}"))
        return checks
    name, interface = _OPTLANG[key]
    why = None if available.get(name) else f"{name} is not installed"
    why = why or _solves(interface)
    checks.append(Check(label, why is None, f"{name} solves a test LP" if why is None
                        else why))
    return checks


def check_settings(settings: Settings) -> Check:
    problems: list[str] = []
    data = Path(settings.data_dir)
    if data.exists() and not os.access(data, os.W_OK | os.X_OK):
        problems.append(f"data dir {data} is not writable")
    spec = settings.llm.strip()
    if spec.lower() != "offline":
        try:
            from fluxagent.llm import providers
            if not providers.is_provider_spec(spec):
                problems.append(f"unknown decider FLUXAGENT_LLM={spec!r}")
        except ImportError as exc:
            problems.append(f"FLUXAGENT_LLM={spec!r}: providers unavailable ({exc})")
    if settings.approval_policy is not None:
        from fluxagent.human.approvals import ApprovalPolicy, PolicyError
        try:
            ApprovalPolicy.from_file(settings.approval_policy)
        except PolicyError as exc:
            problems.append(str(exc))
    if settings.lease_wait_s < settings.lease_ttl_s:
        problems.append(f"FLUXAGENT_LEASE_WAIT_S ({settings.lease_wait_s:g}) is shorter than "
                        f"FLUXAGENT_LEASE_TTL_S ({settings.lease_ttl_s:g}): a session whose "
                        "runner died could never be resumed by a waiting runner")
    shown = (f"data dir {data.resolve()}, llm {spec}"
             + (f" at {settings.llm_base_url}" if settings.llm_base_url else "")
             + (", API key set" if settings.llm_api_key else "")
             + f", solver {settings.solver}")
    if problems:
        return Check("settings", False, "; ".join(problems))
    return Check("settings", True, shown)


def run_checks(settings: Settings) -> list[Check]:
    """Every check, each isolated: one failing check never hides the others."""
    steps: list[Callable[[Settings], Check | list[Check]]] = [
        check_settings, check_store, check_key, check_cache, check_solvers]
    secrets = settings.secrets()
    checks: list[Check] = []
    for step in steps:
        try:
            got = step(settings)
        except Exception as exc:  # a check that crashes is a failed check, not a traceback
            got = Check(step.__name__.removeprefix("check_"), False,
                        f"the check itself failed: {type(exc).__name__}: {exc}")
        for c in got if isinstance(got, list) else [got]:
            checks.append(Check(c.name, c.ok, redact(c.verdict, secrets)))
    return checks
