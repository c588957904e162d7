"""Open data: each report's CSV and JSON hold exactly the figures of its HTML tables."""
import csv
import io
import json

import pytest

from conftest import LLR, edit
from htmltables import read_tables
from seed_figures import SEEDS

REPORTS = sorted(SEEDS)


def data_path(site, area, year, ext):
    return site / area / year / f"{area}-mappa-statistics-{year}.{ext}"


def read_csv(path):
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def html_cells(html):
    """Every figure cell of the report's tables: (table, group label, row label, column label) -> text."""
    cells = {}
    for table_id, table in read_tables(html).items():
        if not table_id.startswith("table-"):
            continue  # the charts' data tables repeat figures already in the statistics tables
        header, group = None, ""
        for row in table["rows"]:
            if row[0].attrs.get("scope") == "col":
                header = [c.text.strip() for c in row]
            elif len(row) == 1 and row[0].attrs.get("scope") == "rowgroup":
                group = row[0].text.strip()
            else:
                for column, cell in zip(header[1:], row[1:]):
                    # A header shows "Category 1" over "registered sexual offenders"; each cell
                    # carries its column's label as written (data-label, printed on narrow screens).
                    column = cell.attrs.get("data-label") or column
                    cells[(table_id.removeprefix("table-"), group, row[0].text.strip(), column)] = cell.text.strip()
    return cells


def shown(value: str) -> str:
    """How the HTML prints a CSV value."""
    return "-" if value == "not applicable" else f"{int(value):,}"


@pytest.mark.parametrize("area, year", REPORTS)
def test_csv_matches_html_tables_cell_for_cell(example_site, area, year):
    html = (example_site / area / year / "index.html").read_text(encoding="utf-8")
    expected = html_cells(html)
    rows = read_csv(data_path(example_site, area, year, "csv"))
    got = {(r["table"], r["group_label"], r["row_label"], r["column_label"]): shown(r["value"]) for r in rows}
    assert len(rows) == len(got)  # no cell twice
    assert got == expected
    assert {(r["area"], r["year"]) for r in rows} == {(area, year)}


@pytest.mark.parametrize("area, year", REPORTS)
def test_json_holds_the_same_cells_as_csv(example_site, area, year):
    document = json.loads(data_path(example_site, area, year, "json").read_text(encoding="utf-8"))
    rows = read_csv(data_path(example_site, area, year, "csv"))
    assert document["area"]["id"] == area and document["year"] == year
    assert len(document["cells"]) == len(rows)
    for cell, row in zip(document["cells"], rows):
        value = cell["value"]
        assert isinstance(value, int) or value == "not applicable"
        assert {k: str(v) for k, v in cell.items()} == {k: v for k, v in row.items() if k in cell}


def test_not_applicable_is_explicit_never_blank_or_zero(example_site):
    rows = read_csv(data_path(example_site, LLR, "2014-15", "csv"))
    assert all(r["value"] != "" for r in rows)
    level_1_cat_3 = [r["value"] for r in rows if (r["table"], r["row"], r["column"]) == ("eligible", "level_1", "category_3")]
    assert level_1_cat_3 == ["not applicable"]
    # 2020-21 printed 0 where earlier years printed "-": the data keeps them apart.
    later = read_csv(data_path(example_site, LLR, "2020-21", "csv"))
    assert [r["value"] for r in later if (r["table"], r["row"], r["column"]) == ("eligible", "level_1", "category_3")] == ["0"]
    order_cells = {(r["group"], r["row"], r["column"]): r["value"] for r in rows if r["table"] == "custody"}
    assert order_cells[("breach_of_order", "total", "category_2")] == "not applicable"
    assert order_cells[("breach_of_order", "total", "total")] == "0"


def test_national_csv_has_one_block_per_area_year(example_site):
    rows = read_csv(example_site / "data" / "mappa-statistics-all-areas.csv")
    blocks = []
    for row in rows:
        key = (row["area"], row["year"])
        if not blocks or blocks[-1] != key:
            blocks.append(key)
    assert blocks == sorted(set(blocks)) and set(SEEDS) <= set(blocks)  # each area-year once, contiguous, in order
    for area, year in SEEDS:
        mine = [r for r in rows if (r["area"], r["year"]) == (area, year)]
        assert mine == read_csv(data_path(example_site, area, year, "csv"))


def test_report_page_links_its_data_and_the_dictionary(example_site):
    html = (example_site / LLR / "2014-15" / "index.html").read_text(encoding="utf-8")
    assert f'href="{LLR}-mappa-statistics-2014-15.csv"' in html
    assert f'href="{LLR}-mappa-statistics-2014-15.json"' in html
    assert 'href="../../data/index.html"' in html
    dictionary = (example_site / "data" / "index.html").read_text(encoding="utf-8")
    for column in ("area", "table", "group", "row", "column", "value"):
        assert f"<dt><code>{column}</code></dt>" in dictionary
    assert 'href="mappa-statistics-all-areas.csv"' in dictionary


# -- the writers: the same bytes as the standard library's csv and json modules would give -----
from hypothesis import given, strategies as st  # noqa: E402

from mappa_ssg import opendata  # noqa: E402
from mappa_ssg.content import load_site  # noqa: E402
from mappa_ssg.problems import Problems  # noqa: E402
from mappa_ssg.render import Renderer  # noqa: E402


# Any text, and text made of the characters that matter (quoting, line breaks, formula starts).
_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")) | st.text(alphabet=',"\r\n\t =+-@aé')


@given(st.lists(_TEXT, min_size=2, max_size=4))
def test_csv_fields_are_quoted_as_the_csv_module_quotes_them(texts):
    expected = io.StringIO()
    csv.writer(expected).writerow([opendata.spreadsheet_safe(t) for t in texts])
    assert ",".join(map(opendata.csv_field, texts)) + "\r\n" == expected.getvalue()


def _reference_csv(blocks):
    """The open data CSV as csv.DictWriter writes it (how it was first written)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[name for name, _ in opendata.FIELDS])
    writer.writeheader()
    for report, cells in blocks:
        for cell in cells:
            record = {"area": report.area.slug, "area_name": report.area.name, "year": report.year.label,
                      "edition": report.edition.id, **cell._asdict(), "value": cell.shown}
            writer.writerow({k: opendata.spreadsheet_safe(v) for k, v in record.items()})
    return out.getvalue()


def _reference_json(report, cells):
    document = {
        "area": {"id": report.area.slug, "name": report.area.name}, "year": report.year.label,
        "edition": report.edition.id, "period": report.period, "snapshot_date": report.year.snapshot.isoformat(),
        "population_aged_10_and_over": report.population.aged_10_and_over,
        "population_estimate": report.population.estimate, "not_applicable": "not applicable",
        "cells": [{**cell._asdict(), "value": cell.shown} for cell in cells],
    }
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def test_csv_and_json_are_byte_for_byte_what_the_standard_writers_give(project):
    # Names a spreadsheet would run, and text that needs quoting, among the example's own.
    edit(project / "content" / LLR / "area.yaml", "name: Leicester, Leicestershire and Rutland\n",
         'name: "=Leicester, \\"LLR\\" and Rutland"\n')
    site = load_site(project, Problems())
    renderer = Renderer(site, project)
    blocks = [(r, opendata.report_cells(r, lambda t, r=r: renderer.caption(t, r))) for r in site.reports]
    assert any(r.area.name == '=Leicester, "LLR" and Rutland' for r in site.reports)
    for report, cells in blocks:
        assert opendata.to_csv([(report, cells)]) == _reference_csv([(report, cells)])
        assert opendata.to_json(report, cells) == _reference_json(report, cells)
    # The national CSV is made from the reports' own CSV files (as staged).
    own = {id(r): opendata.to_csv([(r, cells)]) for r, cells in blocks}
    assert opendata.national_csv(site.reports, lambda r: own[id(r)]) == _reference_csv(
        sorted(blocks, key=lambda b: (b[0].area.slug, b[0].year)))
