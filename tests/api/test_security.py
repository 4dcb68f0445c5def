"""Security through real HTTP: tokens (none, unknown, expired, revoked, wrong scope), owners,
rate limits, body size, escaping; and the refusal to bind beyond 127.0.0.1 without a token."""

from __future__ import annotations

import json

import httpx
import pytest
from serving import Server, Tokens, fluxagent, free_port, server_env

from fluxagent.api.server import check_bind
from fluxagent.store.base import StoreError

pytestmark = pytest.mark.slow
QUESTION = "How fast does e_coli_core grow without oxygen?"


def test_no_unknown_expired_or_revoked_token_is_401(secure_server: tuple[Server, Tokens]
                                                    ) -> None:
    server, tokens = secure_server
    with httpx.Client(base_url=server.url) as http:
        none = http.get("/sessions")
        assert none.status_code == 401 and "token is required" in none.json()["detail"]
        assert none.headers["www-authenticate"] == "Bearer"
        wrong = http.get("/sessions", headers={"Authorization": "Bearer fxa_00000000_nope"})
        assert wrong.status_code == 401 and "unknown" in wrong.json()["detail"]
        basic = http.get("/sessions", headers={"Authorization": "Basic YWxpY2U6cHc="})
        assert basic.status_code == 401
        expired = http.get("/sessions", headers={"Authorization": f"Bearer {tokens.expired}"})
        assert expired.status_code == 401 and "expired" in expired.json()["detail"]
        revoked = http.get("/sessions", headers={"Authorization": f"Bearer {tokens.revoked}"})
        assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]
        assert http.get("/healthz").status_code == 200  # health needs no token
        cors = http.options("/sessions", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in cors.headers  # CORS is off by default
        ok = http.get("/sessions", headers={"Authorization": f"Bearer {tokens.alice_read}"})
        assert ok.status_code == 200


def test_a_missing_scope_is_403_and_nothing_is_stored(secure_server: tuple[Server, Tokens]
                                                      ) -> None:
    server, tokens = secure_server
    with server.client(tokens.alice_read) as reader, server.client(tokens.admin) as admin:
        before = len(admin.get("/sessions", params={"limit": 500}).json()["sessions"])
        denied = reader.post("/sessions", json={"question": QUESTION})
        assert denied.status_code == 403 and "'write' scope" in denied.json()["detail"]
        assert len(admin.get("/sessions", params={"limit": 500}).json()["sessions"]) == before
        tool = reader.post("/tools/run_fba/run", json={"args": {}})
        assert tool.status_code == 403
    with server.client(tokens.alice_write) as writer:
        gated = writer.post("/tools/gapfill/run", json={"args": {}})
        assert gated.status_code == 403 and "approve" in gated.json()["detail"]
        sid = writer.post("/sessions", json={}).json()["session_id"]
        approve = writer.post(f"/sessions/{sid}/approve", json={})
        assert approve.status_code == 403 and "'approve' scope" in approve.json()["detail"]


def test_another_owners_session_is_404_unless_admin(secure_server: tuple[Server, Tokens]
                                                    ) -> None:
    server, tokens = secure_server
    with server.client(tokens.alice_all) as alice, server.client(tokens.bob_all) as bob, \
            server.client(tokens.admin) as admin:
        made = alice.post("/sessions", params={"wait": 590}, json={"question": QUESTION})
        assert made.status_code == 200, made.text
        sid = made.json()["session_id"]
        assert alice.get(f"/sessions/{sid}").json()["owner"] == "alice"
        for method, path, body in (("GET", f"/sessions/{sid}", None),
                                   ("GET", f"/sessions/{sid}/events", None),
                                   ("GET", f"/sessions/{sid}/stream", None),
                                   ("GET", f"/sessions/{sid}/export", None),
                                   ("POST", f"/sessions/{sid}/messages", {"question": "hi"}),
                                   ("POST", f"/sessions/{sid}/fork", {}),
                                   ("POST", f"/sessions/{sid}/pause", {}),
                                   ("POST", f"/sessions/{sid}/approve", {})):
            resp = bob.request(method, path, json=body)
            assert resp.status_code == 404, (path, resp.status_code)
            assert resp.json()["detail"] == f"no session {sid!r}"  # same as a missing one
        assert sid not in [s["session_id"] for s in bob.get("/sessions").json()["sessions"]]
        assert sid in [s["session_id"] for s in alice.get("/sessions").json()["sessions"]]
        assert sid in [s["session_id"] for s in admin.get("/sessions").json()["sessions"]]
        assert admin.get(f"/sessions/{sid}").status_code == 200
        # bob's fork of nothing, and bob's own sessions stay his
        own = bob.post("/sessions", json={}).json()["session_id"]
        assert alice.get(f"/sessions/{own}").status_code == 404


def test_rate_limit_per_token_is_429(secure_server: tuple[Server, Tokens]) -> None:
    server, tokens = secure_server
    with server.client(tokens.slow) as slow:
        codes = [slow.get("/tools").status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    with server.client(tokens.alice_read) as other:  # the limit is per token
        assert other.get("/tools").status_code == 200


def test_oversized_bodies_are_413_declared_or_chunked(secure_server: tuple[Server, Tokens]
                                                      ) -> None:
    server, tokens = secure_server
    big = json.dumps({"question": "x" * 70_000})
    with server.client(tokens.alice_all) as http:
        declared = http.post("/sessions", content=big,
                             headers={"content-type": "application/json"})
        assert declared.status_code == 413 and "limit of 65536" in declared.json()["detail"]

        def chunks():
            for i in range(0, len(big), 8192):
                yield big[i:i + 8192].encode()

        chunked = http.post("/sessions", content=chunks(),
                            headers={"content-type": "application/json"})
        assert chunked.status_code == 413
        assert http.post("/sessions/import", content=b"[" * 70_000,
                         headers={"content-type": "application/json"}).status_code == 413


def test_html_and_control_characters_come_back_as_json_data(secure_server: tuple[Server,
                                                                                 Tokens]
                                                            ) -> None:
    server, tokens = secure_server
    nasty = "<script>alert(1)</script><img src=x onerror=alert(2)> \x1b[31mred\x07 \u2028 end?"
    with server.client(tokens.alice_all) as http:
        made = http.post("/sessions", params={"wait": 590}, json={"question": nasty})
        assert made.status_code == 200, made.text
        sid = made.json()["session_id"]
        got = http.get(f"/sessions/{sid}")
        assert got.headers["content-type"] == "application/json"
        assert got.headers["x-content-type-options"] == "nosniff"
        assert got.json()["state"]["question"] == nasty  # exactly the data, unchanged
        raw = got.text
        assert "\x1b" not in raw and "\x07" not in raw  # control characters escaped
        assert "\\u001b" in raw and "\\u0007" in raw
        with http.stream("GET", f"/sessions/{sid}/stream") as resp:
            body = resp.read().decode()
        assert resp.headers["content-type"].startswith("text/event-stream")
        assert "\x1b" not in body and "\\u001b" in body
        first = next(line for line in body.splitlines() if line.startswith("data: "))
        assert json.loads(first[6:])["data"]["text"] == nasty
        listed = http.get("/sessions", params={"q": "<script>"}).json()["sessions"]
        assert [s["question"] for s in listed if s["session_id"] == sid] == [nasty]


def test_no_token_means_loopback_only(tmp_path) -> None:
    with pytest.raises(StoreError, match=r"refusing to serve on 0\.0\.0\.0: no API token"):
        check_bind("0.0.0.0", tokens_exist=False)
    check_bind("127.0.0.1", tokens_exist=False)
    check_bind("0.0.0.0", tokens_exist=True)
    done = fluxagent("serve", "--host", "0.0.0.0", "--port", str(free_port()),
                     env=server_env(tmp_path / "d"), timeout=120)
    assert done.returncode == 1
    assert "refusing to serve on 0.0.0.0: no API token exists" in done.stderr


def test_tokens_cli_shows_the_secret_once_and_stores_only_its_hash(tmp_path) -> None:
    env = server_env(tmp_path / "d")
    made = fluxagent("tokens", "create", "--owner", "alice", "--scope", "read", "--scope",
                     "approve", "--name", "laptop", "--json", env=env)
    assert made.returncode == 0, made.stderr
    doc = json.loads(made.stdout)
    secret = doc["secret"]
    assert secret.startswith(f"fxa_{doc['id']}_") and doc["scopes"] == ["read", "approve"]
    listed = fluxagent("tokens", "list", "--json", env=env)
    assert secret not in listed.stdout and json.loads(listed.stdout)[0]["id"] == doc["id"]
    db = (tmp_path / "d" / "fluxagent.db").read_bytes()
    assert secret.encode() not in db
    import hashlib
    assert hashlib.sha256(secret.encode()).hexdigest().encode() in db
    bad = fluxagent("tokens", "create", "--owner", "a", "--scope", "root", env=env)
    assert bad.returncode == 1 and "unknown: root" in bad.stderr
    gone = fluxagent("tokens", "revoke", "nosuch", env=env)
    assert gone.returncode == 1 and "no token 'nosuch'" in gone.stderr
