"""National overview: per year, every area's tables summed like with like (pure functions)."""
import shutil

from conftest import LLR, edit
from htmltables import read_tables
from mappa_ssg import build
from mappa_ssg.model import Column, Group, Row, Table
from mappa_ssg.overview import sum_tables

COLUMNS = (Column("category_1", "Category 1"), Column("category_2", "Category 2"), Column("category_3", "Category 3"))


def grid(*rows):
    return Table("eligible", "grid", "caption", COLUMNS, (Group("main", None, tuple(Row(r[0], r[0], r[1:]) for r in rows)),))


def test_cells_add_up_and_not_applicable_stays_not_applicable():
    a = grid(("level_1", 798, 275, None), ("level_2", 7, 1, 3))
    b = grid(("level_1", 1228, 563, None), ("level_2", 35, 17, 32))
    summed = sum_tables([a, b])
    assert summed.cell("level_1", "category_1") == 2026
    assert summed.cell("level_1", "category_3") is None  # "-" plus "-" is "-", not 0
    assert summed.cell("level_1", "total") == 2026 + 838
    assert summed.cell("total", "category_3") == 35
    assert summed.grand_total == 798 + 275 + 7 + 1 + 3 + 1228 + 563 + 35 + 17 + 32


def test_zero_and_not_applicable_add_to_zero():
    # One area printed 0 where another printed "-": the sum is 0 (something was counted), not "-".
    summed = sum_tables([grid(("level_1", 1, 2, None)), grid(("level_1", 3, 4, 0))])
    assert summed.cell("level_1", "category_3") == 0


def test_rows_are_matched_by_id_not_position():
    a = grid(("level_2", 1, 1, 1), ("level_3", 10, 10, 10))
    b = grid(("level_3", 5, 5, 5))
    summed = sum_tables([a, b])
    assert [r.id for r in summed.groups[0].rows] == ["level_2", "level_3"]
    assert summed.cell("level_2", "category_1") == 1
    assert summed.cell("level_3", "category_1") == 15


def _overview_tables(output, year):
    return {k: v for k, v in read_tables((output / "overview" / "index.html").read_text(encoding="utf-8")).items()
            if k.endswith(year)}


def _cells(table):
    return [[c.text.strip() for c in row] for row in table["rows"]]


def test_overview_page_sums_areas_per_year_and_links_them(project):
    # A second area for 2014-15: Merseyside with LLR's figures, so every national cell doubles.
    shutil.copytree(project / "content" / LLR / "2014-15", project / "content" / "merseyside" / "2014-15")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    html = (project / "output" / "overview" / "index.html").read_text(encoding="utf-8")
    tables = _overview_tables(project / "output", "2014-15")
    eligible = _cells(tables["table-eligible-2014-15"])
    assert eligible[1] == ["Level 1", "1,596", "550", "-", "2,146"]
    assert eligible[4] == ["Total", "1,610", "556", "6", "2,172"]
    rate = _cells(tables["table-rso-rate-2014-15"])
    assert rate[1:] == [["Registered sexual offenders", "1,610"], ["Population aged 10 and over", "1,829,600"],
                        ["Registered sexual offenders per 100,000 people aged 10 and over", "88"]]
    assert f'href="../{LLR}/2014-15/index.html"' in html and 'href="../merseyside/2014-15/index.html"' in html
    assert "The sum of 2 area reports" in html


def test_editions_with_different_tables_are_summed_like_with_like(project):
    # Merseyside 2014-15 on the later edition: its order rows differ, so orders are not mixed.
    target = project / "content" / "merseyside" / "2014-15"
    shutil.copytree(project / "content" / LLR / "2020-21", target)
    assert "\nedition: 2015-16\n" in (target / "report.yaml").read_text()
    edit(target / "report.yaml", "  rso_per_100k: 115\n", "")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    tables = _overview_tables(project / "output", "2014-15")
    assert "areas)" not in tables["table-orders-2014-15"]["caption"]  # both areas have an orders table
    orders = _cells(tables["table-orders-2014-15"])
    assert ["Sexual Offences Prevention Orders (SOPOs)", "68"] in orders
    assert ["Sexual Harm Prevention Orders (SHPOs)", "76"] in orders
    assert tables["table-sro_breach-2014-15"]["caption"].endswith("(1 of 2 areas)")
    assert _cells(tables["table-eligible-2014-15"])[4] == ["Total", "2,008", "628", "4", "2,640"]
