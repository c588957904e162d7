"""Editions are complete data (issue 13, item 3): the row shape, presentation, checks across
tables, continuity of a split row, charts, column widths and edition selection all come from
edition.yaml, and the 2017-18, 2022-23 and 2023-24 editions build with no code of their own."""
import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import LLR, REPO, edit
from htmltables import read_tables
from mappa_ssg import build, check
from mappa_ssg.cli import main

CHESHIRE = "content/cheshire/2022-23/report.yaml"
NORTH_WALES = "content/north-wales/2023-24/report.yaml"
LLR_2020 = f"content/{LLR}/2020-21/report.yaml"


def errors(result):
    return [str(p) for p in result.problems if p.severity == "error"]


def position(project: Path, rel: str, needle: str, inner: str | None = None) -> str:
    """"path:line:col" of ``inner`` (default ``needle``) on the first line holding ``needle``."""
    for number, line in enumerate((project / rel).read_text().splitlines(), 1):
        if needle in line:
            return f"{rel}:{number}:{line.index(inner or needle) + 1}"
    raise AssertionError(needle)


# -- the shape of a row -------------------------------------------------------------------------
def test_a_copied_three_category_row_is_refused_in_a_four_category_edition(project):
    # The 2020-21 row with its keyed total, pasted into the 2022-23 report (4 categories).
    edit(project / CHESHIRE, "level_2: [18, 14, 9, 1, total: 42]", "level_2: [4, 5, 1, total: 10]")
    where = position(project, CHESHIRE, "level_2: [4, 5, 1", "[4, 5")
    assert f"{where}: eligible.level_2: expected 4 figures (Category 1, Category 2, Category 3, Category 4), " \
           "optionally followed by `total: N`; found 3 (this edition has 4 columns: a row copied from an " \
           "edition with fewer needs the new figures)" in errors(check(project))


def test_a_bare_total_is_refused_with_the_keyed_form_to_write(project):
    edit(project / LLR_2020, "level_2: [4, 5, 1, total: 10]", "level_2: [4, 5, 1, 10]")
    where = position(project, LLR_2020, "level_2: [4, 5, 1, 10]", "[4, 5")
    assert errors(check(project)) == [
        f"{where}: eligible.level_2: expected 3 figures (Category 1, Category 2, Category 3), optionally followed by "
        "`total: N`; found 4; if the last one is the total, write it as `total: 10`"]


def test_a_fourth_figure_that_is_the_sum_of_the_others_is_questioned(project):
    # The same row without the total row below it would pass every sum: a warning asks.
    edit(project / CHESHIRE, "level_2: [18, 14, 9, 1, total: 42]", "level_2: [18, 14, 9, 41]")
    edit(project / CHESHIRE, "    total:   [1140, 535, 10, 4, total: 1689]\n", "")
    result = check(project)
    where = position(project, CHESHIRE, "level_2: [18, 14, 9, 41]", "41")
    assert f"{where}: warning: eligible.level_2: Category 4 is 41, the sum of the other figures: if 41 is the " \
           "row's total, write it as `total: 41` and give Category 4's own figure" in [str(p) for p in result.problems]
    assert not CliRunner().invoke(main, ["check", "-p", str(project), "--strict"]).exit_code == 0


# -- checks across tables -------------------------------------------------------------------------
def test_a_breakdown_that_does_not_add_up_is_an_error_naming_both_sides(project):
    edit(project / NORTH_WALES, "level_3: [0, 1, 0, 1, 1, 0, 0, 0, total: 3]", "level_3: [0, 1, 0, 1, 1, 0, 1, 0, total: 4]")
    where = position(project, NORTH_WALES, "  age:", "age")
    assert errors(check(project)) == [
        f"{where}: statistics.age: age.level_3.total = 4, but eligible.level_3.total = 3: the age breakdown should "
        "count the same Level 3 offenders as the eligible-offenders table"]


def test_a_check_naming_an_unknown_row_is_an_error_in_the_edition(project):
    edit(project / "templates/editions/2023-24/edition.yaml", "equal: [sex.total.level_2,", "equal: [sex.everyone.level_2,")
    result = check(project)
    assert any(re.match(r'templates/editions/2023-24/edition.yaml:\d+:\d+: "sex.everyone.level_2": "everyone" is not a row of sex', e)
               for e in errors(result)), errors(result)


# -- presentation from the edition ----------------------------------------------------------------
def rows_of(html: str, table_id: str) -> list[list[str]]:
    return [[c.text.strip() for c in row] for row in read_tables(html)[table_id]["rows"]]


def test_row_headers_and_totals_come_from_the_edition(example_site):
    html = (example_site / "north-wales/2023-24/index.html").read_text()
    assert rows_of(html, "table-sex")[0][0] == "Sex" and rows_of(html, "table-ethnicity")[0][0] == "Ethnic group"
    assert rows_of(html, "table-age")[0] == ["Level", "10–17", "18–24", "25–29", "30–39", "40–49", "50–59", "60–69", "70+", "Total"]
    sfo = rows_of(html, "table-serious_further_offences")
    assert sfo[0] == ["Level", "Number"]
    assert sfo[-1] == ["Total charged with a Serious Further Offence", "1"]


def test_an_edition_can_hide_a_total_row_and_column(project):
    spec = project / "templates/editions/2023-24/edition.yaml"
    edit(spec, "    row_header: Sex\n", "    row_header: Sex\n    total_row: false\n    total_column: false\n")
    assert build(project, pdf=False).ok
    sex = rows_of((project / "output/north-wales/2023-24/index.html").read_text(), "table-sex")
    assert sex == [["Sex", "Level 2", "Level 3"], ["Male", "29", "3"], ["Female", "2", "0"]]


def test_a_figures_table_total_is_checked(project):
    edit(project / f"content/merseyside/2017-18/report.yaml", "    total: 2\n", "    total: 3\n")
    where = position(project, "content/merseyside/2017-18/report.yaml", "    total: 3", "3")
    assert errors(check(project)) == [f"{where}: serious_further_offences.total: 3 given, but the figures add up to 2"]


# -- continuity: a row split in two continues its series ------------------------------------------
@pytest.fixture
def split_project(project):
    """North Wales 2025-26 under the 2025-26 edition (cautions and convictions counted apart)."""
    old = project / "content/north-wales/2023-24"
    new = project / "content/north-wales/2025-26"
    shutil.copytree(old, new)
    shutil.rmtree(new / "cy")  # the 2025-26 edition has no Welsh text: this report is in English only
    edit(new / "report.yaml", "  breach_of_notification: 33\n", "  breach_of_notification:\n    cautioned: 12\n    convicted: 29\n")
    return project


def test_cautions_and_convictions_continue_the_single_figure_in_open_data(split_project):
    result = build(split_project, pdf=False)
    assert result.ok, errors(result)
    rows = list(csv.DictReader(io.StringIO((split_project / "output/data/mappa-statistics-all-areas.csv").read_text())))
    series = {(r["year"], r["row"]): r["value"] for r in rows if r["area"] == "north-wales" and r["table"] == "breach_of_notification"}
    assert series == {("2023-24", "breach_of_notification"): "33", ("2025-26", "cautioned"): "12",
                      ("2025-26", "convicted"): "29", ("2025-26", "total"): "41",
                      ("2025-26", "breach_of_notification"): "41"}


def test_cautions_and_convictions_continue_the_single_figure_in_the_chart(split_project):
    result = build(split_project, pdf=False)
    assert result.ok, errors(result)
    chart = next(c for c in result.site.reports if c.year.label == "2025-26")
    from mappa_ssg.charts import report_charts
    breach = next(c for c in report_charts(result.site, chart) if c.id == "breach-of-notification")
    assert breach.years == ("2023-24", "2025-26")
    assert breach.series == (("RSOs cautioned or convicted for breach of notification requirements", (33, 41)),)


# -- charts, editions and scaffolding --------------------------------------------------------------
def test_which_tables_are_charted_comes_from_the_edition(project):
    for edition in ("2001-02", "2015-16"):
        text = (project / f"templates/editions/{edition}/edition.yaml").read_text()
        (project / f"templates/editions/{edition}/edition.yaml").write_text(
            text.replace('    chart:\n      title: "Offenders managed at Levels 2 and 3 during the year"\n      series: rows\n', ""))
    result = build(project, pdf=False)
    assert result.ok
    html = (project / f"output/{LLR}/2020-21/index.html").read_text()
    assert 'id="chart-eligible"' in html and 'id="chart-levels-2-and-3"' not in html


def test_two_editions_with_the_same_first_year_are_an_error(project):
    shutil.copytree(project / "templates/editions/2022-23", project / "templates/editions/2022-23-copy")
    where = position(project, "templates/editions/2022-23-copy/edition.yaml", "first_year:", "2022-23")
    assert f"{where}: first_year 2022-23 is also the first year of templates/editions/2022-23: which edition applies " \
           "would depend on folder names; give each edition its own first year" in errors(check(project))


def test_mappa_new_keeps_the_edition_a_report_named(project):
    result = CliRunner().invoke(main, ["new", "-p", str(project), LLR, "2021-22"])
    assert result.exit_code == 0, result.output
    text = (project / f"content/{LLR}/2021-22/report.yaml").read_text()
    assert "\nedition: 2015-16\n" in text and "serious_further_offences" not in text


def test_the_new_editions_need_no_code_of_their_own():
    code = "\n".join(p.read_text() for p in (REPO / "mappa_ssg").glob("*.py"))
    for word in ("category_4", "serious_further", "serious_case", "ethnicity", "age_10", '"cautioned"', "2017-18", "2022-23", "2023-24"):
        assert word not in code, word


def test_the_example_site_has_a_report_for_each_new_edition(example_site):
    result = check(REPO)
    used = {r.edition.id for r in result.site.reports}
    assert {"2017-18", "2022-23", "2023-24"} <= used
    cheshire = (example_site / "cheshire/2022-23/index.html").read_text()
    assert "Category 4: terrorist or terrorism-risk offenders</th>" in cheshire


# -- PDF column widths follow the number of columns ------------------------------------------------
def _header_lines(html: str, base: Path, table_id: str) -> dict[str, int]:
    """How many lines each column heading of a table takes in the laid-out PDF."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=str(base) + "/").render(
        stylesheets=[weasyprint.CSS(filename=str(REPO / "templates/assets/pdf.css"))])

    def walk(box):
        yield box
        for child in getattr(box, "children", ()):
            yield from walk(child)

    found: dict[str, int] = {}
    for page in document.pages:
        for box in walk(page._page_box):
            if getattr(box, "element_tag", "") != "table" or box.element.get("id") != table_id:
                continue
            for head in (b for b in walk(box) if getattr(b, "element_tag", "") == "thead"):
                for cell in (b for b in walk(head) if type(b).__name__ == "TableCellBox"):
                    lines = [b for b in walk(cell) if type(b).__name__ == "LineBox"]
                    found["".join(cell.element.itertext()).strip()] = len(lines)
                    for line in lines:  # nothing runs past the cell into the next column
                        assert line.width <= cell.width + 0.01, (cell.element.text, line.width, cell.width)
    return found


def test_pdf_fits_eight_age_bands_and_four_categories(project):
    from mappa_ssg.model import Report  # noqa: F401  (the model is what the page is made from)
    from mappa_ssg.render import Renderer

    result = check(project)
    report = next(r for r in result.site.reports if r.area.slug == "north-wales")
    html = Renderer(result.site, project).report(report, for_print=True).content
    ages = _header_lines(html, project / "content/north-wales/2023-24", "table-age")
    assert len(ages) == 10 and all(n == 1 for n in ages.values()), ages
    eligible = _header_lines(html, project / "content/north-wales/2023-24", "table-eligible")
    assert len(eligible) == 6, eligible  # Level, four categories, Total: each within its column
