"""Reports how many generated cases the fuzz suite ran (printed after the test summary)."""

from __future__ import annotations

import sys
from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for name, module in list(sys.modules.items()):
        if name.rsplit(".", 1)[-1] == "test_fuzz_tools" and getattr(module, "CASES", None):
            terminalreporter.write_line(module.summary())
