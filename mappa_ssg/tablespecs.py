"""What an edition says about its tables: layout, presentation, charts, continuity and checks.

Everything that differs between editions of the national template is read from the edition's
``edition.yaml`` into these frozen records, so a new edition (a new category, a breakdown by
age, a row split in two) needs a new data file and no code.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from . import schema
from .problems import Position, Problems
from .yamlsource import Node

TOTAL = "total"  # the id of a total row or column in cell references
FIGURE = "figure"  # the one column of a "figures" table
CHART_SERIES = ("columns", "rows")
TABLE_KEYS = ("id", "kind", "caption", "rows", "columns", "groups", "not_applicable", "notes", "required",
              "row_header", "total_row", "total_column", "total_label", "chart", "continues")


@dataclass(frozen=True)
class ChartSpec:
    """A chart of this table over the years: one series per column (or per row) total."""

    title: str
    series: str  # "columns" or "rows"


@dataclass(frozen=True)
class Continuation:
    """Rows of this table that together continue a row of earlier editions.

    When the national template splits a figure (breach of notification into cautions and
    convictions), the sum of the new rows carries the old row's series on, in charts and in
    the open data, so a reader can still follow it across the change.
    """

    row: str  # the earlier editions' row id
    label: str
    parts: tuple[str, ...]  # this table's row ids, summed


@dataclass(frozen=True)
class TableSpec:
    """How one national table is laid out, shown and charted, and which cells cannot apply."""

    id: str
    kind: str  # "grid" | "figures"
    caption: str  # a Jinja2 expression-bearing string, rendered per report
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...] = ()
    groups: tuple[tuple[str, str], ...] = ()
    not_applicable: tuple[str, ...] = ()
    notes: str = ""
    required: bool = True
    row_header: str = "Level"
    total_row: bool = True
    total_column: bool = True
    total_label: str = ""  # empty: the site's own word ("Total", "Cyfanswm")
    chart: ChartSpec | None = None
    continues: tuple[Continuation, ...] = ()

    def is_not_applicable(self, group: str | None, row: str, column: str) -> bool:
        address = f"{group}.{row}.{column}" if group else f"{row}.{column}"
        return any(fnmatchcase(address, pattern) for pattern in self.not_applicable)

    def row_ids(self) -> list[str]:
        return [r for r, _ in self.rows]

    def column_names(self) -> list[str]:
        """Column labels as short as an error message needs them ("Category 1")."""
        return [label.split(":")[0] for _, label in self.columns]


@dataclass(frozen=True)
class CellRef:
    """One figure of a report named by ids; ``row`` or ``column`` "total" name a total."""

    table: str
    group: str | None
    row: str
    column: str

    def __str__(self) -> str:
        parts = [self.table, self.group, self.row, None if self.column == FIGURE else self.column]
        return ".".join(p for p in parts if p)


@dataclass(frozen=True)
class Check:
    """Figures in different tables that must agree (a breakdown adds up to what it breaks down)."""

    left: tuple[CellRef, ...]  # summed
    right: tuple[CellRef, ...]  # summed
    because: str
    where: Position  # the check in edition.yaml


def labels(node: Node | None, problems: Problems, what: str) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not node.is_mapping or not node.value:
        problems.add(node.where, f"{what} should list at least one `id: label` line")
        return ()
    out = []
    for key, label in node.value.items():
        label_text = schema.text(label, problems, f"{what}.{key}")
        if label_text:
            out.append((key, label_text))
    return tuple(out)


def _flag(node: Node | None, problems: Problems, what: str, default: bool) -> bool:
    if node is None:
        return default
    if not isinstance(node.value, bool):
        problems.add(node.where, f"{what} should be true or false, not {schema.describe(node.value)}")
        return default
    return node.value


def read_table_spec(node: Node, problems: Problems) -> TableSpec | None:
    fields = schema.mapping(node, problems, "table", required=("id", "kind", "caption", "rows"), optional=TABLE_KEYS[4:])
    if fields is None:
        return None
    kind = fields.get("kind")
    if kind is not None and kind.value not in ("grid", "figures"):
        problems.add(kind.where, f'table kind should be "grid" or "figures", not {schema.describe(kind.value)}')
        return None
    table_id = schema.text(fields.get("id"), problems, "table id")
    if kind is None or not table_id:
        return None
    grid = kind.value == "grid"
    if grid and "columns" not in fields:
        problems.add(node.where, "a grid table needs columns")
    if not grid:
        for key in ("columns", "groups", "total_column"):
            if key in fields:
                problems.add(node.key_at(key), f"{key} is only for grid tables; a figures table has one column of numbers")
    not_applicable = [schema.text(n, problems, "not_applicable entry") for n in schema.sequence(fields.get("not_applicable"), problems, "not_applicable") or ()]
    rows = labels(fields.get("rows"), problems, f"{table_id}.rows")
    return TableSpec(
        id=table_id,
        kind=kind.value,
        caption=schema.text(fields.get("caption"), problems, "caption") or "",
        rows=rows,
        columns=labels(fields.get("columns"), problems, f"{table_id}.columns"),
        groups=labels(fields.get("groups"), problems, f"{table_id}.groups"),
        not_applicable=tuple(n for n in not_applicable if n),
        notes=schema.text(fields.get("notes"), problems, "notes", required=False) or "",
        required=_flag(fields.get("required"), problems, "required", True),
        row_header=schema.text(fields.get("row_header"), problems, "row_header", max_length=80) or ("Level" if grid else "Measure"),
        total_row=_flag(fields.get("total_row"), problems, "total_row", grid),
        total_column=_flag(fields.get("total_column"), problems, "total_column", grid),
        total_label=schema.text(fields.get("total_label"), problems, "total_label", max_length=200) or "",
        chart=_chart(fields.get("chart"), problems),
        continues=_continues(fields.get("continues"), problems, dict(rows)),
    )


def _chart(node: Node | None, problems: Problems) -> ChartSpec | None:
    fields = schema.mapping(node, problems, "chart", required=("title", "series")) if node is not None else None
    if not fields:
        return None
    series = schema.text(fields.get("series"), problems, "chart.series")
    if series not in CHART_SERIES:
        problems.add(fields["series"].where if "series" in fields else node.where,
                     'chart.series should be "columns" (one bar per column total) or "rows" (one per row total)')
        return None
    title = schema.text(fields.get("title"), problems, "chart.title", max_length=200)
    return ChartSpec(title, series) if title else None


def _continues(node: Node | None, problems: Problems, rows: dict[str, str]) -> tuple[Continuation, ...]:
    """``continues: {old_row: {label: ..., rows: [new_a, new_b]}}``."""
    if node is None:
        return ()
    if not node.is_mapping:
        problems.add(node.where, "continues should name each earlier row with the rows that replace it")
        return ()
    out = []
    for old, spec in node.value.items():
        fields = schema.mapping(spec, problems, f"continues.{old}", required=("label", "rows"))
        if not fields:
            continue
        parts = [schema.text(n, problems, "row id") for n in schema.sequence(fields.get("rows"), problems, f"continues.{old}.rows") or ()]
        unknown = [p for p in parts if p and p not in rows]
        if unknown:
            problems.add(fields["rows"].where, f'continues.{old}: "{unknown[0]}" is not a row of this table ({", ".join(rows)})')
            continue
        if old in rows:
            problems.add(node.key_at(old), f'continues: "{old}" is already a row of this table')
            continue
        label = schema.text(fields.get("label"), problems, f"continues.{old}.label")
        if label and parts:
            out.append(Continuation(old, label, tuple(p for p in parts if p)))
    return tuple(out)


def read_checks(node: Node | None, problems: Problems, tables: dict[str, TableSpec]) -> tuple[Check, ...]:
    """``checks: [{equal: ["a.b.total", "c.d.total + c.e.total"], because: ...}]``."""
    checks = []
    for item in schema.sequence(node, problems, "checks") or ():
        fields = schema.mapping(item, problems, "check", required=("equal", "because"))
        if not fields:
            continue
        sides = schema.sequence(fields.get("equal"), problems, "check.equal") or []
        if len(sides) != 2:
            problems.add(fields["equal"].where, "check.equal should list two sums of figures that must be equal")
            continue
        refs = [_sum(side, problems, tables) for side in sides]
        because = schema.text(fields.get("because"), problems, "check.because", max_length=300)
        if refs[0] and refs[1] and because:
            checks.append(Check(refs[0], refs[1], because, item.where))
    return tuple(checks)


def _sum(node: Node, problems: Problems, tables: dict[str, TableSpec]) -> tuple[CellRef, ...] | None:
    text = schema.text(node, problems, "check figure")
    if not text:
        return None
    refs = [cell_ref(part.strip(), node.where, problems, tables) for part in text.split("+")]
    return tuple(refs) if all(refs) else None  # type: ignore[arg-type]


def cell_ref(text: str, where: Position, problems: Problems, tables: dict[str, TableSpec]) -> CellRef | None:
    """Read ``table[.group].row[.column]`` and check every part names something in the edition."""
    parts = text.split(".")
    spec = tables.get(parts[0])
    if spec is None:
        problems.add(where, f'"{text}": there is no table "{parts[0]}" in this edition ({", ".join(tables)})')
        return None
    if spec.kind == "figures":
        shape, expected = (parts[1:2] and [None, parts[1], FIGURE]), 2
    else:
        expected = 4 if spec.groups else 3
        shape = ([parts[1], parts[2], parts[3]] if spec.groups else [None, parts[1], parts[2]]) if len(parts) == expected else []
    example = {2: "table.row", 3: "table.row.column", 4: "table.group.row.column"}[expected]
    if len(parts) != expected or not shape:
        problems.add(where, f'"{text}" should name a figure of {spec.id} as {example} (row or column may be "total")')
        return None
    group, row, column = shape
    if group is not None and group not in dict(spec.groups):
        problems.add(where, f'"{text}": "{group}" is not a group of {spec.id}')
        return None
    if row != TOTAL and row not in dict(spec.rows):
        problems.add(where, f'"{text}": "{row}" is not a row of {spec.id}')
        return None
    if column not in (TOTAL, FIGURE) and column not in dict(spec.columns):
        problems.add(where, f'"{text}": "{column}" is not a column of {spec.id}')
        return None
    return CellRef(spec.id, group, row, column)


# -- the edition's text in another language ------------------------------------------------------
TRANSLATED_KEYS = ("caption", "rows", "columns", "groups", "row_header", "total_label", "notes", "chart", "continues")


def translate_spec(spec: TableSpec, node: Node | None, problems: Problems, where: Position) -> TableSpec | None:
    """``spec`` with its words from ``<edition>/<language>/tables.yaml``; every label must be given,
    so a page in Welsh never shows an English label by accident."""
    if node is None:
        problems.add(where, f'tables: the table "{spec.id}" has no translation')
        return None
    fields = schema.mapping(node, problems, f"tables.{spec.id}", required=("caption",), optional=TRANSLATED_KEYS[1:])
    if fields is None:
        return None

    def relabel(key: str, items: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
        if not items:
            return items
        given = dict(labels(fields.get(key), problems, f"{spec.id}.{key}")) if key in fields else {}
        missing = [i for i, _ in items if i not in given]
        if missing:
            problems.add(fields[key].where if key in fields else node.where,
                         f"tables.{spec.id}.{key}: no translation for {', '.join(missing)}")
        return tuple((i, given.get(i, label)) for i, label in items)

    def word(key: str, current: str, needed: bool) -> str:
        if key not in fields:
            if needed:
                problems.add(node.where, f'tables.{spec.id}: "{key}" is missing')
            return current
        return schema.text(fields[key], problems, f"tables.{spec.id}.{key}", max_length=300) or current

    chart = spec.chart
    if chart is not None:
        chart = ChartSpec(word("chart", chart.title, True), chart.series)
    continues = spec.continues
    if continues:
        named = dict(labels(fields.get("continues"), problems, f"{spec.id}.continues")) if "continues" in fields else {}
        if any(c.row not in named for c in continues):
            problems.add(node.where, f"tables.{spec.id}.continues: give the label of {', '.join(c.row for c in continues)}")
        continues = tuple(Continuation(c.row, named.get(c.row, c.label), c.parts) for c in continues)
    return TableSpec(
        id=spec.id, kind=spec.kind, caption=word("caption", spec.caption, True),
        rows=relabel("rows", spec.rows), columns=relabel("columns", spec.columns), groups=relabel("groups", spec.groups),
        not_applicable=spec.not_applicable, notes=word("notes", spec.notes, bool(spec.notes)), required=spec.required,
        row_header=word("row_header", spec.row_header, True), total_row=spec.total_row, total_column=spec.total_column,
        total_label=word("total_label", spec.total_label, bool(spec.total_label)), chart=chart, continues=continues,
    )
