"""Language versions of a report: ``content/<area>/<year>/<language>/`` (issue 13).

A version in another language is the same report: its figures, people, population and contacts
come from the one ``report.yaml`` (never typed twice), its Markdown sections from the language
folder (same file names, translated), and its tables' words and national text from the edition's
folder for that language. It is published beside the main version and counted once: the site's
list of reports holds the main version, which carries the others in ``translations``.
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .i18n import gettext_for, has_catalog
from .languages import is_known, name as language_name
from .model import NATIONAL_SECTIONS, Area, Image, Report, Table
from .problems import Position
from .tablespecs import TableSpec

if TYPE_CHECKING:
    from .content import Loader

LANGUAGE_FOLDER = re.compile(r"^[a-z]{2,3}(?:-[A-Z]{2})?$")


def language_folders(folder: Path) -> list[Path]:
    """Sub-folders of a report folder named like a language (``cy``, ``en-GB``)."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and LANGUAGE_FOLDER.match(p.name))


def check_languages(loader: "Loader", languages: list[str], where: Position) -> None:
    """An area's languages must be ones mappa can write dates in and has site text for."""
    for language in languages:
        if not is_known(language):
            loader.problems.add(where, f'languages: "{language}" is not a language mappa knows (like en-GB or cy)')
        elif not has_catalog(language):
            loader.problems.add(where, f'languages: there is no translation of the site\'s text into "{language}" '
                                       f"(mappa_ssg/locale/{language}/LC_MESSAGES/messages.po)")


def add_translations(loader: "Loader", report: Report, folder: Path) -> Report:
    """The report with its language versions; problems are added to the loader's list."""
    area = report.area
    rel = loader.rel(folder)
    versions = []
    for sub in language_folders(folder):
        language = sub.name
        if language == area.language:
            loader.problems.add(Position(loader.rel(sub)), f"{language} is the area's main language: its text belongs in {rel} itself")
            continue
        if language not in area.all_languages:
            loader.problems.add(Position(loader.rel(sub)), f'"{language}" is not one of the languages of {area.name} '
                                                           f"(add it to languages in content/{area.slug}/area.yaml)")
            continue
        version = _version(loader, report, sub, language)
        if version is not None:
            versions.append(version)
    for language in area.all_languages[1:]:
        if language not in [v.language for v in versions] and not (folder / language).is_dir():
            loader.problems.warn(Position(rel), f"no {language_name(language)} version: {area.name} publishes in "
                                                f"{language}, but {rel}/{language}/ does not exist")
    languages = (area.language, *[v.language for v in versions])
    versions = [dataclasses.replace(v, languages=languages) for v in versions]
    return dataclasses.replace(report, translations=tuple(versions), languages=languages if versions else ())


def _version(loader: "Loader", report: Report, folder: Path, language: str) -> Report | None:
    rel = loader.rel(folder)
    specs = report.edition.tables_in(language)
    if specs is None:
        loader.problems.add(Position(rel), f"the {report.edition.id} edition has no {language_name(language)} text: "
                                           f"add templates/editions/{report.edition.id}/{language}/ (tables.yaml and the national text)")
        return None
    before = len(loader.problems.errors)
    _ = gettext_for(language)
    images: list[Image] = []
    sections = []
    for section in report.sections:
        if section.kind in NATIONAL_SECTIONS:
            sections.append(dataclasses.replace(section, title=_(NATIONAL_SECTIONS[section.kind])))
            continue
        path = folder / f"{section.id}.md"
        if not path.is_file():
            loader.problems.add(Position(rel), f"{section.id}.md is missing: every section of {loader.rel(folder.parent)} "
                                               f"needs its {language_name(language)} version here")
            continue
        translated = loader.markdown_section(section.id, path, images, report.year)
        if translated is None:
            continue
        if translated.kind != section.kind:
            loader.problems.add(Position(translated.source), f'kind is "{translated.kind}" here but "{section.kind}" in '
                                                             f"{section.source}: a translation keeps the kind")
        title = translated.title
        if section.id == "introduction" and title == "Introduction":
            title = _("Introduction")
        elif title == section.title or title == section.id.replace("-", " ").capitalize():
            loader.problems.add(Position(translated.source), f"give this section its {language_name(language)} heading: "
                                                             f"title: in its settings (the heading is otherwise \"{title}\")")
        sections.append(dataclasses.replace(translated, title=title, signed_by=translated.signed_by or section.signed_by))
    extra = sorted(p.stem for p in folder.glob("*.md") if p.stem not in {s.id for s in report.sections})
    for name in extra:
        loader.problems.warn(Position(f"{rel}/{name}.md"), f"not in the report: {name} is not a section of {loader.rel(folder.parent)}/report.yaml")
    if len(loader.problems.errors) > before:
        return None
    return dataclasses.replace(report, language=language, sections=tuple(sections), images=tuple(images),
                               tables=tuple(worded(t, specs) for t in report.tables), translations=())


def worded(table: Table, specs: tuple[TableSpec, ...]) -> Table:
    """The same figures with the words of ``specs`` (labels, caption, headers)."""
    spec = next(s for s in specs if s.id == table.id)
    rows = dict(spec.rows)
    groups = dict(spec.groups)
    columns = dict(spec.columns)
    return dataclasses.replace(
        table, caption=spec.caption, notes=spec.notes, row_header=spec.row_header, total_label=spec.total_label,
        continues=spec.continues,
        columns=tuple(dataclasses.replace(c, label=columns.get(c.id, c.label)) for c in table.columns),
        groups=tuple(dataclasses.replace(g, label=groups.get(g.id, g.label) if g.label else g.label,
                                         rows=tuple(dataclasses.replace(r, label=rows.get(r.id, r.label)) for r in g.rows))
                     for g in table.groups))


def read_area_languages(loader: "Loader", fields: dict, fallback: str) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """(main language, all languages, names in other languages) from area.yaml."""
    from . import schema

    main = loader.language(fields.get("language")) if "language" in fields else None
    languages: list[str] = []
    if "languages" in fields:
        for node in schema.sequence(fields["languages"], loader.problems, "languages") or ():
            value = loader.language(node)
            if value and value in languages:
                loader.problems.add(node.where, f'languages: "{value}" is listed twice')
            elif value:
                languages.append(value)
        if languages:
            if main and main != languages[0]:
                loader.problems.add(fields["language"].where, f"language {main} should be the first of languages ({', '.join(languages)}), "
                                                               "or left out: the first language is the main one")
            check_languages(loader, languages, fields["languages"].where)
    names: list[tuple[str, str]] = []
    if "names" in fields:
        named = schema.mapping(fields["names"], loader.problems, "names", optional=languages[1:]) or {}
        for language, node in named.items():
            text = schema.text(node, loader.problems, f"names.{language}", max_length=120)
            if text:
                names.append((language, text))
    main = languages[0] if languages else (main or fallback)
    return main, tuple(languages) if len(languages) > 1 else (), tuple(names)


__all__ = ["add_translations", "language_folders", "read_area_languages", "worded", "Area"]
