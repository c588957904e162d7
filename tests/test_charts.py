"""Charts: an area with two or more years gets SVG charts, with a text alternative and the data
table beside each, on the web page and in the PDF."""
import re
import subprocess

import pytest

from conftest import LLR
from mappa_ssg import check
from mappa_ssg.charts import draw_svg, report_charts
from conftest import REPO

BRAND_BLUE = (0x1D, 0x4F, 0x91)


@pytest.fixture(scope="module")
def site():
    return check(REPO).site


def _report(site, area, year):
    return next(r for r in site.reports if r.area.slug == area and r.year.label == year)


def test_only_reports_with_an_earlier_year_get_charts(site):
    assert report_charts(site, _report(site, LLR, "2014-15")) == ()
    assert report_charts(site, _report(site, "merseyside", "2013-14")) == ()
    charts = report_charts(site, _report(site, LLR, "2020-21"))
    assert [c.id for c in charts] == ["eligible", "levels-2-and-3"]
    eligible, levels = charts
    assert eligible.years == ("2014-15", "2020-21")
    assert eligible.series == (("Category 1", (805, 1203)), ("Category 2", (278, 350)), ("Category 3", (3, 1)))
    assert levels.series == (("Level 2", (27, 18)), ("Level 3", (10, 11)))
    assert levels.alt == ("Bar chart. Offenders managed at Levels 2 and 3 during the year, 2014-15 to 2020-21. "
                          "2014-15: Level 2 27, Level 3 10; 2020-21: Level 2 18, Level 3 11.")


def test_svg_is_static_and_deterministic(site):
    chart = report_charts(site, _report(site, LLR, "2020-21"))[0]
    svg = draw_svg(chart)
    assert svg == draw_svg(chart)
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "<script" not in svg and "onload" not in svg
    assert not re.search(r'(?:xlink:)?href="(?!#)', svg), "an SVG may only refer to its own elements"
    assert "<dc:date>" not in svg


def test_report_page_shows_charts_with_alt_text_and_table(example_site):
    html = (example_site / LLR / "2020-21" / "index.html").read_text(encoding="utf-8")
    for name in ("chart-eligible.svg", "chart-levels-2-and-3.svg"):
        assert (example_site / LLR / "2020-21" / name).is_file()
    img = re.search(r'<img class="chart-image" src="chart-eligible.svg" alt="([^"]+)">', html)
    assert img and img.group(1).startswith("Bar chart. MAPPA-eligible offenders on 31 March, by category, 2014-15 to 2020-21. 2014-15: Category 1 805")
    figure = html[html.index('id="chart-eligible"'):]
    figure = figure[: figure.index("</figure>")]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">[^<]+</td>)+)</tr>', figure)
    assert [(year, re.findall(r">([^<]+)<", cells)) for year, cells in rows] == [
        ("2014-15", ["805", "278", "3"]), ("2020-21", ["1,203", "350", "1"])]
    area = (example_site / LLR / "index.html").read_text(encoding="utf-8")
    assert 'src="2020-21/chart-eligible.svg"' in area
    assert "chart-" not in (example_site / LLR / "2014-15" / "index.html").read_text(encoding="utf-8")


def test_charts_are_drawn_in_the_pdf(example_site, tmp_path):
    pdf = example_site / LLR / "2020-21" / f"{LLR}-mappa-annual-report-2020-21.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    page = next(i for i, text in enumerate(pages, 1) if "Figures over the years" in text)
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.ppm")).read_bytes()
    # The bars are filled in the brand blue: count pixels of that colour on the page.
    header_end = image.index(b"255\n") + 4
    pixels = image[header_end:]
    blue = sum(1 for i in range(0, len(pixels) - 2, 3) if abs(pixels[i] - BRAND_BLUE[0]) < 8
               and abs(pixels[i + 1] - BRAND_BLUE[1]) < 8 and abs(pixels[i + 2] - BRAND_BLUE[2]) < 8)
    assert blue > 200, f"no chart bars drawn on page {page} ({blue} blue pixels)"
    assert "2014-15" in pages[page - 1] and "1,203" in pages[page - 1]


def test_unchanged_chart_is_not_drawn_again(site, tmp_path, monkeypatch):
    from mappa_ssg import charts as charts_module

    chart = report_charts(site, _report(site, LLR, "2020-21"))[1]
    first = charts_module.cached_svg(chart, tmp_path)
    monkeypatch.setattr(charts_module, "draw_svg", lambda c: pytest.fail("drawn again"))
    assert charts_module.cached_svg(chart, tmp_path) == first
    changed = charts_module.Chart(chart.id, chart.title, chart.years, (("Level 2", (27, 19)), chart.series[1]))
    with pytest.raises(pytest.fail.Exception, match="drawn again"):
        charts_module.cached_svg(changed, tmp_path)
