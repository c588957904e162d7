"""Charts: an area with two or more years gets SVG charts, with a text alternative and the data
table beside each, on the web page and in the PDF."""
import re
import subprocess
import sys

import pytest

from conftest import LLR
from mappa_ssg import check
from mappa_ssg import charts as charts_module
from mappa_ssg.charts import Chart, draw_svg, report_charts
from mappa_ssg.figures import show
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
    img = re.search(r'<img class="chart-image" src="chart-eligible.svg" width="\d+" height="\d+" alt="([^"]+)">', html)
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


def _big_chart():
    years = tuple(f"{y}-{(y + 1) % 100:02d}" for y in range(2010, 2020))
    return Chart("eligible", "MAPPA-eligible offenders on 31 March, by category", years, (
        ("Category 1", (805, 900, None, 1000, 1100, 1150, 1203, 1250, 1300, 1320)),
        ("Category 2", (278, 290, 300, 0, 320, 330, 350, 360, 370, 380)),
        ("Category 3", (None, 4, 5, 6, 2, 1, 1, 0, 2, 3))))


def _bars(svg):
    """(length, label) of every bar in drawing order; a bar of length 0 is drawn as no rect."""
    items = re.findall(r'(?:<rect x="\d+" y="(\d+)" width="([\d.]+)"[^>]*/>\n)?<text x="[\d.]+" y="(\d+)">([^<]+)', svg)
    return [(float(width or 0), label.strip()) for _, width, _, label in items]


def test_bars_are_to_one_scale_and_labelled_with_their_figures():
    chart = _big_chart()
    svg = draw_svg(chart)
    bars = _bars(svg)
    figures = [v for i in range(len(chart.years)) for _, values in chart.series for v in [values[i]]]
    assert [label for _, label in bars] == [show(v) for v in figures]
    # One scale: every bar's length is its figure times the same factor (drawn to 0.1 unit).
    scale = max(bars)[0] / max(v or 0 for v in figures)
    assert all(abs(length - (v or 0) * scale) <= 0.05 for (length, _), v in zip(bars, figures))
    # "Not applicable" and 0 stay distinct: both have no bar, but "-" and "0" are written.
    assert bars[2 * 3][1] == "-" and bars[3 * 3 + 1][1] == "0"


def test_each_series_is_named_once_beside_its_first_figure():
    svg = draw_svg(_big_chart())
    names = re.findall(r'<text x="[\d.]+" y="\d+">([^<]+) <tspan fill="#505a5f">([^<]+)</tspan>', svg)
    # Category 3 has no figure in the first year, so it is named beside its first one.
    assert names == [("805", "Category 1"), ("278", "Category 2"), ("4", "Category 3")]
    assert "legend" not in svg and "<line" not in svg, "no legend, no grid"


def test_labels_fit_inside_the_drawing():
    chart = Chart("x", "A long one", ("2019-20", "2020-21"),
                  (("A category with a very long name indeed", (123456, 7)), ("B", (1, 2))))
    svg = draw_svg(chart)
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert chart.size[0] == width > charts_module.WIDTH
    for x, text in re.findall(r'<text x="([\d.]+)" y="\d+">(.+?)</text>', svg):
        text = re.sub(r"<[^>]+>", "", text)
        assert float(x) + len(text) * charts_module.CHAR_WIDTH <= width


def test_a_chart_is_text_not_a_plotting_library():
    # Drawn by mappa's own geometry: building charts imports no plotting library.
    code = ("import sys; from mappa_ssg.charts import Chart, draw_svg; "
            "draw_svg(Chart('x', 't', ('2019-20', '2020-21'), (('A', (1, 2)),))); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'pygal')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
