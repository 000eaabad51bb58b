"""The report's pictures from plain data: every chart drawn, the page self-contained, user text
escaped, PNGs real images. No database: the data is made up (tests/reports/sample.py)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from tests.reports.sample import HOSTILE, sample_report
from tieline.reports.html import render_html
from tieline.reports.output import write_html, write_pngs
from tieline.reports.render import CHARTS, png, svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chart_svgs(page: str) -> dict[str, str]:
    """slug -> the <svg> element inside each chart's <figure>."""
    figures = re.findall(r'<figure class="chart" id="([^"]+)".*?(<svg\b.*?</svg>)', page, re.S)
    return dict(figures)


def test_every_chart_is_an_inline_svg_with_drawn_shapes() -> None:
    page = render_html(sample_report(), data_dir=None)
    svgs = chart_svgs(page)
    assert set(svgs) == {c.slug for c in CHARTS}
    for slug, element in svgs.items():
        assert 'viewBox="0 0' in element, slug
        assert element.count("<path") >= 10, f"{slug} draws almost nothing"


def test_the_page_needs_nothing_from_the_network() -> None:
    page = render_html(sample_report(), data_dir=None)
    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page), "an external resource"
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page), "an external resource in CSS"
    assert "default-src 'none'" in page  # and the browser would refuse anything that slipped in


def test_names_and_organisations_are_escaped_everywhere() -> None:
    page = render_html(sample_report(name_of_first=HOSTILE), data_dir=None)
    assert HOSTILE not in page
    assert "<script" not in page.lower()
    # Shown as text: in the map's labels and legend, the diversity chart, the clusters and returns tables.
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4


def test_a_name_with_dollar_signs_is_drawn_as_written_not_as_a_formula() -> None:
    report = sample_report(name_of_first="Ana $x^2$ Lima")
    assert "Ana $x^2$ Lima" in svg(CHARTS[0], report)


def test_the_page_says_when_the_map_shows_only_the_strongest_people() -> None:
    report = sample_report(people=40)
    page = render_html(report, data_dir=None)
    assert "Showing the 40 strongest of your 120 people" in page


def test_each_chart_has_a_title_and_a_reading_sentence() -> None:
    page = render_html(sample_report(), data_dir=None)
    for chart in CHARTS:
        figure = re.search(
            rf'<figure class="chart" id="{chart.slug}".*?<h2>(.*?)</h2>\s*<p class="reading">(.*?)</p>',
            page,
            re.S,
        )
        assert figure, chart.slug
        title, reading = figure.groups()
        assert title.strip() and reading.strip().endswith(".")


def test_the_key_numbers_are_printed_as_text() -> None:
    page = render_html(sample_report(), data_dir=None)
    assert re.search(r'<dd data-key="constraint">0\.062</dd>', page)
    assert re.search(r'<dd data-key="effective size">88\.5</dd>', page)
    assert re.search(r'<dd data-key="strong ties">20</dd>', page)


def test_the_same_data_gives_the_same_page() -> None:
    assert render_html(sample_report(), data_dir=None) == render_html(sample_report(), data_dir=None)


def test_a_template_in_the_data_directory_replaces_the_built_in_one(tmp_path) -> None:
    custom = tmp_path / "templates" / "reports" / "report.html.j2"
    custom.parent.mkdir(parents=True)
    custom.write_text("<p>{{ report.counts.people }} people, {{ charts | length }} charts</p>\n")
    assert render_html(sample_report(), data_dir=tmp_path) == "<p>120 people, 6 charts</p>\n"


@pytest.mark.parametrize("chart", CHARTS, ids=[c.slug for c in CHARTS])
def test_each_png_is_a_real_non_blank_image(chart) -> None:
    data = png(chart, sample_report())
    assert data.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(data))
    image.verify()
    image = Image.open(io.BytesIO(data)).convert("RGB")
    assert image.width >= 1000 and image.height >= 400
    colours = image.getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20, "a blank or single-colour picture"
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.97 * image.width * image.height


def test_write_pngs_writes_one_file_per_chart(tmp_path) -> None:
    written = write_pngs(tmp_path / "charts", sample_report())
    assert sorted(p.name for p in written) == sorted(f"{c.slug}.png" for c in CHARTS)
    assert all(p.read_bytes().startswith(PNG_SIGNATURE) for p in written)
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == sorted(p.name for p in written)


def test_writing_the_page_replaces_a_previous_report_whole(tmp_path) -> None:
    target = tmp_path / "report.html"
    target.write_text("old")
    write_html(target, sample_report(), data_dir=None)
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
