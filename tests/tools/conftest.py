"""Session fixtures of the tool tests: peers that are expensive to build are built once."""

from __future__ import annotations

import cobra
import pytest


@pytest.fixture(scope="session")
def plain_ijo1366() -> cobra.Model:
    """iJO1366 straight from cobrapy (no fluxagent code), for side-by-side checks; tests
    change it only inside ``with model:`` blocks."""
    return cobra.io.load_model("iJO1366")
