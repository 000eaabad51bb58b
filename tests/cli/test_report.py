"""`tieline report`: the HTML page and the PNG charts written where asked, and clear refusals."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import FIXED_NOW
from tests.reports.sample import HOSTILE

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHART_FILES = [
    "diversity.png",
    "growth.png",
    "network-map.png",
    "reciprocity.png",
    "tie-strength.png",
    "tiers.png",
]


def small_network(session, add_person, log) -> None:
    ana = add_person(HOSTILE, tier=2, industry="Software", company="Acme & Sons")
    bo = add_person("Bo Chen", tier=3, industry="Finance")
    log("coffee", [ana], when=FIXED_NOW - timedelta(days=5))
    log("meeting", [ana, bo], when=FIXED_NOW - timedelta(days=40))
    session.commit()


def test_report_html_writes_one_self_contained_page(cli, session, add_person, log, tmp_path) -> None:
    small_network(session, add_person, log)
    target = tmp_path / "network.html"
    result = cli.ok("report", "--html", str(target))
    assert f"wrote the report on 2 people to {target}" in result.stdout.replace("\n", "")
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == 6
    assert "<script" not in page.lower() and HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Acme &amp; Sons" in page


def test_report_png_writes_one_image_per_chart(cli, session, add_person, log, tmp_path) -> None:
    small_network(session, add_person, log)
    out = tmp_path / "charts" / "march"
    cli.ok("report", "--png", str(out))
    assert sorted(p.name for p in out.iterdir()) == CHART_FILES
    assert all(p.read_bytes().startswith(PNG_SIGNATURE) for p in out.iterdir())


def test_report_both_at_once_on_an_empty_network(cli, tmp_path) -> None:
    cli.ok("report", "--html", str(tmp_path / "r.html"), "--png", str(tmp_path / "png"))
    assert "No people yet" in (tmp_path / "r.html").read_text()
    assert len(list((tmp_path / "png").iterdir())) == 6


def test_report_open_shows_the_page_in_the_browser(cli, tmp_path, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    cli.ok("report", "--html", str(tmp_path / "r.html"), "--open")
    assert opened == [(tmp_path / "r.html").resolve().as_uri()]


def test_report_refuses_without_a_destination(cli, snapshot) -> None:
    before = snapshot()
    assert "--html FILE, --png DIR" in cli.user_error("report", code=2)
    assert "--open needs --html" in cli.user_error("report", "--png", "x", "--open", code=2)
    assert snapshot() == before


def test_report_refuses_paths_it_cannot_write(cli, tmp_path) -> None:
    (tmp_path / "a-file").write_text("x")
    assert "is a directory" in cli.user_error("report", "--html", str(tmp_path), code=2)
    assert "is a file" in cli.user_error("report", "--png", str(tmp_path / "a-file"), code=2)
    assert "cannot write" in cli.user_error("report", "--html", str(tmp_path / "missing" / "r.html"), code=2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
