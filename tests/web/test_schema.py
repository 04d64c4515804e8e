"""Property-based tests of the API from its own OpenAPI schema (schemathesis, in-process ASGI): no input the
schema allows may produce a server error (5xx).

The operations are driven through Hypothesis directly (one test per operation), which keeps the run bounded
(``MAX_EXAMPLES`` per operation, well under a minute in all) and independent of the pytest plugin's internals.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from careerlens.settings import Settings
from careerlens.web.app import create_app

MAX_EXAMPLES = 25
# every API operation of the app; a test below checks that this list matches the schema
OPERATIONS = [
    "GET /healthz",
    "GET /api/v1/roles",
    "GET /api/v1/roles/{role}",
    "GET /api/v1/compare",
    "GET /api/v1/salary",
    "GET /api/v1/salary/by-level",
    "GET /api/v1/skills/top",
    "GET /api/v1/demand",
    "GET /api/v1/converge",
    "GET /api/v1/premium",
    "GET /api/v1/ladder",
    "GET /api/v1/paths",
    "GET /api/v1/questions",
    "POST /api/v1/advise",
    "POST /api/v1/advise/resume",
    "POST /api/v1/advise/report",
    "GET /api/v1/about",
]


@pytest.fixture(scope="session")
def api_schema(settings: Settings) -> Any:
    # a generous upload bucket: rate limiting (429) is tested on its own; here uploads should reach the parser
    app = create_app(settings, upload_capacity=10_000, upload_refill_per_s=10_000)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _operations(schema: Any) -> dict[str, Any]:
    return {op.label: op for op in (r.ok() for r in schema.get_all_operations())}


def test_operation_list_matches_schema(api_schema: Any) -> None:
    assert sorted(_operations(api_schema)) == sorted(OPERATIONS)


@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_errors(api_schema: Any, label: str) -> None:
    operation = _operations(api_schema)[label]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        response = case.call()
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} {case.query}: {response.text[:300]}"
        )
        case.validate_response(response, checks=[not_a_server_error])

    check()


def test_every_role_through_every_endpoint(client: Any) -> None:
    """Random strings mostly miss the role names; this sweep sends every real role through every endpoint."""
    roles = [r["id"] for r in client.get("/api/v1/roles").json()]
    failures = []
    for role in roles:
        other = "machine_learning_engineer" if role != "machine_learning_engineer" else "ai_engineer"
        for path, params in (
            ("/api/v1/roles/" + role, {}),
            ("/api/v1/salary", {"role": role, "by_level": True}),
            ("/api/v1/skills/top", {"role": role}),
            ("/api/v1/premium", {"role": role}),
            ("/api/v1/demand", {"role": role, "by": "month"}),
            ("/api/v1/converge", {"a": role, "b": other}),
            ("/api/v1/compare", {"a": other, "b": role}),
            ("/api/v1/paths", {"from_role": "data_analyst", "to_role": role}),
            ("/salary", {"role": role}),
            ("/skills", {"role": role}),
            ("/compare", {"a": role, "b": other}),
            ("/paths", {"role": role}),
        ):
            r = client.get(path, params=params)
            if r.status_code >= 500:
                failures.append(f"{path} {params}: {r.status_code}")
    assert not failures, failures
