"""``mappa import``: a published MAPPA annual report (PDF or its text) as mappa content.

Stages, in order: read the text (``text``), split it into sections (``sections``), read the
statistics against the edition (``tables``), leave out the national text (``boilerplate``),
turn the area's own text into Markdown with its signatures and contacts (``narrative``), write
the report (``writer``), then check it like any other report. Nothing is silently dropped:
whatever cannot be placed is a warning ``FILE:line: ...`` and goes into a ``REVIEW:`` section.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..editions import edition_for, load_editions
from ..problems import Problem, Problems
from ..scaffold import slug_for
from ..years import ReportingYear
from .areas import find_area
from .boilerplate import load_boilerplate
from .narrative import contacts, markdown, split_signatures
from .sections import Part, blocks, split
from .tables import missing, read_tables
from .text import ImportFailure, Line, clean, read_source
from .writer import REVIEW_NOTE, Draft, Section, write

__all__ = ["ImportFailure", "Imported", "import_report"]

NATIONAL_KEEP = 0.3  # a paragraph of a national section at least this close to the edition's text is left out
_COVER = re.compile(r"annual report|multi-agency public protection arrangements|^protection arrangements$|^mappa$|^\d{4}\s*[-/–]\s*\d{2,4}$|"
                    r"^\d{1,2} april \d{4} to 31 march \d{4}$|public protection partnership|^(strategic management board|smb)$", re.I)


@dataclass
class Imported:
    folder: Path
    files: list[Path]
    warnings: list[str] = field(default_factory=list)  # "FILE:line: message"
    problems: list[Problem] = field(default_factory=list)  # from checking the new report
    check_errors: list[str] = field(default_factory=list)  # the check's errors, pointed at the source

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _year(lines: list[Line], head: str, warn) -> ReportingYear | None:
    """The reporting year: as printed in the title, else from the report's ordinal, its period
    or its snapshot date. Dates that disagree with the title are warned about (mappa prints
    the dates that belong to the year)."""
    text = " ".join(l.text for l in lines)
    title = re.search(r"(20\d{2})\s*[-/–]\s*(\d{2}|20\d{2})\b", head)
    candidates: list[ReportingYear] = []
    if title:
        candidates.append(ReportingYear(int(title.group(1))))
    ordinal = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)\s+annual\s+report", text, re.I)
    if ordinal:
        candidates.append(ReportingYear(2000 + int(ordinal.group(1))))
    period = re.search(r"1 April (20\d{2}) to 31 March (20\d{2})", text)
    if period:
        candidates.append(ReportingYear(int(period.group(1))))
    snapshot = re.search(r"on 31 March (20\d{2})", text)
    if snapshot:
        candidates.append(ReportingYear(int(snapshot.group(1)) - 1))
    if not candidates:
        return None
    chosen = candidates[0]
    for other in candidates[1:]:
        if other != chosen:
            line = next((l.number for l in lines if "31 March" in l.text or "annual report" in l.text.lower()), 1)
            warn(line, f"the report's dates point to {other}, but it is the {chosen} report: mappa prints the dates of {chosen}")
            break
    return chosen


def import_report(project: Path, source: Path, *, area: str | None = None, year: str | None = None,
                  check: bool = True) -> Imported:
    """Import one report into ``project``; raise ImportFailure when nothing can be written."""
    project = Path(project)
    shown = _shown(source)
    warnings: list[str] = []

    def warn(line: int, message: str) -> None:
        warnings.append(f"{shown}:{line}: {message}")

    if not (project / "content").is_dir():
        raise ImportFailure(f"{project / 'content'} is not a folder: run this in the project folder, or give -p PROJECT")
    text = clean(source, read_source(source))
    lines = list(text.lines)
    head = " ".join(l.text for l in lines[:80] if l.text)
    # --area may be the name, a short form or the folder name; one of the 42 is spelt as usual.
    area_name = (find_area(area.replace("-", " "), area.replace("-", " ")) or " ".join(area.split())) if area \
        else find_area(" ".join(l.text for l in lines), head)
    if not area_name:
        raise ImportFailure(f"{shown}: cannot tell which of the 42 areas this report is about: give it with --area \"NAME\"")
    try:
        reporting_year = ReportingYear.parse(year) if year else _year(lines, head, warn)
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    if reporting_year is None:
        raise ImportFailure(f"{shown}: cannot find the reporting year: give it with --year 2014-15")
    problems = Problems()
    editions = load_editions(project, problems)
    edition = edition_for(reporting_year, editions)
    if edition is None:
        raise ImportFailure(f"no edition of the national template covers {reporting_year}")
    slug = slug_for(area_name)
    target = project / "content" / slug / reporting_year.label
    if target.exists():
        raise ImportFailure(f"content/{slug}/{reporting_year.label} already exists: mappa never overwrites a report "
                            "(rename or delete that folder first if you really mean to import it again)")
    area_file = project / "content" / slug / "area.yaml"
    if area_file.parent.exists() and not area_file.is_file():
        raise ImportFailure(f"content/{slug} exists but has no area.yaml: mappa never overwrites content")
    if area_file.is_file():
        area_name = _existing_name(area_file) or area_name

    boilerplate = load_boilerplate(edition)
    parts = split(lines, text.contents, list(boilerplate.headings))
    # report.yaml names the source by its file name only: the same on every computer.
    draft = Draft(area_name, slug, reporting_year.label, edition, source.name, [], None, [], [])  # type: ignore[arg-type]
    review: list[Line] = []
    sections: list[Section] = []
    names: set[str] = set()
    found = None
    for part in parts:
        if part.kind == "cover":
            review += [l for l in part.lines if l.text and not _cover_line(l.text, area_name)]
        elif part.kind in ("what-is-mappa", "explanation"):
            _national(part, boilerplate, review)
            _add(sections, names, Section(part.kind))
        elif part.kind == "statistics":
            if found is not None:
                review += [l for l in part.lines if l.text]
                continue
            edition, found = _best_edition(part.lines, editions, reporting_year, edition, warn)
            boilerplate = load_boilerplate(edition)
            draft.edition = edition
            draft.edition_named = edition is not edition_for(reporting_year, editions)
            for line, message in found.notes:
                warn(line, message)
            review += found.unplaced
            _add(sections, names, Section("statistics"))
        elif part.kind == "useful-links":
            kept = [l for l in part.lines if not _published_line(l.text)]
            found_contacts, rest = contacts(kept)
            draft.contacts += found_contacts
            review += rest
        elif part.kind == "introduction" and not any(s.name == "introduction" for s in sections):
            body, people = split_signatures(part.lines)
            draft.signatories = people
            for person in people:
                if not person.organisation:
                    warn(person.line, f"no organisation found for {person.name}: fill in the TODO in report.yaml")
            sections.append(Section("introduction", "", "text", markdown(body)[0]))
            names.add("introduction")
        else:
            _area_section(part, sections, names, warn)
    if found is None:
        raise ImportFailure(f"{shown}: no MAPPA statistics found: is this a MAPPA annual report?")
    draft.found = found
    if not any(s.name == "introduction" for s in sections):
        sections.insert(0, Section("introduction", "", "text", ""))
        names.add("introduction")
        warn(1, "the report has no introduction: introduction.md is empty, for you to write one (mappa requires the section)")
    for national in ("what-is-mappa", "statistics", "explanation"):
        if national not in names:
            _add(sections, names, Section(national))
    sections.sort(key=lambda s: 0 if s.name == "introduction" else 1)  # mappa prints the introduction first
    for line in review:
        warn(line.number, f'not placed, kept in the REVIEW section: "{_short(line.text)}"')
    if review:
        # Beside the report, not in its sections: a REVIEW: line in a listed section would make
        # the whole report a draft, kept off the site, while its figures are ready to publish.
        # `mappa check` warns about the file until the author has moved its text and deleted it.
        body = REVIEW_NOTE + "\n\n" + "\n\n".join(f"{_escape_review(l.text)} ({draft.source}:{l.number})" for l in review) + "\n"
        draft.review = Section(_unique("review", names), "Text to review (from the import)", "text", body)
    sections.append(Section("useful-links"))
    draft.sections = sections
    draft.publication = _publication(lines, edition)
    files = write(project, draft)
    for address in draft.missing:
        warn(1, f"{address}: not found in the report: left as TODO in report.yaml")
    result = Imported(target, files, warnings)
    if check:
        _check(project, result, draft, shown)
    return result


def _best_edition(lines: list[Line], editions: dict, year: ReportingYear, usual, warn):
    """The year's edition, unless the report printed the tables of an earlier one: then the
    earlier edition that leaves the fewest figures unfound (named in report.yaml)."""
    found = read_tables(lines, usual)
    gaps = missing(found, usual)
    if not gaps:
        return usual, found
    best = (len(gaps), usual, found)
    for edition in sorted((e for e in editions.values() if e.first_year < usual.first_year), key=lambda e: e.first_year, reverse=True):
        other = read_tables(lines, edition)
        count = len(missing(other, edition))
        if count < best[0]:
            best = (count, edition, other)
    chosen = best[1]
    if chosen is not usual:
        first = min((l.number for l in lines if l.text), default=1)
        warn(first, f"the tables are those of the {chosen.id} edition, not of {usual.id} (which {year} would use): "
                    f"report.yaml names edition {chosen.id}")
    return chosen, best[2]


def _existing_name(area_file: Path) -> str | None:
    match = re.search(r"^name:\s*(.+)$", area_file.read_text(encoding="utf-8", errors="replace"), re.M)
    return match.group(1).strip().strip('"') if match else None


def _cover_line(text: str, area_name: str) -> bool:
    plain = " ".join(text.split())
    return bool(_COVER.search(plain)) or plain.lower() in (area_name.lower(), area_name.lower() + " mappa")


def _published_line(text: str) -> bool:
    return bool(re.search(r"reports? .*(england and wales|all areas).*published|published online at", text, re.I)) or \
        bool(re.fullmatch(r"(https?://)?(www\.)?(gov\.uk|justice\.gov\.uk)/?", text.strip(), re.I))


def _publication(lines: list[Line], edition) -> tuple[str, str] | None:
    """Where the report says all reports are published, when not where its edition says."""
    joined = " ".join(l.text for l in lines)
    match = re.search(r"published (?:online )?at:?\s*((?:https?://)?www\.[\w.-]+\.[a-z]{2,})", joined, re.I)
    if not match:
        return None
    label = re.sub(r"^https?://", "", match.group(1)).rstrip(".")
    if label == edition.published_at_label:
        return None
    return f"https://{label}/", label


def _national(part: Part, boilerplate, review: list[Line]) -> None:
    for block in blocks(part.lines):
        if boilerplate.score(block.text) >= NATIONAL_KEEP or any(boilerplate.score(h) >= 0.5 for h in [block.text]) \
                or len(block.text.split()) <= 4:
            continue  # the edition prints its own version of this paragraph (or subheading)
        review += list(block.lines[:1]) if len(block.lines) == 1 else [Line(block.number, block.text)]


def _add(sections: list[Section], names: set[str], section: Section) -> None:
    if section.name not in names:
        sections.append(section)
        names.add(section.name)


def _unique(name: str, names: set[str]) -> str:
    candidate, n = name, 2
    while candidate in names or candidate in ("introduction", "what-is-mappa", "statistics", "explanation", "useful-links"):
        candidate, n = f"{name}-{n}", n + 1
    names.add(candidate)
    return candidate


def _area_section(part: Part, sections: list[Section], names: set[str], warn) -> None:
    kind = part.kind if part.kind in ("case-study", "lay-adviser", "objectives") else "text"
    base = part.name or slug_for(" ".join(part.title.split()[:6])) or "section"
    name = _unique(base, names)
    lines = part.lines
    signed_by = None
    if kind == "lay-adviser":
        lines, people = split_signatures(part.lines)
        if people:
            signed_by = people[-1]
        else:
            kind = "text"
            warn(part.heading.number if part.heading else 1, "a lay adviser's report without a signature that could be read: imported as a text section")
    body, _ = markdown(lines)
    if kind == "objectives" and not re.search(r"^(- |\d+\. )", body, re.M):
        kind = "text"
        warn(part.heading.number if part.heading else 1, "an objectives section that is not a list: imported as a text section")
    title = " ".join(part.title.split())
    sections.append(Section(name, title, kind, body, signed_by))


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _escape_review(text: str) -> str:
    from .narrative import escape
    return escape(" ".join(text.split()))


def _check(project: Path, result: Imported, draft: Draft, shown: str) -> None:
    """Check the project as `mappa check` does, keep what concerns the new report, and point
    each report.yaml problem at the source line the figure came from."""
    from ..pipeline import check as check_site

    checked = check_site(project)
    folder = result.folder.relative_to(project).as_posix()
    area_file = f"content/{draft.area_slug}/area.yaml"
    mine = [p for p in checked.problems if p.path.startswith(folder + "/") or p.path == area_file]
    result.problems = mine
    for problem in mine:
        if problem.severity != "error":
            continue
        source_line = draft.yaml_lines.get(problem.line) if problem.path.endswith("report.yaml") else None
        if source_line:
            result.check_errors.append(f"{shown}:{source_line}: {problem.message} ({problem.path}:{problem.line})")
        else:
            result.check_errors.append(str(problem))
