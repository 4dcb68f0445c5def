"""``fluxagent serve``: the API under uvicorn, bound to 127.0.0.1 unless tokens guard it."""

from __future__ import annotations

import ipaddress

from fluxagent.config import Settings
from fluxagent.store.base import StoreError

LOOPBACK = "127.0.0.1"


def check_bind(host: str, tokens_exist: bool) -> None:
    """Refuse to open the API beyond this machine while it has no token."""
    if tokens_exist:
        return
    try:
        loopback = ipaddress.ip_address(host) == ipaddress.ip_address(LOOPBACK)
    except ValueError:
        loopback = False
    if not loopback:
        raise StoreError(f"refusing to serve on {host}: no API token exists, so the API "
                         f"would be open to anyone who can reach it; bind {LOOPBACK} or "
                         "first run `fluxagent tokens create --owner NAME --scope read ...`")


def serve(settings: Settings, host: str, port: int) -> None:
    import uvicorn

    from fluxagent.api.app import create_app
    from fluxagent.store.access import AccessStore
    from fluxagent.store.sql import SqlStore

    with SqlStore.from_settings(settings) as store:
        check_bind(host, AccessStore.for_store(store).any_token())
    app = create_app(settings)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
