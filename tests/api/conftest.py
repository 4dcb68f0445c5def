"""Fixtures: ``open_server`` and ``secure_server`` (see serving.py)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import Server, Tokens, fluxagent, server_env, start_server, stop, with_damage_flow


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = start_server(with_damage_flow(tmp_path_factory.mktemp("open") / "data"))
    yield server
    stop(server)


@pytest.fixture(scope="session")
def secure_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Tokens]]:
    data_dir = tmp_path_factory.mktemp("secure") / "data"
    env = server_env(data_dir)

    def make(owner: str, *scopes: str, extra: tuple[str, ...] = ()) -> str:
        args = ["tokens", "create", "--owner", owner, "--json", *extra]
        for s in scopes:
            args += ["--scope", s]
        done = fluxagent(*args, env=env)
        assert done.returncode == 0, done.stderr
        return str(json.loads(done.stdout)["secret"])

    tokens = Tokens(alice_read=make("alice", "read"), alice_write=make("alice", "read", "write"),
                    alice_all=make("alice", "read", "write", "approve"),
                    bob_all=make("bob", "read", "write", "approve"), admin=make("root", "admin"),
                    expired=make("alice", "read", extra=("--expires-days", "0")),
                    revoked=make("alice", "read"),
                    slow=make("carol", "read", extra=("--rate", "3")))
    revoked_id = tokens.revoked.split("_")[1]
    done = fluxagent("tokens", "revoke", revoked_id, env=env)
    assert done.returncode == 0, done.stderr
    server = start_server(data_dir, FLUXAGENT_API_MAX_BODY_BYTES="65536")
    yield server, tokens
    stop(server)
