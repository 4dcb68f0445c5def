"""Property-based requests over the whole OpenAPI schema (schemathesis), against a real
server: no 5xx, and every response matches the schema. Bounded: a few examples per route,
valid ones (checked against the schema) and invalid ones (which must be refused, not crash).

Driven through schemathesis' Python API (one hypothesis run per operation) because its
pytest plugin does not load under this pytest.
"""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from serving import Server

pytestmark = pytest.mark.slow
MAX_EXAMPLES = 8


def _exercise(operation: Any, mode: GenerationMode, checks: list[Any], url: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        if isinstance(case.query, dict) and "wait" in case.query:
            # keep a background run's wait short; the route accepts 0..600
            with contextlib.suppress(TypeError, ValueError):
                case.query["wait"] = min(float(case.query["wait"]), 1.0)
        case.call_and_validate(base_url=url, timeout=120, checks=checks)

    run()


def test_api_conforms_to_its_schema(open_server: Server) -> None:
    schema = schemathesis.openapi.from_url(f"{open_server.url}/openapi.json")
    failures: list[str] = []
    operations = exercised = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode, checks in ((GenerationMode.POSITIVE,
                              [not_a_server_error, response_schema_conformance]),
                             (GenerationMode.NEGATIVE, [not_a_server_error])):
            try:
                _exercise(operation, mode, checks, open_server.url)
                exercised += 1
            except Unsatisfiable:
                # a route with no parameter to make invalid (GET /healthz) or only free-text
                # path segments: there is no negative case to send
                assert mode is GenerationMode.NEGATIVE, operation.label
            except Exception as exc:  # collect every route's failure, then fail once
                failures.append(f"{operation.label} ({mode.value}): {exc}"[:2000])
    assert operations >= 25 and exercised >= operations + 10
    assert not failures, "\n\n".join(failures)
