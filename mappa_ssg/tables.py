"""The statistics tables of a report, as the model holds them: a table's columns and groups of
rows, with every total worked out (by :func:`mappa_ssg.figures.total`) when first asked for.

Frozen dataclasses like the rest of the model (:mod:`mappa_ssg.model` re-exports them); how a
table is printed, cell by cell, is :mod:`mappa_ssg.tablerows`.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

from . import figures
from .editions import Continuation
from .figures import Figure


@dataclass(frozen=True)
class Row:
    id: str
    label: str
    cells: tuple[Figure, ...]
    is_total: bool = False

    # Totals are worked out when first asked for and kept: the page, its charts and the open
    # data each ask for every total. (A cached_property writes to the instance's own __dict__,
    # which a frozen dataclass allows; the figures it is made from never change.)
    @functools.cached_property
    def total(self) -> Figure:
        return figures.total(self.cells)


@dataclass(frozen=True)
class Group:
    """A block of rows with a column-total row; a plain grid has one group without a label."""

    id: str
    label: str | None
    rows: tuple[Row, ...]

    @functools.cached_property
    def total_row(self) -> Row:
        columns = zip(*(row.cells for row in self.rows)) if self.rows else ()
        return Row("total", "Total", tuple(figures.total(col) for col in columns), is_total=True)


@dataclass(frozen=True)
class Column:
    id: str
    label: str


@dataclass(frozen=True)
class Table:
    """One statistics table as printed: a grid (with totals) or a list of named figures."""

    id: str
    kind: str  # "grid" or "figures"
    caption: str
    columns: tuple[Column, ...]
    groups: tuple[Group, ...]
    notes: str = ""
    # How it is shown, from the edition (tablespecs.TableSpec): the first column's header,
    # which totals are printed and what the total row is called.
    row_header: str = "Level"
    total_row: bool = True
    total_column: bool = True
    total_label: str = ""  # empty: the site's own word for "Total", in the page's language
    continues: tuple[Continuation, ...] = ()

    @property
    def is_grid(self) -> bool:
        return self.kind == "grid"

    @property
    def shows_total_column(self) -> bool:
        return self.is_grid and self.total_column

    @property
    def printed_columns(self) -> int:
        """How many columns of figures are printed (totals included): the PDF sizes them by it."""
        return len(self.columns) + (1 if self.shows_total_column else 0)

    def continued(self) -> tuple[tuple[Continuation, Figure], ...]:
        """Each earlier row this table's rows continue, with its figure (their sum)."""
        out = []
        for item in self.continues:
            values = [self.cell(part, "total" if self.is_grid else "figure", group.id) for part in item.parts for group in self.groups]
            out.append((item, figures.total(values)))
        return tuple(out)

    def cell(self, row_id: str, column_id: str, group_id: str | None = None) -> Figure:
        """A figure by ids; ``row_id`` "total" gives a column total."""
        for group in self.groups:
            if group_id not in (None, group.id):
                continue
            if row_id == "total":
                row = group.total_row
            else:
                row = next((r for r in group.rows if r.id == row_id), None)
                if row is None:
                    continue
            if column_id == "total":
                return row.total
            index = [c.id for c in self.columns].index(column_id)
            return row.cells[index]
        raise KeyError(f"{self.id}: no cell {group_id}.{row_id}.{column_id}")

    @property
    def has_not_applicable(self) -> bool:
        """Whether any cell is "-": the table then needs a key saying what "-" means."""
        return any(value is None for group in self.groups for row in group.rows for value in row.cells)

    @property
    def grand_total(self) -> Figure:
        return figures.total(g.total_row.total for g in self.groups)
