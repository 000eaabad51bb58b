"""The HTML report in a real browser (Debian's chromium through Playwright): it opens from disk with
a clean console and no request at all, every chart and the map draw something visible, and a hostile
name stays text. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from PIL import Image

from tests.conftest import FIXED_NOW
from tests.reports.sample import HOSTILE, sample_report
from tieline.models import LOCAL_OWNER_ID
from tieline.reports.gather import gather_report
from tieline.reports.output import write_html
from tieline.reports.render import CHARTS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Per chart: the SVG's size on the page and how many shapes and texts it drew.
MEASURE = """() => Array.from(document.querySelectorAll('figure.chart')).map(f => {
  const svg = f.querySelector('svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {slug: f.dataset.chart, width: box.width, height: box.height,
          shapes: svg ? svg.querySelectorAll('path, use, rect, circle, line, polyline').length : 0,
          texts: svg ? svg.querySelectorAll('text').length : 0};
})"""


def open_report(browser: object, path: Path, shot: str) -> tuple[list[dict], list[str], list[str], bytes]:
    """Load the file, measure the charts; (charts, console errors, requests, screenshot PNG)."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith("file:") else None)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    charts = page.evaluate(MEASURE)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image = page.screenshot(path=str(ARTIFACTS / f"report-{shot}.png"), full_page=True)
    context.close()
    return charts, errors, requests, image


def assert_drawn(charts: list[dict], image: bytes) -> None:
    assert [c["slug"] for c in charts] == [c.slug for c in CHARTS]
    for chart in charts:
        assert chart["width"] > 300 and chart["height"] > 150, chart
        assert chart["shapes"] >= 10 and chart["texts"] >= 3, chart
    picture = Image.open(io.BytesIO(image)).convert("RGB")
    colours = picture.getcolors(maxcolors=1 << 22) or []
    assert len(colours) > 50, "the screenshot is blank"
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.95 * picture.width * picture.height


def test_the_report_renders_offline_with_a_clean_console(browser, tmp_path) -> None:
    path = write_html(
        tmp_path / "report.html", sample_report(people=300, name_of_first=HOSTILE), data_dir=None
    )
    charts, errors, requests, image = open_report(browser, path, "sample")
    assert errors == []  # no script ran: an alert() would show up here as a dialog
    assert requests == []
    assert_drawn(charts, image)


def test_a_report_from_the_database_renders(browser, tmp_path, session, add_person, log) -> None:
    people = [
        add_person(f"Person {i}", tier=1 + i % 5, industry=("Software", "Finance")[i % 2]) for i in range(12)
    ]
    for i, person in enumerate(people):
        log("coffee", [person], when=FIXED_NOW - timedelta(days=10 * i))
    log("meeting", people[:4], when=FIXED_NOW - timedelta(days=3))
    report = gather_report(session, owner_id=LOCAL_OWNER_ID, now=FIXED_NOW)
    path = write_html(tmp_path / "report.html", report, data_dir=None)
    charts, errors, requests, image = open_report(browser, path, "database")
    assert errors == [] and requests == []
    assert_drawn(charts, image)
