"""Tokens and owners on both backends (SQLite and the suite's real PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from fluxagent.api.auth import RateLimiter
from fluxagent.store.access import AccessStore, digest
from fluxagent.store.base import StoreError
from fluxagent.store.sql import SqlStore


def test_tokens_hashed_scoped_expiring_revocable(any_store: SqlStore) -> None:
    access = AccessStore.for_store(any_store)
    assert not access.any_token()
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    token, secret = access.create_token("ci", "alice", ["write", "read"],
                                        expires_in=timedelta(hours=1), now=now)
    assert access.any_token() and token.scopes == ("read", "write")
    found = access.find(secret)
    assert found is not None and found.id == token.id and found.owner == "alice"
    assert found.expires == now + timedelta(hours=1)
    assert access.find(secret + "x") is None and access.find("") is None
    assert found.usable(now) is None
    assert "expired" in (found.usable(now + timedelta(hours=2)) or "")
    assert found.allows("read") and not found.allows("approve")
    revoked = access.revoke(token.id, now=now)
    assert "revoked" in (revoked.usable(now) or "")
    assert [t.id for t in access.tokens()] == [token.id]
    assert all(secret not in repr(t) for t in access.tokens())
    assert digest(secret) != secret
    with pytest.raises(StoreError, match="unknown: god"):
        access.create_token("x", "alice", ["god"])
    with pytest.raises(StoreError, match="no token"):
        access.revoke("nosuch")


def test_owners_are_set_once(any_store: SqlStore) -> None:
    access = AccessStore.for_store(any_store)
    any_store.create("s1")
    access.set_owner("s1", "alice")
    access.set_owner("s1", "bob")  # a second claim does not change the owner
    assert access.owner("s1") == "alice" and access.owner("s2") is None
    assert access.owners() == {"s1": "alice"}


def test_rate_limiter_is_a_token_bucket_per_key() -> None:
    clock = [0.0]
    limiter = RateLimiter(clock=lambda: clock[0])
    assert [limiter.take("a", 2) for _ in range(2)] == [0.0, 0.0]
    assert limiter.take("a", 2) == pytest.approx(30.0)
    assert limiter.take("b", 2) == 0.0
    clock[0] = 30.0
    assert limiter.take("a", 2) == 0.0
