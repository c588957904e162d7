"""Writing an imported report as mappa content: report.yaml, Markdown sections, area.yaml.

Everything is written into a hidden folder first and moved into place in one rename, so an
import that fails half-way leaves nothing behind; an existing folder is never touched.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..editions import Edition
from ..lint import REVIEW_MARK
from ..scaffold import _scalar
from ..statistics import PLACEHOLDER
from .narrative import Contact, Person
from .tables import RATE, Found


@dataclass
class Section:
    name: str  # file stem, or a national section's name
    title: str = ""
    kind: str = ""  # "" for a national section
    body: str = ""
    signed_by: Person | None = None


@dataclass
class Draft:
    """What an import makes, before it is written."""

    area_name: str
    area_slug: str
    year: str
    edition: Edition
    source: str  # the file as the author named it, for comments and warnings
    signatories: list[Person]
    found: Found
    sections: list[Section]
    contacts: list[Contact]
    publication: tuple[str, str] | None = None
    review: Section | None = None  # what could not be placed: review.md, beside the report, not in its sections
    edition_named: bool = False  # True when the report's tables are an earlier edition's than its year's
    yaml_lines: dict[int, int] = field(default_factory=dict)  # report.yaml line -> source line
    missing: list[str] = field(default_factory=list)  # figures not found (left TODO)


def _cells(cells: list, columns: int) -> str:
    """A row as report.yaml writes it: one figure per column, then the printed total keyed
    (``[5, 6, 2, total: 13]``) so that mappa checks it."""
    shown = [str(c) for c in cells[:columns]]
    if len(cells) > columns:
        shown.append(f"total: {cells[columns]}")
    return "[" + ", ".join(shown) + "]"


def report_yaml(draft: Draft) -> str:
    out: list[str] = []
    where = draft.yaml_lines

    def add(text: str, line: int | None = None) -> None:
        out.append(text if line is None else f"{text}  # {draft.source}:{line}")
        if line is not None:
            where[len(out)] = line

    add(f"# {draft.area_name}, {draft.year}: imported from {draft.source} by mappa import.")
    add("# Each figure's comment names the line of the source it was read from.")
    add("")
    if draft.edition_named:
        add(f"# The published report kept the tables of an earlier edition: {draft.edition.name}.")
        add(f"edition: {draft.edition.id}")
    else:
        add(f"# Edition: {draft.edition.name} (chosen by the reporting year).")
    add("")
    if draft.signatories:
        add("signatories:")
        for person in draft.signatories:
            add(f"  - name: {_scalar(person.name)}", person.line)
            add(f"    role: {_scalar(person.role or PLACEHOLDER)}")
            add(f"    organisation: {_scalar(person.organisation or PLACEHOLDER)}")
    else:
        add("# No signatories: the published report prints no signed introduction.")
    add("")
    found = draft.found
    if found.population:
        add("population:")
        add(f"  aged_10_and_over: {found.population[0]}", found.population[1])
        add(f"  estimate: {_scalar(_estimate(found.estimate[0]))}")
    elif found.estimate:
        add("# The report prints the rate per 100,000 but not the population: the printed rate is kept.")
        add("population:")
        add(f"  estimate: {_scalar(_estimate(found.estimate[0]))}", found.estimate[1])
    add("")
    if draft.publication:
        add(f"published_at: {_scalar(draft.publication[0])}")
        add(f"published_at_label: {_scalar(draft.publication[1])}")
        add("")
    if draft.contacts:
        add("links:")
        for contact in draft.contacts:
            add(f"  - name: {_scalar(contact.name)}", contact.line)
            for key in ("phone", "email", "web", "note"):
                value = getattr(contact, key)
                if value:
                    add(f"    {key}: {_scalar(value) if key != 'phone' else _quoted(value)}")
        add("")
    if draft.review:
        add(f"# {draft.review.name}.md holds the text the import could not place: move what belongs to the report")
        add("# into its sections, then delete the file.")
    add("sections:")
    for section in draft.sections:
        add(f"  - {section.name}")
    add("")
    add("statistics:")
    for spec in draft.edition.tables:
        if spec.kind == "figures":
            values = [(row_id, found.figures.get((spec.id, row_id))) for row_id, _ in spec.rows]
            if len(spec.rows) == 1:
                row_id, value = values[0]
                _figure(add, f"  {spec.id}", value, draft, f"{spec.id}")
                continue
            add(f"  {spec.id}:")
            for row_id, value in values:
                _figure(add, f"    {_key(row_id)}", value, draft, f"{spec.id}.{row_id}")
            printed_total = found.figures.get((spec.id, "total"))
            if printed_total is not None:
                add(f"    total: {printed_total[0]}", printed_total[1])
            continue
        add(f"  {spec.id}:")
        groups = [(g, f"    {g}:", "      ") for g, _ in spec.groups] or [(None, None, "    ")]
        for group, header, indent in groups:
            if header:
                add(header)
            for row_id in [*spec.row_ids(), "total"]:
                value = found.grids.get((spec.id, group, row_id))
                if value is None:
                    if row_id != "total":
                        draft.missing.append(".".join(p for p in (spec.id, group, row_id) if p))
                        add(f"{indent}{row_id}: [{', '.join([PLACEHOLDER] * len(spec.columns))}]")
                    continue
                add(f"{indent}{row_id}: {_cells(value[0], len(spec.columns))}", value[1])
    if found.rate:
        add(f"  {RATE}: {found.rate[0]}", found.rate[1])
    return "\n".join(out) + "\n"


def _figure(add, prefix: str, value, draft: Draft, address: str) -> None:
    if value is None:
        draft.missing.append(address)
        add(f"{prefix}: {PLACEHOLDER}")
    else:
        add(f"{prefix}: {value[0]}", value[1])


def _key(key: str) -> str:
    return '"no"' if key in ("no", "yes", "on", "off", "y", "n") else key


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "") + '"'


def _estimate(text: str) -> str:
    """Which population estimate the rate used, in a few words: "Mid-2014 Population Estimates
    (ONS, published 25 June 2015)" rather than the report's whole sentence."""
    text = " ".join(text.split())
    if ": " in text and text.lower().startswith("calculated from"):
        return text.split(": ", 1)[1].rstrip(".")[:300]
    name = re.search(r"mid[- ]?\d{4}[\w ]*?estimates?", text, re.I)
    if not name:
        return text.rstrip(".")[:300]
    published = re.search(r"published[^.;]*?(\d{1,2} [A-Z][a-z]+ \d{4})", text)
    source = "ONS" if re.search(r"office for national statistics|\bONS\b", text, re.I) else ""
    detail = ", ".join(x for x in (source, f"published {published.group(1)}" if published else "") if x)
    return name.group(0) + (f" ({detail})" if detail else "")


def section_file(section: Section) -> str:
    front = [f"title: {_scalar(section.title)}"] if section.title else []
    if section.kind and section.kind != "text":
        front.append(f"kind: {section.kind}")
    if section.signed_by:
        front += ["signed_by:", f"  name: {_scalar(section.signed_by.name)}", f"  role: {_scalar(section.signed_by.role or 'Lay adviser')}"]
    head = "---\n" + "\n".join(front) + "\n---\n" if front else ""
    return head + section.body


def area_yaml(draft: Draft) -> str:
    out = ["# Made by mappa import from the report it first imported. Check the contacts.",
           f"name: {_scalar(draft.area_name)}"]
    if draft.contacts:
        out.append("links:")
        for contact in draft.contacts:
            out.append(f"  - name: {_scalar(contact.name)}")
            for key in ("phone", "email", "web", "note"):
                value = getattr(contact, key)
                if value:
                    out.append(f"    {key}: {_scalar(value) if key != 'phone' else _quoted(value)}")
    else:
        out += ["links:", f"  - name: {_scalar(draft.area_name + ' MAPPA')}"]
    return "\n".join(out) + "\n"


def write(project: Path, draft: Draft) -> list[Path]:
    """Write the draft into content/<area>/<year>/ (and area.yaml for a new area)."""
    content = project / "content"
    area_dir = content / draft.area_slug
    target = area_dir / draft.year
    new_area = not area_dir.exists()
    staging = area_dir / f".{draft.year}.importing"
    files: list[Path] = []
    try:
        area_dir.mkdir(exist_ok=True)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        (staging / "report.yaml").write_text(report_yaml(draft), encoding="utf-8")
        files.append(target / "report.yaml")
        for section in [*draft.sections, *([draft.review] if draft.review else [])]:
            if section.kind:
                (staging / f"{section.name}.md").write_text(section_file(section), encoding="utf-8")
                files.append(target / f"{section.name}.md")
        if new_area:
            (area_dir / "area.yaml").write_text(area_yaml(draft), encoding="utf-8")
            files.insert(0, area_dir / "area.yaml")
        os.rename(staging, target)  # fails, rather than replaces, if the folder appeared meanwhile
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if new_area:
            shutil.rmtree(area_dir, ignore_errors=True)
        raise
    return files


REVIEW_NOTE = (f"{REVIEW_MARK} mappa import could not place the text below. Move each part to the section "
               "where it belongs (or delete it if it is not needed), then delete this section.")
