"""Shared fixtures: a real PostgreSQL server started by the suite, and stores on both backends.

``pg_url`` (session): a database on a throwaway server started from the machine's PostgreSQL
binaries (installed by scripts/ensure_postgres.sh if absent). If the server cannot start, every
test that needs it FAILS with the reason; nothing is skipped.
``pg_fresh_url`` (function): a new empty database on that server.
``any_store_url`` / ``any_store``: parametrized over sqlite and postgres, so a suite written
once runs on both.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `pg` whatever the import mode

from fluxagent.store.sql import SqlStore
from pg import PostgresError, PostgresServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
    except PostgresError as exc:
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database("fluxagent")


@pytest.fixture
def pg_fresh_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fluxagent.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def any_store(any_store_url: str) -> Iterator[SqlStore]:
    store = SqlStore(any_store_url)
    yield store
    store.close()


# ------------------------------------------------- memote's slow checks, beside the suite
#: Tests marked ``memote_background(MODEL)`` compare with memote's flux checks on MODEL, which
#: take minutes per large model (tests/tools/memote_flux_checks.py). Once collected, those
#: checks start in a niced process on the core the (single-process) suite leaves idle, and the
#: tests move to the end of the run, where the ``memote_flux`` fixture waits for the results.
MEMOTE_SCRIPT = Path(__file__).resolve().parent / "tools" / "memote_flux_checks.py"
MEMOTE_WAIT_S = 3600
_MEMOTE: pytest.StashKey[tuple[subprocess.Popen[bytes], Path]] = pytest.StashKey()


def _memote_models(item: pytest.Item) -> list[str]:
    return [str(a) for m in item.iter_markers("memote_background") for a in m.args]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    late = [item for item in items if _memote_models(item)]
    if not late:
        return
    models = list(dict.fromkeys(m for item in late for m in _memote_models(item)))
    late_ids = {id(item) for item in late}
    items[:] = [item for item in items if id(item) not in late_ids] + late
    out = Path(tempfile.mkdtemp(prefix="fluxagent-memote-"))
    with (out / "stderr.log").open("wb") as err:
        proc = subprocess.Popen(["nice", "-n", "10", sys.executable, str(MEMOTE_SCRIPT),
                                 str(out), *models], stdout=subprocess.DEVNULL, stderr=err)
    config.stash[_MEMOTE] = (proc, out)


def pytest_unconfigure(config: pytest.Config) -> None:
    started = config.stash.get(_MEMOTE, None)
    if started is not None:
        proc, out = started
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def memote_flux(request: pytest.FixtureRequest) -> Callable[[str], dict[str, Any]]:
    """``wait(model)``: memote's flux checks on that model from the background process; the
    test fails with memote's traceback if it failed, or after MEMOTE_WAIT_S."""
    started = request.config.stash.get(_MEMOTE, None)
    if started is None:
        pytest.fail("memote_flux needs a test marked memote_background(MODEL)", pytrace=False)
    proc, out = started

    def wait(model: str) -> dict[str, Any]:
        deadline = time.monotonic() + MEMOTE_WAIT_S
        while time.monotonic() < deadline:
            if (out / f"{model}.json").exists():
                result: dict[str, Any] = json.loads((out / f"{model}.json").read_text())
                return result
            if (out / f"{model}.error").exists():
                pytest.fail(f"memote failed on {model}:\n{(out / f'{model}.error').read_text()}")
            if proc.poll() is not None:
                pytest.fail(f"memote's process ended ({proc.returncode}) without {model}:\n"
                            f"{(out / 'stderr.log').read_text()[-3000:]}")
            time.sleep(2)
        pytest.fail(f"memote's flux checks on {model} took more than {MEMOTE_WAIT_S} s")

    return wait
