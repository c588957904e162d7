"""Open data: every report's statistics as CSV and JSON, and one national CSV.

One row per printed cell (table, group, row, column), totals included, in the order the HTML
tables print them, so the files and the tables can be compared cell by cell. A cell that cannot
apply is written as the words "not applicable": never blank (which reads as "missing") and
never 0 (which means "none happened").
"""
from __future__ import annotations

import json
import operator
import re
from typing import Callable, Iterable, Iterator, NamedTuple

from .figures import Figure
from .model import Report, Table
from .tablerows import NUMBER, TOTAL, printed_groups

NOT_APPLICABLE = "not applicable"
RATE_TABLE = "rso-rate"  # the derived rate, as the HTML shows it in table-rso-rate
NATIONAL_CSV = "data/mappa-statistics-all-areas.csv"

# The columns of every CSV, with their meaning (shown on the data dictionary page).
FIELDS: tuple[tuple[str, str], ...] = (
    ("area", "The area's web address name (its folder under content/), e.g. merseyside."),
    ("area_name", "The area's full name."),
    ("year", "The reporting year, 1 April to 31 March, e.g. 2014-15."),
    ("edition", "The edition of the national template the report follows (its tables differ)."),
    ("table", "The table's identifier; the same identifier means the same table in every report."),
    ("table_caption", "The table's caption as printed in the report."),
    ("group", "The block of rows inside the table (for example breach of licence), or empty."),
    ("group_label", "The block's heading as printed, or empty."),
    ("row", "The row's identifier, e.g. level_2; total is the column total. A row that a later edition split "
            "(breach_of_notification into cautioned and convicted) is also given as their sum, so its series continues."),
    ("row_label", "The row's label as printed."),
    ("column", "The column's identifier, e.g. category_1; total is the row total; figure for single figures."),
    ("column_label", "The column's heading as printed."),
    ("value", 'A whole number, or the words "not applicable" where the cell cannot apply.'),
)


class Cell(NamedTuple):  # a tuple: an archive has tens of thousands, each written twice
    """One printed figure and where it sits (the CSV's columns after the report's own four)."""

    table: str
    table_caption: str
    group: str
    group_label: str
    row: str
    row_label: str
    column: str
    column_label: str
    value: Figure

    @property
    def shown(self) -> int | str:
        return NOT_APPLICABLE if self.value is None else self.value


def table_cells(table: Table, caption: str) -> Iterator[Cell]:
    """Every cell of a table in print order (tablerows.py: rows with their totals, then the total
    row, as the edition prints them), then each earlier row that this table's rows continue."""
    for group in printed_groups(table):
        group_id = group.id if group.label else ""
        for row in group.rows:
            for cell in row.cells:
                yield Cell(table.id, caption, group_id, group.label, row.id, row.label, cell.column, cell.label, cell.value)
    # A row split in two by a later edition (see tablespecs.Continuation) keeps its series going.
    column_id, column_label = ("total", TOTAL) if table.is_grid else (table.columns[0].id, NUMBER)
    for item, value in table.continued():
        yield Cell(table.id, caption, "", "", item.row, item.label, column_id, column_label, value)


def report_cells(report: Report, caption: Callable[[Table], str]) -> list[Cell]:
    """All of a report's figures: the edition's tables, then the derived RSO rate."""
    cells = [cell for table in report.tables for cell in table_cells(table, caption(table))]
    cells.append(Cell(RATE_TABLE, "Registered sexual offenders per 100,000 population", "", "", "rso_per_100k",
                      "Registered sexual offenders per 100,000 people aged 10 and over", "figure", "Number",
                      report.rso_per_100k))
    return cells


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: int | str) -> int | str:
    """A text cell that a spreadsheet would run as a formula, with a ' in front so it shows as text.

    Figures are written as numbers (never text), so a count is never changed; "not applicable"
    and the edition's labels start with letters. Only names an author typed can be caught.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _report_fields(report: Report) -> tuple[str, str, str, str]:
    """The four columns that name the report, the same on each of its rows."""
    return report.area.slug, report.area.name, report.year.label, report.edition.id


def csv_field(value: str) -> str:
    """A text field as the csv module writes it (its default, "excel" dialect): in quotes, each
    quote doubled, only when it holds a comma, a quote or a line break; safe for spreadsheets."""
    value = spreadsheet_safe(value)  # type: ignore[assignment]
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


_NEEDS_QUOTES = re.compile('[,"\r\n]')


def to_csv(blocks: Iterable[tuple[Report, list[Cell]]]) -> str:
    """CSV text (RFC 4180 line ends) of one or more reports, one block of rows per report.

    Written line by line rather than through csv.writer: the labels and captions repeat on
    every row, so each distinct text is quoted once (csv_field) and rows are joined from them.
    """
    quoted: dict[str, str] = {}
    lines = [",".join(name for name, _ in FIELDS)]
    for report, cells in blocks:
        head = ",".join(map(csv_field, _report_fields(report)))
        for cell in cells:
            fields = [quoted[v] if v in quoted else quoted.setdefault(v, csv_field(v)) for v in cell[:8]]
            value = cell.value
            lines.append(",".join((head, *fields, NOT_APPLICABLE if value is None else str(value))))
    lines.append("")
    return "\r\n".join(lines)


def to_json(report: Report, cells: list[Cell]) -> str:
    """The report's figures with what an analyst needs to use them, as stable, sorted JSON."""
    document = {
        "area": {"id": report.area.slug, "name": report.area.name},
        "year": report.year.label,
        "edition": report.edition.id,
        "period": report.period,
        "snapshot_date": report.year.snapshot.isoformat(),
        "population_aged_10_and_over": report.population.aged_10_and_over,
        "population_estimate": report.population.estimate,
        "not_applicable": NOT_APPLICABLE,
        "cells": [],
    }
    text = json.dumps(document, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if not cells:
        return text
    # The same bytes as json.dumps(indent=1) of the whole document, but each cell (a flat record)
    # is filled into _CELL_JSON from its strings, each distinct one encoded once by the C
    # encoder: the indenting encoder is pure Python and was a tenth of a build.
    encoded: dict[str, str] = {}
    records = []
    for cell in cells:
        fields = [encoded[v] if v in encoded else encoded.setdefault(v, _json_string(v)) for v in cell[:8]]
        value = cell.value
        fields.append(_NOT_APPLICABLE_JSON if value is None else str(value))
        records.append(_CELL_JSON % _IN_KEY_ORDER(fields))
    return text.replace('"cells": []', '"cells": [\n' + ",\n".join(records) + "\n ]", 1)


_json_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) writes a str as
_NOT_APPLICABLE_JSON = _json_string(NOT_APPLICABLE)
# One cell as json.dumps(indent=1, sort_keys=True) prints it inside the document: keys sorted,
# filled in from a cell's fields put in the keys' order.
_CELL_JSON = "  {\n" + ",\n".join(f'   "{name}": %s' for name in sorted(Cell._fields)) + "\n  }"
_IN_KEY_ORDER = operator.itemgetter(*(Cell._fields.index(name) for name in sorted(Cell._fields)))


def file_stem(report: Report) -> str:
    return f"{report.area.slug}-mappa-statistics-{report.year.label}"


def report_paths(report: Report) -> tuple[str, str]:
    """Where one report's CSV and JSON go: next to its page."""
    stem = f"{report.area.slug}/{report.year.label}/{file_stem(report)}"
    return f"{stem}.csv", f"{stem}.json"


def report_files(report: Report, caption: Callable[[Table], str]) -> dict[str, str]:
    """The CSV and JSON of one report, keyed by output path (next to the report page)."""
    cells = report_cells(report, caption)
    csv_path, json_path = report_paths(report)
    return {csv_path: to_csv([(report, cells)]), json_path: to_json(report, cells)}


def national_csv(reports: Iterable[Report], own_csv: Callable[[Report], str]) -> str:
    """Every area and year in one CSV: the rows of each report's own CSV file (``own_csv``),
    areas and years in order, under one header."""
    ordered = sorted(reports, key=lambda r: (r.area.slug, r.year))
    return to_csv([]) + "".join(own_csv(r).split("\r\n", 1)[1] for r in ordered)
