"""Editions of the national template, loaded from ``templates/editions/<first-year>/``.

An edition is data: its table definitions (rows, columns, groups, not-applicable cells) and
its boilerplate HTML fragments. Adding a folder adds an edition; no code changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from . import schema
from .problems import Position, Problems
from .yamlsource import Node, load_yaml
from .years import ReportingYear

BOILERPLATE = ("what-is-mappa.html", "explanation.html")


@dataclass(frozen=True)
class TableSpec:
    """How one national table is laid out, and which of its cells cannot apply."""

    id: str
    kind: str  # "grid" | "figures"
    caption: str  # a Jinja2 expression-bearing string, rendered per report
    rows: tuple[tuple[str, str], ...]
    columns: tuple[tuple[str, str], ...] = ()
    groups: tuple[tuple[str, str], ...] = ()
    not_applicable: tuple[str, ...] = ()
    notes: str = ""
    required: bool = True

    def is_not_applicable(self, group: str | None, row: str, column: str) -> bool:
        address = f"{group}.{row}.{column}" if group else f"{row}.{column}"
        return any(fnmatchcase(address, pattern) for pattern in self.not_applicable)

    def row_ids(self) -> list[str]:
        return [r for r, _ in self.rows]


@dataclass(frozen=True)
class Edition:
    id: str
    name: str
    first_year: ReportingYear
    published_at: str
    published_at_label: str
    folder: Path
    tables: tuple[TableSpec, ...]
    level_1_cell: tuple[str, str]  # (table id, row id) of the Level 1 row
    rso_cell: tuple[str, str]  # (table id, column id) of registered sexual offenders

    def table(self, table_id: str) -> TableSpec | None:
        return next((t for t in self.tables if t.id == table_id), None)


def load_editions(project: Path, problems: Problems) -> dict[str, Edition]:
    """Every edition under ``templates/editions``, keyed by folder name."""
    editions: dict[str, Edition] = {}
    base = project / "templates" / "editions"
    if not base.is_dir():
        problems.add(Position("templates/editions"), "no editions of the national template found")
        return editions
    for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
        edition = _load_edition(project, folder, problems)
        if edition:
            editions[edition.id] = edition
    return editions


def edition_for(year: ReportingYear, editions: dict[str, Edition]) -> Edition | None:
    """The edition with the latest first year not after ``year``."""
    candidates = [e for e in editions.values() if e.first_year <= year]
    return max(candidates, key=lambda e: e.first_year) if candidates else None


def _labels(node: Node | None, problems: Problems, what: str) -> tuple[tuple[str, str], ...]:
    if node is None:
        return ()
    if not node.is_mapping or not node.value:
        problems.add(node.where, f"{what} should list at least one `id: label` line")
        return ()
    values = node.value
    out = []
    for key, label in values.items():
        label_text = schema.text(label, problems, f"{what}.{key}")
        if label_text:
            out.append((key, label_text))
    return tuple(out)


def _load_edition(project: Path, folder: Path, problems: Problems) -> Edition | None:
    rel = folder.relative_to(project).as_posix()
    path = f"{rel}/edition.yaml"
    if not (folder / "edition.yaml").is_file():
        problems.add(Position(rel), "edition folder has no edition.yaml")
        return None
    before = len(problems.errors)
    root = load_yaml(path, (folder / "edition.yaml").read_text(encoding="utf-8"), problems)
    fields = schema.mapping(
        root, problems, "edition",
        required=("name", "first_year", "published_at", "published_at_label", "tables", "derived"),
        where=Position(path),
    )
    if fields is None:
        return None
    for name in BOILERPLATE:
        if not (folder / name).is_file():
            problems.add(Position(path), f"edition has no {name} beside it")
    first_year = None
    try:
        first_year = ReportingYear.parse(str(fields["first_year"].value)) if "first_year" in fields else None
    except ValueError as exc:
        problems.add(fields["first_year"].where, str(exc))
    tables = []
    for table_node in schema.sequence(fields.get("tables"), problems, "tables") or ():
        spec = _table_spec(table_node, problems)
        if spec:
            tables.append(spec)
    ids = [t.id for t in tables]
    derived = schema.mapping(fields.get("derived"), problems, "derived", required=("level_1", "registered_sex_offenders")) or {}
    level_1 = _cell_ref(derived.get("level_1"), problems, tables, "rows")
    rso = _cell_ref(derived.get("registered_sex_offenders"), problems, tables, "columns")
    if len(set(ids)) != len(ids):
        problems.add(fields["tables"].where, "two tables have the same id")
    if len(problems.errors) > before or not first_year or not level_1 or not rso:
        return None
    return Edition(
        id=folder.name,
        name=schema.text(fields["name"], problems, "name") or folder.name,
        first_year=first_year,
        published_at=schema.text(fields["published_at"], problems, "published_at") or "",
        published_at_label=schema.text(fields["published_at_label"], problems, "published_at_label") or "",
        folder=folder,
        tables=tuple(tables),
        level_1_cell=level_1,
        rso_cell=rso,
    )


def _table_spec(node: Node, problems: Problems) -> TableSpec | None:
    fields = schema.mapping(
        node, problems, "table",
        required=("id", "kind", "caption", "rows"),
        optional=("columns", "groups", "not_applicable", "notes", "required"),
    )
    if fields is None:
        return None
    kind = fields.get("kind")
    if kind is not None and kind.value not in ("grid", "figures"):
        problems.add(kind.where, f'table kind should be "grid" or "figures", not {schema.describe(kind.value)}')
        return None
    table_id = schema.text(fields.get("id"), problems, "table id")
    if kind is not None and kind.value == "grid" and "columns" not in fields:
        problems.add(node.where, "a grid table needs columns")
    not_applicable = [schema.text(n, problems, "not_applicable entry") for n in schema.sequence(fields.get("not_applicable"), problems, "not_applicable") or ()]
    required = fields.get("required")
    if not table_id or kind is None:
        return None
    return TableSpec(
        id=table_id,
        kind=kind.value,
        caption=schema.text(fields.get("caption"), problems, "caption") or "",
        rows=_labels(fields.get("rows"), problems, f"{table_id}.rows"),
        columns=_labels(fields.get("columns"), problems, f"{table_id}.columns"),
        groups=_labels(fields.get("groups"), problems, f"{table_id}.groups"),
        not_applicable=tuple(n for n in not_applicable if n),
        notes=schema.text(fields.get("notes"), problems, "notes", required=False) or "",
        required=bool(required.value) if required is not None else True,
    )


def _cell_ref(node: Node | None, problems: Problems, tables: list[TableSpec], axis: str) -> tuple[str, str] | None:
    """Read "table.row" (axis "rows") or "table.column" (axis "columns") and check it exists."""
    if node is None:
        return None
    ref = schema.text(node, problems, "derived cell")
    if not ref or "." not in ref:
        problems.add(node.where, 'should name a table and a row or column, like "eligible.level_1"')
        return None
    table_id, item = ref.split(".", 1)
    table = next((t for t in tables if t.id == table_id), None)
    if table is None or item not in dict(getattr(table, axis)):
        problems.add(node.where, f'"{ref}" does not name a {axis[:-1]} of a table in this edition')
        return None
    return table_id, item
