"""schemathesis against the OpenAPI schema FastAPI generates: random valid (and edge-case) requests to
every operation; none may answer 5xx and every response must match its documented schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.conftest import FIXED_NOW
from tieline.web.app import LOOPBACK_HOSTS, create_app


@pytest.fixture
def api_schema(db, web_settings, add_person, log, session):  # type: ignore[no-untyped-def]
    """The schema of an app over a small network, so reads find real people and agenda lines."""
    ana = add_person("Ana Lima", tier=1, lists={"emails": ["ana@example.org"], "tags": ["x"]})
    bo = add_person("Bo Chen", tier=2)
    log("coffee", [ana, bo], when=FIXED_NOW.replace(year=2025))
    session.commit()
    # schemathesis loads the schema as host "testserver", which only a test may allow.
    app = create_app(
        web_settings, database=db, now=lambda: FIXED_NOW, allowed_hosts=[*LOOPBACK_HOSTS, "testserver"]
    )
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)


# No 5xx, and every response matches the documented status codes, content type, headers and schema.
# (A value the schema allows but the domain refuses, such as an unknown date word, is a 422 with
# the stable error shape, which the schema documents; that is not counted as a failure.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


def test_api_never_fails_and_matches_its_schema(api_schema) -> None:  # type: ignore[no-untyped-def]
    # schemathesis' own pytest plugin does not run on pytest 9 yet; drive its Hypothesis
    # strategies directly, one operation at a time.
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers={"Host": "127.0.0.1"}, checks=CHECKS)

        check()
