"""What a page on another origin, another Host name or a frame cannot do: forge a write with a cookie
it planted, reach the app under a rebinding name, frame it, or make it load scripts from elsewhere."""

from __future__ import annotations

import re
import stat

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import WebClient
from tieline.cli.serve import host_names
from tieline.config import Settings
from tieline.db import Database
from tieline.web.app import create_app
from tieline.web.csrf import COOKIE, SECRET_FILE

OTHER_PORT = "http://127.0.0.1:9999"


def _people(client: TestClient) -> list[str]:
    return [p["name"] for p in client.get("/api/v1/people").json()["items"]]


def test_a_made_up_cookie_with_the_same_token_in_the_form_is_refused(client: WebClient) -> None:
    # Another local page can set a cookie for 127.0.0.1 (cookies ignore ports) and post the same value.
    client.cookies.set(COOKIE, "made-up-by-another-page")
    response = client.post(
        "/organisations",
        data={"name": "Forged Ltd", "kind": "company", "csrf_token": "made-up-by-another-page"},
    )
    assert response.status_code == 403
    assert client.get("/organisations").text.count("Forged Ltd") == 0


def test_a_token_signed_with_another_secret_is_refused(client: WebClient, db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    other = create_app(Settings(data_dir=tmp_path / "other", database_url="sqlite://"), database=db)
    with TestClient(other, base_url="http://127.0.0.1") as elsewhere:
        elsewhere.get("/settings")
        foreign_token = elsewhere.cookies[COOKIE]
    client.cookies.set(COOKIE, foreign_token)
    response = client.post(
        "/organisations",
        data={"name": "Forged Ltd", "kind": "company"},
        headers={"X-CSRF-Token": foreign_token},
    )
    assert response.status_code == 403


def test_the_page_token_is_signed_and_replaced_when_it_is_not(client: WebClient) -> None:
    client.cookies.set(COOKIE, "planted")
    page = client.get("/settings")
    fresh = page.cookies[COOKIE]
    assert fresh != "planted" and re.fullmatch(r"[\w-]+\.[\w-]+", fresh)
    assert f'content="{fresh}"' in page.text
    # The signed token the page carries works (the browser now holds it instead of the planted one).
    client.cookies.clear()
    client.cookies.set(COOKIE, fresh)
    assert client.form("/organisations", {"name": "Real Ltd", "kind": "company"}).status_code == 200


def test_the_signing_secret_is_kept_in_an_owner_only_file(client: WebClient, web_settings: Settings) -> None:
    path = web_settings.data_dir / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(path.read_bytes()) >= 32


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": OTHER_PORT},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
    ids=["origin-other-port", "origin-null", "same-site", "cross-site"],
)
def test_a_write_from_another_origin_is_refused_even_with_a_valid_token(
    client: WebClient, headers: dict[str, str]
) -> None:
    token = client.csrf()
    page = client.post(
        "/organisations",
        data={"name": "Forged Ltd", "kind": "company"},
        headers={"X-CSRF-Token": token, **headers},
    )
    assert page.status_code == 403
    api = client.post("/api/v1/people", json={"name": "Forged Person"}, headers=headers)
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "csrf"
    assert "Forged Person" not in _people(client)


def test_a_write_from_the_apps_own_origin_goes_through(client: WebClient) -> None:
    own = {"Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"}
    assert client.post("/api/v1/people", json={"name": "Ana Lima"}, headers=own).status_code == 201
    response = client.post(
        "/organisations",
        data={"name": "Acme", "kind": "company"},
        headers={"X-CSRF-Token": client.csrf(), **own},
    )
    assert response.status_code == 200
    assert "Ana Lima" in _people(client)


def test_reading_from_another_origin_is_still_allowed(client: WebClient) -> None:
    # A link from elsewhere opens the app; only writes are guarded.
    response = client.get("/people", headers={"Sec-Fetch-Site": "cross-site", "Origin": OTHER_PORT})
    assert response.status_code == 200


def test_only_loopback_names_are_answered_by_default(db: Database, web_settings: Settings) -> None:
    app = create_app(web_settings, database=db)
    for host in ("testserver", "evil.example", "127.0.0.1.nip.io"):
        with TestClient(app, base_url=f"http://{host}") as foreign:
            assert foreign.get("/").status_code == 400, host
    for host in ("127.0.0.1", "localhost", "[::1]"):
        with TestClient(app, base_url=f"http://{host}") as local:
            assert local.get("/people").status_code == 200, host


def test_serving_beyond_loopback_answers_only_the_names_given() -> None:
    assert host_names("127.0.0.1", []) == ["127.0.0.1", "localhost", "[::1]"]
    everywhere = host_names("0.0.0.0", ["laptop.local", "192.168.1.20"])
    assert everywhere == ["127.0.0.1", "localhost", "[::1]", "laptop.local", "192.168.1.20"]
    assert "*" not in everywhere
    assert host_names("fe80::1", []) == ["127.0.0.1", "localhost", "[::1]", "[fe80::1]"]


@pytest.mark.parametrize(
    "url", ["/", "/people", "/api/v1/people", "/api/v1/docs", "/static/app.js", "/nowhere"]
)
def test_every_response_forbids_framing_sniffing_and_foreign_scripts(client: WebClient, url: str) -> None:
    headers = client.get(url).headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_no_page_template_carries_inline_script_or_handlers() -> None:
    # The CSP would block them: behaviour lives in static/*.js.
    from tieline.web.templating import TEMPLATE_DIR

    for template in TEMPLATE_DIR.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\s(hx-on[:\w-]*|on[a-z]+)=", text), template
        assert "style=" not in text, template


def test_the_api_docs_are_served_from_the_package(client: WebClient) -> None:
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "https://" not in page.text and "//cdn" not in page.text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert any(s.endswith("swagger-ui-bundle.js") for s in sources)
    for source in sources:
        if source.startswith("data:"):
            continue
        assert re.match(r"(http://127\.0\.0\.1)?/", source), source
        assert client.get(source).status_code == 200, source
