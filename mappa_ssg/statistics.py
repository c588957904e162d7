"""Read an author's ``statistics:`` block against the edition's table definitions.

Every figure is checked (whole number >= 0, or "-" only where the edition says the cell cannot
apply), every total is computed, and any total the author also typed must agree with it.
A row holds exactly one figure per column of the edition; a total the author types is keyed
(``[5, 6, 2, total: 13]``), so a row copied from an edition with fewer columns can never
shift a total into a new column. Last, the edition's checks across tables are applied.
"""
from __future__ import annotations

import re
from dataclasses import replace

from . import schema
from . import drafts
from .editions import Edition, TableSpec
from .figures import PENDING, Figure, total
from .model import Column, Group, Row, Table
from .problems import Problems, did_you_mean
from .tablespecs import FIGURE, TOTAL, CellRef, Check
from .yamlsource import Node

RATE_KEY = "rso_per_100k"
PLACEHOLDER = "TODO"
_MAX_FIGURE = 10_000_000
_MISSING = object()
_DIGITS = re.compile(r"[0-9]+")


def read_statistics(node: Node | None, edition: Edition, problems: Problems) -> tuple[tuple[Table, ...], Node | None]:
    """The report's tables, and the author's stated RSO rate (checked later, once population is known)."""
    ids = [t.id for t in edition.tables]
    fields = schema.mapping(node, problems, "statistics", optional=ids + [RATE_KEY])
    if fields is None:
        return (), None
    tables = []
    for spec in edition.tables:
        table_node = fields.get(spec.id)
        if table_node is None:
            if spec.required:
                problems.add(node.where, f'statistics: the table "{spec.id}" is missing ({_expected_rows(spec)})')
            continue
        table = _read_table(spec, table_node, problems)
        if table is not None:
            tables.append(_shown_as(spec, table))
    by_id = {t.id: t for t in tables}
    for check in edition.checks:
        _apply_check(check, by_id, node, problems)
    return tuple(tables), fields.get(RATE_KEY)


def _expected_rows(spec: TableSpec) -> str:
    if spec.groups:
        return "groups: " + ", ".join(g for g, _ in spec.groups)
    return "rows: " + ", ".join(r for r, _ in spec.rows)


def _shown_as(spec: TableSpec, table: Table) -> Table:
    """The table with the edition's presentation: header, totals shown, continued rows."""
    return replace(table, row_header=spec.row_header, total_row=spec.total_row, total_column=spec.total_column,
                   total_label=spec.total_label, continues=spec.continues)


# -- checks across tables -------------------------------------------------------------------------
def _apply_check(check: Check, tables: dict[str, Table], statistics: Node, problems: Problems) -> None:
    """Figures in two tables that must agree; skipped when a table is absent (or was refused)."""
    if any(ref.table not in tables for ref in check.left + check.right):
        return
    left = total(_value(ref, tables) for ref in check.left)
    right = total(_value(ref, tables) for ref in check.right)
    if left == right or PENDING in (left, right):  # a draft's figure still TODO: nothing to compare yet
        return
    # Pointed at the table on the left (the breakdown), where the mistake usually is.
    table_id = check.left[0].table
    problems.add(statistics.key_at(table_id), f"statistics.{table_id}: {_named(check.left, left)}, but "
                                         f"{_named(check.right, right)}: {check.because}")


def _value(ref: CellRef, tables: dict[str, Table]) -> Figure:
    return tables[ref.table].cell(ref.row, ref.column, ref.group)


def _named(side: tuple[CellRef, ...], value: Figure) -> str:
    return f"{' + '.join(str(r) for r in side)} = {'-' if value is None else value}"


# -- tables -----------------------------------------------------------------------------------------
def _read_table(spec: TableSpec, node: Node, problems: Problems) -> Table | None:
    columns = tuple(Column(c, label) for c, label in spec.columns)
    if spec.kind == "figures":
        group = _read_figures(spec, node, problems)
        return Table(spec.id, "figures", spec.caption, (Column(FIGURE, "Number"),), (group,), spec.notes) if group else None
    if spec.groups:
        fields = schema.mapping(node, problems, spec.id, required=[g for g, _ in spec.groups])
        if fields is None:
            return None
        groups = []
        for group_id, label in spec.groups:
            if group_id in fields:
                group = _read_grid(spec, group_id, label, fields[group_id], problems)
                if group:
                    groups.append(group)
        complete = len(groups) == len(spec.groups)
        return Table(spec.id, "grid", spec.caption, columns, tuple(groups), spec.notes) if complete else None
    group = _read_grid(spec, None, None, node, problems)
    return Table(spec.id, "grid", spec.caption, columns, (group,), spec.notes) if group else None


def _read_figures(spec: TableSpec, node: Node, problems: Problems) -> Group | None:
    if len(spec.rows) == 1 and not node.is_mapping:
        # A one-figure table may be written as just the figure: `breach_of_notification: 52`.
        row_id, label = spec.rows[0]
        value = _figure(node, problems, spec, None, row_id, FIGURE)
        return Group("figures", None, (Row(row_id, label, (value,)),)) if value is not _MISSING else None
    fields = schema.mapping(node, problems, spec.id, required=spec.row_ids(), optional=[TOTAL])
    if fields is None:
        return None
    rows = []
    for row_id, label in spec.rows:
        if row_id in fields:
            value = _figure(fields[row_id], problems, spec, None, row_id, FIGURE)
            if value is not _MISSING:
                rows.append(Row(row_id, label, (value,)))
    if len(rows) != len(spec.rows):
        return None
    if TOTAL in fields:
        _check_total(fields[TOTAL], total(r.cells[0] for r in rows), problems, f"{spec.id}.total", "the figures add up to")
    return Group("figures", None, tuple(rows))


def _read_grid(spec: TableSpec, group_id: str | None, group_label: str | None, node: Node, problems: Problems) -> Group | None:
    what = f"{spec.id}.{group_id}" if group_id else spec.id
    fields = schema.mapping(node, problems, what, required=spec.row_ids(), optional=[TOTAL])
    if fields is None:
        return None
    rows: list[Row] = []
    for row_id, label in spec.rows:
        if row_id not in fields:
            continue
        cells = _read_row(spec, group_id, row_id, fields[row_id], problems, f"{what}.{row_id}")
        if cells is not None:
            rows.append(Row(row_id, label, cells))
    if len(rows) != len(spec.rows):
        return None
    group = Group(group_id or spec.id, group_label, tuple(rows))
    if TOTAL in fields:
        _check_total_row(spec, group, fields[TOTAL], problems, f"{what}.total")
    return group


def _read_row(spec: TableSpec, group_id: str | None, row_id: str, node: Node, problems: Problems, what: str) -> tuple[Figure, ...] | None:
    """A row is a list of exactly one figure per column, optionally followed by ``total: N``."""
    items, given_total = _figures_and_total(spec, node, problems, what, "figures")
    if items is None:
        return None
    cells: list[Figure] = []
    ok = True
    for (column_id, _), item in zip(spec.columns, items):
        value = _figure(item, problems, spec, group_id, row_id, column_id)
        ok = ok and value is not _MISSING
        cells.append(None if value is _MISSING else value)
    if not ok:
        return None
    if given_total is not None:
        _check_total(given_total, total(cells), problems, f"{what}: total", "the figures in the row add up to")
    else:
        _looks_like_a_total(spec, items, cells, problems, what)
    return tuple(cells)


def _looks_like_a_total(spec: TableSpec, items: list[Node], cells: list[Figure], problems: Problems, what: str) -> None:
    """Warn when the last figure is the sum of two or more others: probably a total typed bare,
    copied from a year with one column fewer."""
    *others, last = cells
    named = [c for c in others if c]
    if PENDING in cells:
        return  # a draft: nothing to compare until every figure is in
    if last and len(named) >= 2 and sum(named) == last:
        column = spec.column_names()[-1]
        problems.warn(items[-1].where, f"{what}: {column} is {last}, the sum of the other figures: if {last} is the "
                                       f"row's total, write it as `total: {last}` and give {column}'s own figure")


def _check_total_row(spec: TableSpec, group: Group, node: Node, problems: Problems, what: str) -> None:
    items, given_total = _figures_and_total(spec, node, problems, what, "column totals")
    if items is None:
        return
    for item, expected, label in zip(items, group.total_row.cells, spec.column_names()):
        _check_total(item, expected, problems, f"{what} ({label})", "the column adds up to")
    if given_total is not None:
        _check_total(given_total, group.total_row.total, problems, f"{what} (overall total)", "the table adds up to")


def _figures_and_total(spec: TableSpec, node: Node, problems: Problems, what: str, kind: str) -> tuple[list[Node] | None, Node | None]:
    """Split ``[a, b, c, total: t]`` into the figures and the keyed total; refuse any other length.

    The length must match the edition's columns exactly: a bare extra number is refused rather
    than read as a total, because in an edition with one more column it would be a figure.
    """
    items = schema.sequence(node, problems, what)
    if items is None:
        return None, None
    given_total = None
    if items and items[-1].is_mapping:
        keyed = schema.mapping(items[-1], problems, f"{what} (the last item)", required=(TOTAL,))
        if keyed is None or TOTAL not in keyed:
            return None, None
        items, given_total = items[:-1], keyed[TOTAL]
    n = len(spec.columns)
    if len(items) != n:
        hint = ""
        if len(items) == n + 1 and given_total is None:
            hint = f"; if the last one is the total, write it as `total: {items[-1].value}`"
        elif len(items) < n:
            hint = f" (this edition has {n} columns: a row copied from an edition with fewer needs the new figures)"
        problems.add(node.where, f"{what}: expected {n} {kind} ({', '.join(spec.column_names())}), "
                                 f"optionally followed by `total: N`; found {len(items)}{hint}")
        return None, None
    return items, given_total


def _check_total(node: Node, expected: Figure, problems: Problems, what: str, because: str) -> None:
    given = node.value
    if expected is PENDING:
        return  # a figure it adds up is still TODO (a draft): nothing to compare yet
    if given == "-" or given is None:
        if expected is not None:
            problems.add(node.where, f'{what}: "-" given, but {because} {expected}')
        return
    if isinstance(given, bool) or not isinstance(given, int):
        problems.add(node.where, f"{what} should be a whole number, not {schema.describe(given)}{schema.number_hint(given)}")
        return
    if given != expected:
        shown = "-" if expected is None else f"{expected}"
        problems.add(node.where, f"{what}: {given} given, but {because} {shown}")


def _figure(node: Node, problems: Problems, spec: TableSpec, group_id: str | None, row_id: str, column_id: str):
    """One cell: an int, None for "-", or _MISSING after reporting a problem."""
    value = node.value
    address = figure_address(spec.id, group_id, row_id) + ("" if column_id == FIGURE else f", {_column_label(spec, column_id)}")
    not_applicable = column_id != FIGURE and spec.is_not_applicable(group_id, row_id, column_id)
    if isinstance(value, str) and value.strip().upper() == PLACEHOLDER:
        problems.unfinished(node.where, f"{address}: figure not filled in yet (replace {PLACEHOLDER} with the number)", drafts.FIGURE)
        return PENDING
    if value == "-":
        if not_applicable:
            return None
        problems.add(node.where, f'{address}: "-" (not applicable) cannot be used here: give a number (0 if there were none)')
        return _MISSING
    if value is None and node.is_mapping is False and not node.is_sequence:
        problems.add(node.where, f"{address}: figure is empty: give a number, or - where it cannot apply")
        return _MISSING
    if isinstance(value, str) and _DIGITS.fullmatch(value) and len(value) > len(str(_MAX_FIGURE)):
        problems.add(node.where, f"{address}: a number with {len(value)} digits is not a possible count (0 to {_MAX_FIGURE:,})")
        return _MISSING
    if isinstance(value, bool) or not isinstance(value, int):
        hint = schema.number_hint(value)
        if isinstance(value, list) and value == [None]:
            hint = ' (write "-" in quotes, or put the row in [brackets])'
        problems.add(node.where, f"{address}: should be a whole number, not {schema.describe(value)}{hint}")
        return _MISSING
    if value < 0 or value > _MAX_FIGURE:
        problems.add(node.where, f"{address}: {value} is not a possible count (0 to {_MAX_FIGURE:,})")
        return _MISSING
    if not_applicable and value != 0:
        problems.add(node.where, f"{address}: this cell cannot apply in the {spec.id} table: write - (got {value})")
        return _MISSING
    return value


def figure_address(table_id: str, group_id: str | None, row_id: str) -> str:
    """How a figure is named in messages: ``custody.breach_of_licence.level_2``. A table of one
    figure whose row has the table's name is named once, not ``sro_breach.sro_breach``."""
    parts = [table_id, group_id, row_id if row_id != table_id else None]
    return ".".join(p for p in parts if p)


def _column_label(spec: TableSpec, column_id: str) -> str:
    label = dict(spec.columns).get(column_id, column_id)
    return label.split(":")[0]


def known_table_ids(edition: Edition) -> str:
    return ", ".join(t.id for t in edition.tables)


__all__ = ["read_statistics", "figure_address", "RATE_KEY", "PLACEHOLDER", "did_you_mean"]
