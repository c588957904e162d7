"""A synthetic national archive: every one of the 42 areas, ten reporting years, both editions.

Deterministic: the same seed always gives the same files, byte for byte, so figures measured on
two machines (or two commits) are measured on the same input. The narrative is generated from a
small vocabulary written for this benchmark; it reads like prose in length and shape (paragraphs,
headings, lists, emphasis, links), not in meaning. Every table is consistent: the totals an author
would type are computed from the cells, and the RSO rate is the one mappa derives.

The same archive is written three times: as a mappa project (``write_project``), as an MkDocs
project with one Markdown page per report (``write_mkdocs``) and as a Hugo site with the same
pages (``write_hugo``), so the generators build the same pages.
"""
from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

AREAS = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria",
    "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Dyfed-Powys", "Essex", "Gloucestershire",
    "Greater Manchester", "Gwent", "Hampshire", "Hertfordshire", "Humberside", "Kent", "Lancashire",
    "Leicester Leicestershire and Rutland", "Lincolnshire", "London", "Merseyside", "Norfolk",
    "North Wales", "North Yorkshire", "Northamptonshire", "Northumbria", "Nottinghamshire",
    "South Wales", "South Yorkshire", "Staffordshire", "Suffolk", "Surrey", "Sussex", "Thames Valley",
    "Warwickshire", "West Mercia", "West Midlands", "West Yorkshire", "Wiltshire",
)
FIRST_YEAR = 2010  # 2010-11 .. 2019-20: five years of each edition (the 2015-16 edition starts mid-way)
YEARS = 10
NEW_EDITION = 2015

# Our own small vocabulary for filler prose.
_NOUNS = ("board", "agency", "partner", "officer", "plan", "meeting", "review", "risk", "victim", "community",
          "hostel", "licence", "team", "panel", "assessment", "report", "training", "process", "service", "year",
          "referral", "neighbourhood", "court", "family", "school", "council", "volunteer", "case", "record", "audit")
_VERBS = ("reviewed", "agreed", "shared", "improved", "checked", "supported", "recorded", "planned", "visited",
          "discussed", "tested", "strengthened", "measured", "welcomed", "updated", "completed", "monitored")
_ADJECTIVES = ("local", "joint", "careful", "regular", "new", "clear", "early", "shared", "timely", "careful",
               "detailed", "practical", "independent", "small", "wider", "steady", "quarterly", "annual")
_LINKERS = ("During the year", "In most cases", "As a result", "Since April", "With partners", "Where possible",
            "For the first time", "Across the area", "In every district", "By the end of March")
_HEADINGS = ("Working together", "What changed this year", "Learning from reviews", "Looking after victims",
             "Training and audit", "Housing and support", "Information sharing")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


class Prose:
    """Seeded filler text with the shape of report narrative."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self) -> str:
        r = self.rng
        words = [r.choice(_LINKERS) + ",", "the", r.choice(_ADJECTIVES), r.choice(_NOUNS), r.choice(_VERBS), "the"]
        words += [r.choice(_ADJECTIVES), r.choice(_NOUNS)]
        for _ in range(r.randint(1, 3)):
            words += [r.choice(("and", "with", "for", "so that")), "each", r.choice(_NOUNS), r.choice(_VERBS)]
        if r.random() < 0.15:
            words[-1] = f"*{words[-1]}*"
        return " ".join(words) + "."

    def paragraph(self, sentences: int | None = None) -> str:
        return " ".join(self.sentence() for _ in range(sentences or self.rng.randint(3, 6)))

    def text(self, words: int, headings: bool = False) -> str:
        """About ``words`` words of paragraphs, with an occasional heading, list and link."""
        parts: list[str] = []
        count = 0
        while count < words:
            if headings and parts and self.rng.random() < 0.25:
                parts.append(f"## {self.rng.choice(_HEADINGS)}")
            if self.rng.random() < 0.15:
                items = [f"- {self.sentence()}" for _ in range(self.rng.randint(3, 5))]
                parts.append("\n".join(items))
                count += 15 * len(items)
            paragraph = self.paragraph()
            if self.rng.random() < 0.1:
                paragraph += " More is on the [national guidance page](https://www.gov.uk/)."
            parts.append(paragraph)
            count += len(paragraph.split())
        return "\n\n".join(parts) + "\n"


@dataclass
class Grid:
    """A level x category grid: rows of cells (None = not applicable)."""

    rows: dict[str, list[int | None]]

    def totals(self) -> list[int | None]:
        columns = list(zip(*self.rows.values()))
        return [_sum(col) for col in columns]


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


@dataclass
class Report:
    area: str
    slug: str
    year: int
    population: int
    eligible: Grid
    levels_2_and_3: Grid
    figures: dict[str, dict[str, int]]  # figures tables: table id -> row id -> value
    custody: dict[str, Grid]
    sections: dict[str, tuple[dict, str]] = field(default_factory=dict)  # name -> (front matter, body)

    @property
    def label(self) -> str:
        return year_label(self.year)

    @property
    def rso_per_100k(self) -> int:
        # As mappa and the MoJ compute it: Python's round (half to even).
        return round(self.eligible.totals()[0] * 100_000 / self.population)


def _report(rng: random.Random, area: str, year: int, size: float) -> Report:
    new = year >= NEW_EDITION
    cat1 = int(rng.randint(700, 1400) * size)
    eligible = Grid({
        "level_1": [cat1, int(rng.randint(250, 700) * size), None],
        "level_2": [rng.randint(3, 40), rng.randint(2, 30), rng.randint(0, 8)],
        "level_3": [rng.randint(0, 6), rng.randint(0, 6), rng.randint(0, 3)],
    })
    levels = Grid({
        "level_2": [rng.randint(5, 60), rng.randint(5, 50), rng.randint(0, 12)],
        "level_3": [rng.randint(0, 12), rng.randint(0, 10), rng.randint(0, 4)],
    })
    licence = Grid({"level_2": [rng.randint(0, 9) for _ in range(3)], "level_3": [rng.randint(0, 3) for _ in range(3)]})
    if new:
        order = Grid({"level_2": [rng.randint(0, 4), 0, 0], "level_3": [rng.randint(0, 2), 0, 0]})
        figures = {
            "lifetime_notification_revoked": {"lifetime_notification_revoked": rng.randint(0, 30)},
            "orders": {"shpo": rng.randint(20, 140), "shpo_foreign_travel": rng.randint(0, 4), "no": rng.randint(0, 5)},
            "sro_breach": {"sro_breach": rng.randint(0, 3)},
        }
    else:
        order = Grid({"level_2": [rng.randint(0, 4), None, None], "level_3": [rng.randint(0, 2), None, None]})
        figures = {
            "breach_of_notification": {"breach_of_notification": rng.randint(5, 90)},
            "orders": {"sopo": rng.randint(20, 140), "no": rng.randint(0, 5), "fto": rng.randint(0, 3)},
        }
    population = int(round(rng.randint(600_000, 2_500_000) * size, -2))
    return Report(area, slugify(area), year, population, eligible, levels, figures, {"breach_of_licence": licence, "breach_of_order": order})


def _sections(rng: random.Random, report: Report) -> None:
    prose = Prose(rng)
    report.sections["introduction"] = ({}, prose.text(rng.randint(300, 450)))
    report.sections["local-page"] = ({}, prose.text(rng.randint(450, 700), headings=True))
    for n in range(1, rng.randint(2, 3) + 1):
        report.sections[f"case-study-{n}"] = ({"title": f"Case study {n}", "kind": "case-study"}, prose.text(rng.randint(200, 320)))
    report.sections["lay-adviser"] = (
        {"title": "Lay adviser's report", "kind": "lay-adviser", "signed_by": {"name": f"Lay Adviser {rng.randint(1, 99)}", "role": "Lay adviser"}},
        prose.text(rng.randint(220, 320)),
    )
    objectives = "\n".join(f"- {prose.sentence()}" for _ in range(rng.randint(4, 7))) + "\n"
    report.sections["objectives"] = ({"title": "Key objectives for the year ahead", "kind": "objectives"}, objectives)


def generate(seed: int = 2024, areas: int = len(AREAS), years: int = YEARS) -> list[Report]:
    """Every report of the archive, in (area, year) order."""
    reports = []
    for index, area in enumerate(AREAS[:areas]):
        size = 3.5 if area == "London" else 1.0 + (index % 5) * 0.3
        for year in range(FIRST_YEAR, FIRST_YEAR + years):
            rng = random.Random(f"{seed}/{area}/{year}")
            report = _report(rng, area, year, size)
            _sections(rng, report)
            reports.append(report)
    return reports


# -- the mappa project ---------------------------------------------------------------------
def _flow(cells: list[int | None]) -> str:
    """A row as an author types it: its figures, then its total as ``total: N``."""
    total = _sum(cells)
    return "[" + ", ".join("-" if v is None else str(v) for v in cells) + f", total: {'-' if total is None else total}]"


def _grid_yaml(grid: Grid, indent: str) -> list[str]:
    lines = [f"{indent}{row}: {_flow(cells)}" for row, cells in grid.rows.items()]
    lines.append(f"{indent}total: {_flow(grid.totals())}")
    return lines


def _quote(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'


def report_yaml(report: Report) -> str:
    # The edition is named, so that editions added later leave the benchmark's pages unchanged.
    edition = "2015-16" if report.year >= NEW_EDITION else "2001-02"
    lines = [f"# {report.area}, {report.label}: synthetic benchmark data.", f"edition: {edition}", "signatories:"]
    for role, org in (("Chief Constable", "Police"), ("Head of Probation", "Probation Service"), ("Prison Group Director", "HM Prison Service")):
        # A different name each year, as boards change: the same three would be warned about.
        lines += [f"  - name: {role.split()[0]} of {report.area} {report.label}", f"    role: {role}", f"    organisation: {org}"]
    lines += ["population:", f"  aged_10_and_over: {report.population}",
              f"  estimate: ONS mid-{report.year - 1} population estimate, people aged 10 and over", "statistics:", "  eligible:"]
    lines += _grid_yaml(report.eligible, "    ")
    lines.append("  levels_2_and_3:")
    lines += _grid_yaml(report.levels_2_and_3, "    ")
    for table, rows in report.figures.items():
        if list(rows) == [table]:
            lines.append(f"  {table}: {rows[table]}")
        else:
            lines.append(f"  {table}:")
            lines += [f"    {_quote(row) if row == 'no' else row}: {value}" for row, value in rows.items()]
    lines.append("  custody:")
    for group, grid in report.custody.items():
        lines.append(f"    {group}:")
        lines += _grid_yaml(grid, "      ")
    lines.append(f"  rso_per_100k: {report.rso_per_100k}")
    return "\n".join(lines) + "\n"


def _front(front: dict) -> str:
    if not front:
        return ""
    lines = ["---"]
    for key, value in front.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {_quote(v)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {_quote(value)}")
    return "\n".join(lines + ["---"]) + "\n"


def write_project(target: Path, reports: list[Report], templates: Path) -> Path:
    """A mappa project: content/ from the archive, templates/ copied from the repository."""
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    content.mkdir(parents=True)
    shutil.copytree(templates, target / "templates")
    (content / "site.yaml").write_text(
        "title: MAPPA annual reports (benchmark archive)\nbase_url: https://example.org/mappa/\n"
        "publisher: mappa-ssg benchmark\nlanguage: en-GB\n"
        # Each year's figures are drawn independently, so they jump more than real ones do:
        # loosen the year-on-year check rather than print hundreds of warnings (it still runs).
        "checks:\n  max_change: 3\n  min_count: 50\n", encoding="utf-8")
    seen: set[str] = set()
    for report in reports:
        area_dir = content / report.slug
        if report.slug not in seen:
            seen.add(report.slug)
            area_dir.mkdir()
            (area_dir / "area.yaml").write_text(
                f"name: {report.area}\nlinks:\n  - name: {report.area} MAPPA\n    phone: \"0300 000 0000\"\n"
                f"    email: mappa@{report.slug}.example.org\n    web: www.{report.slug}.example.org\n"
                "  - name: Police (non-emergency)\n    phone: \"101\"\n    note: In an emergency, call 999\n", encoding="utf-8")
        folder = area_dir / report.label
        folder.mkdir()
        (folder / "report.yaml").write_text(report_yaml(report), encoding="utf-8")
        for name, (front, body) in report.sections.items():
            (folder / f"{name}.md").write_text(_front(front) + body, encoding="utf-8")
    return target


# -- the same pages for MkDocs -------------------------------------------------------------
_ROW_LABELS = {"level_1": "Level 1", "level_2": "Level 2", "level_3": "Level 3"}


def _md_grid(title: str, grid: Grid) -> str:
    show = lambda v: "-" if v is None else f"{v:,}"  # noqa: E731
    lines = [f"**{title}**", "", "| Level | Category 1 | Category 2 | Category 3 | Total |", "|---|---:|---:|---:|---:|"]
    for row, cells in [*grid.rows.items(), ("total", grid.totals())]:
        lines.append(f"| {_ROW_LABELS.get(row, 'Total')} | " + " | ".join(show(v) for v in cells) + f" | {show(_sum(cells))} |")
    return "\n".join(lines)


def mkdocs_page(report: Report) -> str:
    parts = [f"# {report.area} MAPPA annual report {report.label}"]
    for name, (front, body) in report.sections.items():
        parts.append(f"## {front.get('title', name.replace('-', ' ').capitalize())}")
        parts.append(re.sub(r"^## ", "### ", body, flags=re.M))
        if name == "introduction":
            parts += ["## MAPPA statistics", _md_grid("MAPPA-eligible offenders on 31 March", report.eligible),
                      _md_grid("Levels 2 and 3 during the year", report.levels_2_and_3)]
            for group, grid in report.custody.items():
                parts.append(_md_grid(f"Returned to custody: {group.replace('_', ' ')}", grid))
            rows = [f"| {row.replace('_', ' ')} | {value:,} |" for table in report.figures.values() for row, value in table.items()]
            parts.append("\n".join(["| Measure | Number |", "|---|---:|", *rows, f"| RSOs per 100,000 | {report.rso_per_100k} |"]))
    return "\n\n".join(parts) + "\n"


def write_mkdocs(target: Path, reports: list[Report]) -> Path:
    """An MkDocs project with the default theme: home, one page per area, one per report."""
    if target.exists():
        shutil.rmtree(target)
    docs = target / "docs"
    docs.mkdir(parents=True)
    (target / "mkdocs.yml").write_text(
        "site_name: MAPPA annual reports (benchmark archive)\nsite_url: https://example.org/mappa/\n"
        "theme:\n  name: mkdocs\nmarkdown_extensions:\n  - tables\n", encoding="utf-8")
    areas: dict[str, list[Report]] = {}
    for report in reports:
        areas.setdefault(report.slug, []).append(report)
        (docs / report.slug).mkdir(exist_ok=True)
        (docs / report.slug / f"{report.label}.md").write_text(mkdocs_page(report), encoding="utf-8")
    home = ["# MAPPA annual reports", ""]
    for slug, items in areas.items():
        home.append(f"- [{items[0].area}]({slug}/index.md)")
        page = [f"# {items[0].area} MAPPA annual reports", ""] + [f"- [Annual report {r.label}]({r.label}.md)" for r in reversed(items)]
        (docs / slug / "index.md").write_text("\n".join(page) + "\n", encoding="utf-8")
    (docs / "index.md").write_text("\n".join(home) + "\n", encoding="utf-8")
    return target


# A minimal Hugo theme of our own: a page with the site's title, the report's heading and body,
# and a list page per section; Hugo ships no default theme, and a bare site renders nothing.
_HUGO_BASEOF = """<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ .Site.Title }}</title></head>
<body><header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"""
_HUGO_SINGLE = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
"""
_HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def write_hugo(target: Path, reports: list[Report]) -> Path:
    """A Hugo site of the same pages as the MkDocs project: home, one page per area, one per report."""
    if target.exists():
        shutil.rmtree(target)
    content = target / "content"
    content.mkdir(parents=True)
    (target / "hugo.toml").write_text(
        'baseURL = "https://example.org/mappa/"\ntitle = "MAPPA annual reports (benchmark archive)"\n'
        'languageCode = "en-gb"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    layouts = target / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in (("baseof.html", _HUGO_BASEOF), ("single.html", _HUGO_SINGLE), ("list.html", _HUGO_LIST)):
        (layouts / name).write_text(text, encoding="utf-8")
    areas: dict[str, list[Report]] = {}
    for report in reports:
        areas.setdefault(report.slug, []).append(report)
        page = mkdocs_page(report)
        title, body = page.split("\n", 1)
        (content / report.slug).mkdir(exist_ok=True)
        (content / report.slug / f"{report.label}.md").write_text(
            f'---\ntitle: "{title.removeprefix("# ")}"\n---\n{body}', encoding="utf-8")
    for slug, items in areas.items():
        (content / slug / "_index.md").write_text(f'---\ntitle: "{items[0].area} MAPPA annual reports"\n---\n', encoding="utf-8")
    (content / "_index.md").write_text('---\ntitle: "MAPPA annual reports"\n---\n', encoding="utf-8")
    return target
