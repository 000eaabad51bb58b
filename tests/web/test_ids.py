"""One rule for ids on every route: an id no database can hold is refused, never a server error."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import AppRoute, WebClient, app_routes
from tieline.models.base import MAX_ID

TOO_BIG = 2**63
# What other path parameters take, so the route itself is reached.
PLACEHOLDERS = {"mode": "edit", "key": "keep:1:2026-03-01", "token": "x", "job_id": "x"}


def _url(route: AppRoute, value: int) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(value) if name.endswith("_id") else PLACEHOLDERS[name]

    return re.sub(r"\{(\w+)(?::\w+)?\}", fill, route.path)


def _send(client: WebClient, method: str, url: str, data: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url)
    headers = {"X-CSRF-Token": client.csrf()}
    if url.startswith("/api/"):
        return client.request(method, url, json=data or {}, headers=headers)
    return client.request(method, url, data=data or {}, headers=headers)


def id_routes() -> list[tuple[str, AppRoute]]:
    """(method, route) for every route with an id in its path."""
    return [
        (method, route)
        for route in app_routes()
        if re.search(r"\{\w+_id\}", route.path)
        for method in sorted(route.methods - {"HEAD"})
    ]


def test_every_route_with_an_id_in_its_path_is_checked() -> None:
    # Pages and the API alike; the list below grows with the app.
    assert len(id_routes()) >= 30


@pytest.mark.parametrize("value", [TOO_BIG, MAX_ID + 1, 0, -1])
def test_an_id_out_of_range_in_any_path_is_refused_not_a_server_error(client: WebClient, value: int) -> None:
    failures = []
    for method, route in id_routes():
        response = _send(client, method, _url(route, value))
        if response.status_code not in (404, 422):
            failures.append(f"{method} {route.path}: {response.status_code}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/people/bulk", "person"),
        ("/duplicates/unmerge", "merge_id"),
        ("/duplicates/merge", "kept"),
        ("/duplicates/distinct", "a"),
    ],
)
def test_an_id_out_of_range_in_a_form_is_refused_with_422(client: WebClient, url: str, field: str) -> None:
    data = {"person": [TOO_BIG], "add_tag": "x", "kept": 1, "merged": 2, "merge_id": 1, "a": 1, "b": 2}
    data[field] = [TOO_BIG] if field == "person" else TOO_BIG
    response = _send(client, "POST", url, data)
    assert response.status_code == 422, response.text
    assert field in response.text
