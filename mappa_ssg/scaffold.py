"""Starting new content: a report from the area's latest one (``mappa new``) and a new area.

A new report keeps what usually carries over (section order, narrative files, signatories) and
makes what must change impossible to forget: every figure is ``TODO``, which ``check`` reports as
an error until it is filled in, and each copied narrative starts with a ``REVIEW:`` line, which
``check`` warns about until the author deletes it. Nothing existing is ever overwritten.
"""
from __future__ import annotations

import difflib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from .editions import Edition, TableSpec, edition_for, load_editions
from .drafts import REVIEW_MARK
from .problems import Problems, did_you_mean
from .statistics import PLACEHOLDER
from .sources import MAX_IMAGE_BYTES, Unreadable, read_bytes
from .yamlsource import load_yaml
from .years import ReportingYear, long_date

_NOT_APPLICABLE = "-"
# The theme (templates and editions of the national template) that `mappa init` copies: it sits
# beside the package in a checkout and in an editable install (pipx install --editable .).
THEME = Path(__file__).resolve().parent.parent / "templates"
DEFAULT_SECTIONS = ("introduction", "what-is-mappa", "statistics", "explanation", "local-page", "useful-links")


class ScaffoldError(Exception):
    """The new content cannot be made; the message says why and what to do."""


@dataclass(frozen=True)
class NewReport:
    folder: Path
    files: tuple[Path, ...]
    copied_from: ReportingYear | None
    edition: Edition


def slug_for(name: str) -> str:
    """The folder name (and web address) for an area name: "Leicester, Leicestershire and Rutland"
    becomes "leicester-leicestershire-and-rutland"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def new_project(folder: Path, title: str) -> list[Path]:
    """Start an empty project in ``folder`` (new or empty): the theme, content/site.yaml and a
    .gitignore. Returns the files made at the top (the theme is copied whole)."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(f"{folder} is not an empty folder: mappa init starts a project only in a new or empty folder")
    if not (THEME / "editions").is_dir():
        raise ScaffoldError(f"mappa's theme is not at {THEME}: install mappa from its own folder "
                            "(pipx install --editable . or uv tool install --editable .)")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(THEME, folder / "templates")
    (folder / "content").mkdir()
    site = folder / "content" / "site.yaml"
    site.write_text(_SITE_TEMPLATE.format(title=_scalar(title)), encoding="utf-8")
    ignore = folder / ".gitignore"
    ignore.write_text("output/\n.output.*\n.mappa-cache/\nfor-sign-off/\n", encoding="utf-8")
    return [folder / "templates", site, ignore]


_SITE_TEMPLATE = """\
# The site's settings. Lines starting with # are notes: mappa ignores them.
title: {title}
# Where the site will be published: links in the sitemap and the "page not found" page use it.
base_url: https://www.example.org/mappa/
# Who publishes the site, shown at the foot of every page.
publisher: Example MAPPA Strategic Management Board
language: en-GB
# contact_email: mappa@example.org

# Next: add an area with   mappa new-area "Area name"
"""


def new_area(project: Path, name: str) -> Path:
    """Create ``content/<slug>/area.yaml`` for ``name``, with guidance comments; return its path."""
    name = " ".join(name.split())
    slug = slug_for(name)
    if not slug:
        raise ScaffoldError(f'"{name}" has no letters or digits to make a folder name from')
    content = Path(project) / "content"
    if not content.is_dir():
        raise ScaffoldError(f"{content} is not a folder: run this in the project folder, or give -p PROJECT")
    folder = content / slug
    if folder.exists():
        raise ScaffoldError(f"content/{slug} already exists: mappa never overwrites content")
    folder.mkdir()
    path = folder / "area.yaml"
    path.write_text(_AREA_TEMPLATE.format(name=_scalar(name)), encoding="utf-8")
    return path


_AREA_TEMPLATE = """\
# The area's details. Every report of the area uses them.
# Lines starting with # are notes: mappa ignores them.

name: {name}

# A shorter name used where space is tight (optional):
# short_name: LLR

# Useful links and contacts, shown at the end of every report. Each needs a name; phone,
# email, web and note are optional. Put phone numbers in quotes so they stay as typed.
links:
  - name: {name} MAPPA
    # phone: "0100 000 0000"
    # email: mappa@example.org
    # web: www.example.org

# A logo (optional): put the image file in this folder and describe it for people who cannot
# see it.
# logo: logo.png
# logo_alt: Logo of the {name} Strategic Management Board
"""


def new_report(project: Path, area: str, year_label: str) -> NewReport:
    """Create ``content/<area>/<year>/`` from the area's latest earlier report (or from scratch)."""
    project = Path(project)
    content = project / "content"
    try:
        year = ReportingYear.parse(year_label)
    except ValueError as exc:
        raise ScaffoldError(str(exc)) from None
    area_dir = content / area
    # AREA names a folder directly under content/: a path (or a symlink out) would make the
    # report somewhere else.
    if area in (".", "..") or "/" in area or "\\" in area or area_dir.resolve().parent != content.resolve():
        raise ScaffoldError(f'"{area}" is not the name of a folder in content/: give the area\'s folder name, '
                            f'for example: mappa new leicester-leicestershire-and-rutland {year.label}')
    if not (area_dir / "area.yaml").is_file():
        areas = sorted(p.name for p in content.iterdir() if (p / "area.yaml").is_file()) if content.is_dir() else []
        raise ScaffoldError(f'there is no area "{area}" in content/{_suggest(area, areas)}; '
                            f'to start a new area run: mappa new-area "Area name"')
    target = area_dir / year.label
    if target.exists():
        raise ScaffoldError(f"content/{area}/{year.label} already exists: mappa never overwrites a report "
                            f"(rename or delete that folder first if you really mean to start again)")
    problems = Problems()
    editions = load_editions(project, problems)
    previous = _latest_before(area_dir, year)
    old = _read_report(previous) if previous else {}
    # A report that named its edition keeps it: its tables are what the area publishes, and
    # changing edition is a decision for the author, not a side effect of a new year.
    kept = old.get("edition") if isinstance(old.get("edition"), str) else None
    edition = editions.get(kept) if kept else edition_for(year, editions)
    if edition is None:
        detail = "; ".join(str(p) for p in problems.errors[:3])
        what = f'the edition "{kept}" named in {previous.name if previous else ""}/report.yaml is not' if kept else "no edition of the national template is"
        raise ScaffoldError(f"{what} available for {year}" + (f" ({detail})" if detail else ""))
    target.mkdir()
    files = [target / "report.yaml"]
    try:
        files[0].write_text(_report_yaml(area, year, edition, previous, old, kept=bool(kept)), encoding="utf-8")
        if previous is None:
            files += _fresh_narrative(target, year)
        else:
            files += _copy_narrative(previous, target, ReportingYear.parse(previous.name), year)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # never leave half a report behind
        raise
    return NewReport(target, tuple(files), ReportingYear.parse(previous.name) if previous else None, edition)


def _suggest(word: str, choices: list[str]) -> str:
    """Did-you-mean for an area folder: also for the start of a long name, misspelt or not
    ("leicster" -> "leicester-leicestershire-and-rutland"), and for one word of it ("manchester")."""
    word = word.lower().strip("/")
    starts = [c for c in choices if c.startswith(word)]
    if len(starts) == 1:
        return f' (did you mean "{starts[0]}"?)'
    hint = did_you_mean(word, choices)
    if hint:
        return hint
    heads: dict[str, str] = {}
    for choice in choices:
        heads.setdefault(choice[: len(word)], choice)
    close = difflib.get_close_matches(word, list(heads), n=1, cutoff=0.75)
    if close:
        return f' (did you mean "{heads[close[0]]}"?)'
    words = [c for c in choices if word in c.split("-")]
    return f' (did you mean "{words[0]}"?)' if len(words) == 1 else ""


def _latest_before(area_dir: Path, year: ReportingYear) -> Path | None:
    found = []
    for folder in area_dir.iterdir():
        try:
            parsed = ReportingYear.parse(folder.name)
        except ValueError:
            continue
        if folder.is_dir() and parsed < year and (folder / "report.yaml").is_file():
            found.append((parsed, folder))
    return max(found)[1] if found else None


def _read_report(folder: Path) -> dict:
    rel = f"{folder.parent.name}/{folder.name}/report.yaml"
    problems = Problems()
    try:  # content/<area>/<year>/report.yaml, read the loader's safe way (sources.py)
        text = read_bytes(folder / "report.yaml", folder.parent.parent).decode("utf-8", errors="replace")
    except Unreadable as exc:
        raise ScaffoldError(f"content/{rel} {exc}") from None
    node = load_yaml(rel, text, problems)
    if node is None or not node.is_mapping:
        raise ScaffoldError(f"content/{rel} cannot be read, so it cannot be copied: run mappa check and fix it first")
    return node.plain()


# -- report.yaml ---------------------------------------------------------------------------------
def _report_yaml(area: str, year: ReportingYear, edition: Edition, previous: Path | None, old: dict, *, kept: bool = False) -> str:
    source = f"made from {previous.name} by mappa new" if previous else "started by mappa new"
    out = [f"# {area}, {year} ({source}).",
           f"# Edition: {edition.name} (chosen by the reporting year)." if not kept else
           f"# Edition: {edition.name}, kept from {previous.name if previous else ''}: delete the `edition:` line to use the edition for {year}.",
           f"# Every {PLACEHOLDER} is a figure to fill in: mappa check lists them all with their line numbers.", "",
           "# A draft is left out of the published site. Once the Strategic Management Board has",
           "# signed the report off, change draft to final.",
           "status: draft", ""]
    if kept:
        out += [f"edition: {_scalar(edition.id)}", ""]
    out += _signatories(old.get("signatories"), previous)
    estimate = (old.get("population") or {}).get("estimate") if isinstance(old.get("population"), dict) else None
    out += ["population:",
            f"  aged_10_and_over: {PLACEHOLDER}     # ONS mid-year estimate, people aged 10 and over",
            f"  estimate: {PLACEHOLDER}             # which estimate: for example, ONS mid-{year.start} population estimates"]
    if estimate:
        out.append(f"  # last year: {_one_line(str(estimate))}")
    out.append("")
    sections = old.get("sections") if isinstance(old.get("sections"), list) else None
    if sections or previous is None:
        out.append("sections:")
        out += [f"  - {_scalar(str(s))}" for s in (sections or DEFAULT_SECTIONS)]
        out.append("")
    out.append("statistics:")
    for spec in edition.tables:
        out += _table_yaml(spec, year)
    return "\n".join(out) + "\n"


def _signatories(people: object, previous: Path | None) -> list[str]:
    if not isinstance(people, list) or not people:
        return ["# Who signs the introduction: up to 6 people, the board as a whole, or nobody ([]).",
                "# Replace [] with lines like these:",
                "#   - name: Full Name",
                "#     role: Chair of the Strategic Management Board",
                "#     organisation: Example Police",
                "# or, for the board signing as a whole:",
                "#   - body: Example MAPPA Strategic Management Board",
                "signatories: []", ""]
    out = [f"# {REVIEW_MARK} last year's signatories ({previous.name if previous else ''}). Check each person still holds the role.",
           "signatories:"]
    for person in people:
        if not isinstance(person, dict):
            continue
        keys = [k for k in ("name", "role", "organisation") if k in person]
        for i, key in enumerate(keys):
            out.append(f"  {'- ' if i == 0 else '  '}{key}: {_scalar(str(person[key]))}")
    return out + [""]


def _table_yaml(spec: TableSpec, year: ReportingYear) -> list[str]:
    out = [f"  # {_caption(spec.caption, year)}"]
    if spec.kind == "figures":
        if len(spec.rows) == 1:
            return out + [f"  {_key(spec.id)}: {PLACEHOLDER}"]
        out.append(f"  {_key(spec.id)}:")
        return out + [f"    {_key(row)}: {PLACEHOLDER}  # {label}" for row, label in spec.rows]
    columns = ", ".join(label.split(":")[0] for _, label in spec.columns)
    out[0] += f" (each row: {columns})"
    out.append(f"  {_key(spec.id)}:")
    if not spec.groups:
        return out + _grid_rows(spec, None, "    ")
    for group, label in spec.groups:
        out.append(f"    {_key(group)}:  # {label}")
        out += _grid_rows(spec, group, "      ")
    return out


def _grid_rows(spec: TableSpec, group: str | None, indent: str) -> list[str]:
    rows = []
    for row, _label in spec.rows:
        cells = [_NOT_APPLICABLE if spec.is_not_applicable(group, row, column) else PLACEHOLDER for column, _ in spec.columns]
        rows.append(f"{indent}{_key(row)}: [{', '.join(cells)}]")
    return rows


def _caption(caption: str, year: ReportingYear) -> str:
    """The caption with the year's dates in place of the template expressions."""
    values = {"snapshot_date": long_date(year.snapshot), "year_label": year.label,
              "period": f"{long_date(year.period_start)} to {long_date(year.period_end)}"}
    text = re.sub(r"\{\{\s*report\.(\w+)\s*\}\}", lambda m: values.get(m.group(1), m.group(0)), caption)
    return _one_line(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _key(key: str) -> str:
    return key if _plain(key) else json.dumps(key)


def _scalar(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""
    return text if _plain(text) else json.dumps(text, ensure_ascii=False)


def _plain(text: str) -> bool:
    if not text or text != text.strip() or "#" in text or "\n" in text:
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False


# -- narrative -------------------------------------------------------------------------------------
def _copy_narrative(source: Path, target: Path, old: ReportingYear, year: ReportingYear) -> list[Path]:
    """Copy every file but report.yaml; each Markdown file gets a REVIEW line to delete."""
    files = []
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name == "report.yaml" or path.name.startswith("."):
            continue
        destination = target / path.relative_to(source)
        try:  # never copy in a file that a link brings from outside content/ (sources.py)
            data = read_bytes(path, source.parent.parent, MAX_IMAGE_BYTES)
        except Unreadable as exc:
            raise ScaffoldError(f"{path.relative_to(source.parent.parent.parent).as_posix()} {exc}") from None
        destination.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".md":
            text = data.decode("utf-8", errors="replace")
            destination.write_text(_mark_for_review(text, old, year), encoding="utf-8")
        else:
            destination.write_bytes(data)
        files.append(destination)
    return files


def _mark_for_review(text: str, old: ReportingYear, year: ReportingYear) -> str:
    """Put the REVIEW line first in the body (after any settings block)."""
    note = f"{REVIEW_MARK} this is the {old} text. Update it for {year}, then delete this line.\n\n"
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n".join(lines[: index + 1]) + "\n" + note + "\n".join(lines[index + 1 :])
    return note + text


def _fresh_narrative(target: Path, year: ReportingYear) -> list[Path]:
    files = []
    for name, text in (("introduction.md", f"{REVIEW_MARK} write the foreword for {year} here, then delete this line.\n"),
                       ("local-page.md", f"{REVIEW_MARK} describe what happened locally in {year}, then delete this line.\n")):
        path = target / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files
