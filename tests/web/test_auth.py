"""The pages under the API's auth model: once a token exists, a page needs one (a login form
that keeps it in an HttpOnly cookie), another owner's session is not there, and a form needs
its CSRF token and this site's origin."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import Server, fluxagent, server_env, start_server, stop

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str]]:
    data_dir: Path = tmp_path_factory.mktemp("web-auth") / "data"
    env = server_env(data_dir)
    secrets = []
    for owner in ("alice", "bob"):
        done = fluxagent("tokens", "create", "--owner", owner, "--json", "--scope", "read",
                         "--scope", "write", "--scope", "approve", env=env)
        assert done.returncode == 0, done.stderr
        secrets.append(str(json.loads(done.stdout)["secret"]))
    server = start_server(data_dir)
    yield server, secrets[0], secrets[1]
    stop(server)


def login(http: httpx.Client, secret: str) -> httpx.Client:
    resp = http.post("/web/login", data={"token": secret, "next": "/web/ask"})
    assert resp.status_code == 303 and resp.headers["location"] == "/web/ask"
    cookie = resp.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/web" in cookie
    return http


def csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found
    return found.group(1)


def test_pages_need_a_token_and_keep_it_in_an_httponly_cookie(
        guarded: tuple[Server, str, str]) -> None:
    server, alice, bob = guarded
    with httpx.Client(base_url=server.url) as anon:
        for url in ("/web", "/web/inbox", "/web/models", "/web/sessions/x/stream"):
            resp = anon.get(url)
            assert resp.status_code == 303, url
            assert resp.headers["location"].startswith("/web/login?next=")
        bad = anon.post("/web/login", data={"token": "fxa_nope_nope"})
        assert bad.status_code == 401 and "unknown API token" in bad.text
    with httpx.Client(base_url=server.url, cookies={"fluxagent_token": "fxa_forged_x"}
                      ) as forger:
        forged = forger.get("/web")
        assert forged.status_code == 303 and "why=" in forged.headers["location"]
    with httpx.Client(base_url=server.url, timeout=120) as http:
        login(http, alice)
        page = http.get("/web/ask")
        assert page.status_code == 200 and "alice" in page.text
        token = csrf(page.text)
        assert http.post("/web/ask", data={"question": "How fast does e_coli_core grow?"}
                         ).status_code == 403  # no CSRF token
        other_site = http.post("/web/ask", data={"csrf": token, "question": "hi"},
                               headers={"Origin": "https://evil.example"})
        assert other_site.status_code == 403 and "another site" in other_site.text
        made = http.post("/web/ask", data={"csrf": token,
                                           "question": "How fast does e_coli_core grow?"})
        assert made.status_code == 303, made.text
        sid = made.headers["location"].rsplit("/", 1)[1]
        assert http.get(f"/web/sessions/{sid}").status_code == 200
    with httpx.Client(base_url=server.url, timeout=120) as http:
        login(http, bob)
        assert http.get(f"/web/sessions/{sid}").status_code == 404  # alice's
        assert sid not in http.get("/web").text
        out = http.post("/web/logout")
        assert out.status_code == 303 and 'fluxagent_token=""' in out.headers["set-cookie"]
        assert http.get("/web").status_code == 303
