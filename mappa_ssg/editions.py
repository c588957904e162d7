"""Editions of the national template, loaded from ``templates/editions/<first-year>/``.

An edition is data: its table definitions (rows, columns, groups, not-applicable cells) and
its boilerplate HTML fragments. Adding a folder adds an edition; no code changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import schema
from .problems import Position, Problems
from .sources import Unreadable, read_bytes, subfolders
from .tablespecs import Check, ChartSpec, Continuation, TableSpec, labels, read_checks, read_table_spec, translate_spec
from .yamlsource import Node, load_yaml
from .years import ReportingYear

BOILERPLATE = ("what-is-mappa.html", "explanation.html")


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
    checks: tuple[Check, ...] = ()  # figures in different tables that must agree
    first_year_at: Position = Position("")  # where first_year is written, for problems
    # The edition in other languages: (language, its tables) from <folder>/<language>/tables.yaml,
    # with what-is-mappa.html and explanation.html beside it.
    translations: tuple[tuple[str, tuple[TableSpec, ...]], ...] = ()

    def table(self, table_id: str) -> TableSpec | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def tables_in(self, language: str) -> tuple[TableSpec, ...] | None:
        """The table definitions worded in ``language``; None if the edition has no such text."""
        return dict(self.translations).get(language)

    def boilerplate(self, name: str, language: str | None = None) -> Path:
        """A national text (what-is-mappa.html, explanation.html) in the main or another language."""
        return self.folder / language / name if language and language in dict(self.translations) else self.folder / name


def load_editions(project: Path, problems: Problems) -> dict[str, Edition]:
    """Every edition under ``templates/editions``, keyed by folder name."""
    editions: dict[str, Edition] = {}
    base = project / "templates" / "editions"
    if not base.is_dir():
        problems.add(Position("templates/editions"), "no editions of the national template found")
        return editions
    # Followed only while inside templates/, as content is (sources.py).
    for folder in subfolders(base, project / "templates", problems, lambda p: p.relative_to(project).as_posix(), skip=(".",)):
        edition = _load_edition(project, folder, problems)
        if edition is None:
            continue
        same = next((e for e in editions.values() if e.first_year == edition.first_year), None)
        if same is not None:
            # Which one applies would depend on folder names: refuse instead of guessing.
            problems.add(edition.first_year_at,
                         f"first_year {edition.first_year} is also the first year of templates/editions/{same.id}: "
                         f"which edition applies would depend on folder names; give each edition its own first year")
            continue
        editions[edition.id] = edition
    return editions


def edition_for(year: ReportingYear, editions: dict[str, Edition]) -> Edition | None:
    """The edition with the latest first year not after ``year``."""
    candidates = [e for e in editions.values() if e.first_year <= year]
    return max(candidates, key=lambda e: e.first_year) if candidates else None


def _load_edition(project: Path, folder: Path, problems: Problems) -> Edition | None:
    rel = folder.relative_to(project).as_posix()
    path = f"{rel}/edition.yaml"
    if not (folder / "edition.yaml").exists() and not (folder / "edition.yaml").is_symlink():
        problems.add(Position(rel), "edition folder has no edition.yaml")
        return None
    before = len(problems.errors)
    try:
        text = read_bytes(folder / "edition.yaml", project / "templates").decode("utf-8")
    except (Unreadable, UnicodeDecodeError) as exc:
        problems.add(Position(path), str(exc) if isinstance(exc, Unreadable) else "is not UTF-8 text: save the file as UTF-8")
        return None
    root = load_yaml(path, text, problems)
    fields = schema.mapping(
        root, problems, "edition",
        required=("name", "first_year", "published_at", "published_at_label", "tables", "derived"),
        optional=("checks",),
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
        spec = read_table_spec(table_node, problems)
        if spec:
            tables.append(spec)
    ids = [t.id for t in tables]
    derived = schema.mapping(fields.get("derived"), problems, "derived", required=("level_1", "registered_sex_offenders")) or {}
    level_1 = _cell_ref(derived.get("level_1"), problems, tables, "rows")
    rso = _cell_ref(derived.get("registered_sex_offenders"), problems, tables, "columns")
    if len(set(ids)) != len(ids):
        problems.add(fields["tables"].where, "two tables have the same id")
    checks = read_checks(fields.get("checks"), problems, {t.id: t for t in tables})
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
        checks=checks,
        first_year_at=fields["first_year"].where,
        translations=_translations(project, folder, tables, problems),
    )


def _translations(project: Path, folder: Path, tables: list[TableSpec], problems: Problems) -> tuple[tuple[str, tuple[TableSpec, ...]], ...]:
    """Each ``<folder>/<language>/``: the edition's table words and national text in that language."""
    found = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        rel = sub.relative_to(project).as_posix()
        path = f"{rel}/tables.yaml"
        if not (sub / "tables.yaml").is_file():
            problems.add(Position(rel), f"a language folder of an edition needs tables.yaml (the tables' words in {sub.name})")
            continue
        for name in BOILERPLATE:
            if not (sub / name).is_file():
                problems.add(Position(rel), f"{name} is missing: the national text in {sub.name}")
        root = load_yaml(path, (sub / "tables.yaml").read_text(encoding="utf-8"), problems)
        fields = schema.mapping(root, problems, "translation", required=("tables",), where=Position(path)) or {}
        given = schema.mapping(fields.get("tables"), problems, "tables", optional=[t.id for t in tables], where=Position(path)) or {}
        specs = [translate_spec(t, given.get(t.id), problems, fields["tables"].where if "tables" in fields else Position(path)) for t in tables]
        if all(specs):
            found.append((sub.name, tuple(specs)))
    return tuple(found)



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


__all__ = ["Edition", "TableSpec", "ChartSpec", "Continuation", "Check", "edition_for", "load_editions", "labels"]
