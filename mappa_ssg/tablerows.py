"""A statistics table as printed: its blocks, rows and cells in print order.

One pure function of the model, shared by the HTML and PDF tables (``_table.html`` loops over
it) and the open data (opendata.py writes one record per cell), so the files and the printed
tables list the same cells in the same order, with the same labels. Each cell carries its
column's label and whether it is a total, so the template writes a cell without looking
anything up: a macro call per cell was most of a report page's rendering time.
"""
from __future__ import annotations

from typing import NamedTuple

from .figures import Figure, show
from .model import Table

TOTAL = "Total"  # the words the open data uses; a page passes its own language's
NUMBER = "Number"


class PrintedCell(NamedTuple):  # tuples: tens of thousands are made per build
    column: str  # the column's id; "total" for the row's total
    label: str  # the column's heading as printed
    value: Figure
    text: str  # the figure as printed: "1,234", "-" or "TODO"
    is_total: bool  # a row total, or a cell of the total row


class PrintedRow(NamedTuple):
    id: str  # "total" for the total row
    label: str
    is_total: bool
    cells: tuple[PrintedCell, ...]


class PrintedGroup(NamedTuple):
    id: str
    label: str  # "" for a table with one unlabelled block
    rows: tuple[PrintedRow, ...]


def printed_groups(table: Table, total: str = TOTAL, number: str = NUMBER) -> tuple[PrintedGroup, ...]:
    """The table's blocks, each with its rows in print order and then its total row (when the
    edition prints one). A grid's rows end with their total (when printed); a table of single
    figures has one column, headed ``number``. ``total`` names the total row (unless the edition
    names it) and the total column."""
    if table.is_grid:
        columns = [(c.id, c.label) for c in table.columns]
        with_total = table.shows_total_column
    else:
        columns = [(table.columns[0].id, number)]
        with_total = False
    total_label = table.total_label or total
    out = []
    for group in table.groups if table.is_grid else table.groups[:1]:
        rows = [*group.rows, group.total_row] if table.total_row else group.rows
        printed = []
        for row in rows:
            is_total = row.is_total
            cells = [PrintedCell(column, label, value, show(value), is_total) for (column, label), value in zip(columns, row.cells)]
            if with_total:
                value = row.total
                cells.append(PrintedCell("total", total, value, show(value), True))
            printed.append(PrintedRow(row.id, total_label if is_total else row.label, is_total, tuple(cells)))
        out.append(PrintedGroup(group.id, group.label or "", tuple(printed)))
    return tuple(out)
