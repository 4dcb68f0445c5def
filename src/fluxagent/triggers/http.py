"""HTTP triggers (webhooks, Slack, email gateways): routes the REST API includes as they are.

Empty here; the webhook and Slack channels add their routes to ``router``.
"""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(tags=["triggers"])
