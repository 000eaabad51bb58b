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


# The operations are fuzzed in GROUPS groups, each a test of its own, so that the run's workers share
# them (one test over every operation took over five minutes on one worker).
GROUPS = 6


def _operations(schema, group: int):  # type: ignore[no-untyped-def]
    """Every GROUPS-th operation of the schema from `group`, in a stable order."""
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()), key=lambda o: (o.path, o.method)
    )
    assert len(operations) >= 10
    mine = operations[group::GROUPS]
    assert mine
    return mine


@pytest.mark.parametrize("group", range(GROUPS))
def test_api_never_fails_and_matches_its_schema(api_schema, group: int) -> None:  # type: ignore[no-untyped-def]
    # schemathesis' own pytest plugin does not run on pytest 9 yet; drive its Hypothesis
    # strategies directly, one operation at a time.
    for operation in _operations(api_schema, group):

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers={"Host": "127.0.0.1"}, checks=CHECKS)

        check()


@pytest.fixture
def server_schema(db, web_settings, add_person, session):  # type: ignore[no-untyped-def]
    """Server mode: accounts exist; the schema of that app and a write token of the network's owner."""
    from tieline.models import LOCAL_OWNER_ID
    from tieline.services import accounts, tokens

    add_person("Ana Lima", tier=1, lists={"emails": ["ana@example.org"]})
    accounts.add_user(session, username="owner", password="a long enough password", now=FIXED_NOW)
    accounts.add_user(session, username="other", password="a long enough password", now=FIXED_NOW)
    _, secret = tokens.create(session, owner_id=LOCAL_OWNER_ID, name="fuzz", scope="write", now=FIXED_NOW)
    session.commit()
    app = create_app(
        web_settings, database=db, now=lambda: FIXED_NOW, allowed_hosts=[*LOOPBACK_HOSTS, "testserver"]
    )
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", app), secret


@pytest.mark.parametrize("group", range(GROUPS))
def test_with_a_token_the_api_never_fails_and_matches_its_schema(server_schema, group: int) -> None:  # type: ignore[no-untyped-def]
    schema, secret = server_schema
    for operation in _operations(schema, group):

        @settings(max_examples=5, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            response = case.call_and_validate(
                headers={"Host": "127.0.0.1", "Authorization": f"Bearer {secret}"}, checks=CHECKS
            )
            assert response.status_code not in (401, 403), (case.method, case.path, response.text)

        check()


REFUSED = (None, "Bearer tl_not-a-token", "Basic b3duZXI6YQ==")


@pytest.mark.parametrize("group", range(GROUPS))
def test_without_a_valid_token_every_api_route_refuses(server_schema, group: int) -> None:  # type: ignore[no-untyped-def]
    schema, _ = server_schema
    for operation in _operations(schema, group):

        @settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def check(case) -> None:  # type: ignore[no-untyped-def]
            for authorization in REFUSED:
                headers = {"Host": "127.0.0.1"} | ({"Authorization": authorization} if authorization else {})
                response = case.call(headers=headers)
                # Refused before anything is read: 401 with the challenge; or refused earlier still,
                # an upload without the pages' CSRF token (403), a body that is not JSON (415) or
                # not valid (422). Never a 2xx, never data.
                assert response.status_code in (401, 403, 415, 422), (
                    case.method,
                    case.path,
                    response.status_code,
                )
                assert "Ana Lima" not in response.text
                if response.status_code == 401:
                    challenge = response.headers["www-authenticate"]  # schemathesis: a list per header
                    assert challenge[0].startswith("Bearer"), challenge
                    assert "Ana Lima" not in response.text

        check()
