"""Read ``content/`` into the site model, collecting every problem on the way.

Order: site.yaml, then each area folder (area.yaml), then each year folder (report.yaml and its
Markdown sections). Nothing is written here.
"""
from __future__ import annotations

import datetime as dt
import dataclasses
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import drafts, lint, schema
from .editions import Edition, edition_for, load_editions
from .images import accept_image, distinct_images
from .markdown import render_markdown, resolve_inside, split_front_matter
from .model import ACCESSIBILITY_STATUSES, AREA_KINDS, Accessibility, NATIONAL_SECTIONS, Area, Image, Link, Population, Report, Section, Site
from .parallel import map_in_order
from .people import read_person, read_signatories
from .problems import Position, Problem, Problems, did_you_mean
from .figures import PENDING
from .sitefiles import BASE_URL_MESSAGE, is_base_url
from .sources import MAX_TEXT_BYTES as _MAX_TEXT_BYTES, Unreadable, read_bytes, subfolders
from .statistics import PLACEHOLDER, read_statistics
from .versions import add_translations, read_area_languages
from .yamlsource import Node, load_yaml
from .years import ReportingYear, long_date

if TYPE_CHECKING:
    from .incremental import ModelCache

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED_SECTIONS = ("introduction", "what-is-mappa", "statistics", "explanation")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# What to write in place of TODO, by field: a number for the count, a name for the estimate.
_POPULATION_HINTS = {
    "aged_10_and_over": "the number of people aged 10 and over in the ONS mid-year estimate, without commas",
    "estimate": "the name of the estimate used, such as: ONS mid-2021 population estimates",
}


class Loader:
    def __init__(self, project: Path, problems: Problems, cache: "ModelCache | None" = None, jobs: int | None = None):
        self.project = project
        self.jobs = jobs
        # Warnings about likely mistakes (lint.py): shown only once there is no error left.
        self.later = Problems()
        self.content = project / "content"
        self.problems = problems
        self.cache = cache

    # -- helpers -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        return path.relative_to(self.project).as_posix()

    def read_text(self, path: Path) -> str | None:
        rel = self.rel(path)
        try:  # inside content/, an ordinary file, not too large: see sources.py
            data = read_bytes(path, self.content, _MAX_TEXT_BYTES)
        except Unreadable as exc:
            self.problems.add(Position(rel), str(exc))
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            self.problems.add(Position(rel, line, col), "is not UTF-8 text: save the file as UTF-8")
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def read_yaml(self, path: Path) -> Node | None:
        if not path.exists() and not path.is_symlink():  # a broken link or a loop is reported by read_text
            self.problems.add(Position(self.rel(path.parent)), f"{path.name} is missing")
            return None
        text = self.read_text(path)
        return None if text is None else load_yaml(self.rel(path), text, self.problems)

    def language(self, node: Node | None) -> str | None:
        """A language tag like en-GB or cy: it becomes the pages' lang attribute, read by screen readers."""
        value = schema.text(node, self.problems, "language")
        if value and not _LANGUAGE.match(value):
            self.problems.add(node.where, f'language "{value[:40]}" is not a language code like en-GB or cy')
            return None
        return value

    def email(self, node: Node | None, what: str) -> str:
        value = schema.text(node, self.problems, what, required=False) or ""
        if value and not _EMAIL.match(value):
            self.problems.add(node.where, f'{what} "{value[:60]}" is not an email address')
            return ""
        return value

    # -- site ----------------------------------------------------------------------------
    def load(self) -> Site | None:
        editions = load_editions(self.project, self.problems)
        if not self.content.is_dir():
            self.problems.add(Position("content"), "the content folder is missing")
            return None
        site_node = self.read_yaml(self.content / "site.yaml")
        fields = site_node and schema.mapping(site_node, self.problems, "site", required=("title", "base_url", "publisher"),
                                optional=("language", "contact_email", "checks", "accessibility"), where=Position("content/site.yaml")) or {}
        language = self.language(fields.get("language")) or "en-GB"
        base_url = schema.text(fields.get("base_url"), self.problems, "base_url") or ""
        if base_url and not is_base_url(base_url):
            self.problems.add(fields["base_url"].where, BASE_URL_MESSAGE)
            base_url = ""
        # Read before the areas, so a problem here is reported even when an area has errors too.
        title = schema.text(fields.get("title"), self.problems, "title") or ""
        publisher = schema.text(fields.get("publisher"), self.problems, "publisher") or ""
        contact_email = self.email(fields.get("contact_email"), "contact_email")
        areas: list[Area] = []
        folders: list[tuple[Area, Path]] = []
        for folder in subfolders(self.content, self.content, self.problems, self.rel):
            if folder.name == "templates":
                continue
            area = self.load_area(folder, language)
            if area is None:
                if not _SLUG.match(folder.name):
                    continue
                # Keep checking the area's reports, so every problem shows in one run.
                area = Area(slug=folder.name, name=folder.name, short_name=folder.name, language=language)
            areas.append(area)
            for year_dir in subfolders(folder, self.content, self.problems, self.rel):
                folders.append((area, year_dir))
        loaded = [r for r in self.load_reports(folders, editions) if r is not None]
        reports = [r for r in loaded if not r.is_draft]
        draft_reports = [r for r in loaded if r.is_draft]
        if self.problems.errors:
            return None
        self.problems.extend(self.later.items)
        return Site(
            title=title,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            publisher=publisher,
            language=language,
            contact_email=contact_email,
            areas=tuple(areas),
            reports=tuple(reports),
            root=self.project,
            accessibility=self.accessibility(fields.get("accessibility")),
            drafts=tuple(draft_reports),
        )

    def accessibility(self, node: Node | None) -> Accessibility:
        """The optional ``accessibility`` block of site.yaml, for the accessibility statement."""
        if node is None:
            return Accessibility()
        fields = schema.mapping(node, self.problems, "accessibility", optional=("status", "reviewed", "known_issues", "contact_phone")) or {}
        status = schema.text(fields.get("status"), self.problems, "accessibility.status") or "partial"
        if status not in ACCESSIBILITY_STATUSES:
            self.problems.add(fields["status"].where, f'accessibility.status should be one of {", ".join(ACCESSIBILITY_STATUSES)}, not "{status}"{did_you_mean(status, ACCESSIBILITY_STATUSES)}')
        reviewed = schema.text(fields.get("reviewed"), self.problems, "accessibility.reviewed") or ""
        if reviewed:
            try:
                reviewed = dt.date.fromisoformat(reviewed).isoformat()
            except ValueError:
                self.problems.add(fields["reviewed"].where, f'accessibility.reviewed should be a date like 2025-03-31, not "{reviewed}"')
        issues = [schema.text(n, self.problems, "accessibility.known_issues entry", max_length=500)
                  for n in schema.sequence(fields.get("known_issues"), self.problems, "accessibility.known_issues") or ()]
        return Accessibility(status=status, reviewed=reviewed, known_issues=tuple(i for i in issues if i),
                             contact_phone=schema.text(fields.get("contact_phone"), self.problems, "accessibility.contact_phone") or "")

    # -- area ----------------------------------------------------------------------------
    def load_area(self, folder: Path, language: str) -> Area | None:
        rel = self.rel(folder)
        if not _SLUG.match(folder.name):
            self.problems.add(Position(rel), f'folder name "{folder.name}" should be lower case letters, digits and hyphens (it becomes the web address)')
            return None
        node = self.read_yaml(folder / "area.yaml")
        if node is None:  # unreadable: already reported
            return None
        fields = schema.mapping(node, self.problems, "area", required=("name",),
                                optional=("short_name", "language", "languages", "names", "links", "logo", "logo_alt"), where=Position(f"{rel}/area.yaml"))
        if fields is None:
            return None
        name = schema.text(fields.get("name"), self.problems, "name", max_length=120)
        links = tuple(filter(None, (self.link(n) for n in schema.sequence(fields.get("links"), self.problems, "links") or ())))
        logo = None
        if "logo" in fields:
            logo = self.logo(folder, fields)
        elif "logo_alt" in fields:
            self.problems.add(fields["logo_alt"].where, "logo_alt is given but there is no logo")
        main_language, languages, names = read_area_languages(self, fields, language)
        if name is None:
            return None
        return Area(
            slug=folder.name,
            name=name,
            short_name=schema.text(fields.get("short_name"), self.problems, "short_name", required=False) or name,
            language=main_language,
            links=links,
            logo=logo,
            languages=languages,
            names=names,
        )

    def logo(self, folder: Path, fields: dict[str, Node]) -> Image | None:
        src = schema.text(fields["logo"], self.problems, "logo")
        alt = schema.text(fields.get("logo_alt"), self.problems, "logo_alt") if "logo_alt" in fields else None
        if "logo_alt" not in fields:
            self.problems.add(fields["logo"].where, "logo needs logo_alt: a short description of the logo for people who cannot see it")
        if not src:
            return None
        source = resolve_inside(folder, src, self.content)
        if source is None:
            self.problems.add(fields["logo"].where, f'logo "{src}" points outside the content folder')
            return None
        if source.suffix.lower() not in (".png", ".jpg", ".jpeg", ".svg"):
            self.problems.add(fields["logo"].where, "logo should be a .png, .jpg or .svg file")
            return None
        checked = accept_image(source, src, fields["logo"].where, self.content, self.problems, "logo")  # a real image; SVG cleaned
        if checked is None:
            return None
        return Image(source, "logo" + source.suffix.lower(), alt or "", checked.svg, fields["logo"].where) if alt else None

    def link(self, node: Node) -> Link | None:
        fields = schema.mapping(node, self.problems, "link", required=("name",), optional=("phone", "email", "web", "note"))
        if fields is None:
            return None
        values = {k: schema.text(fields.get(k), self.problems, k, required=k == "name") or "" for k in ("name", "phone", "email", "web", "note")}
        if values["web"] and not re.match(r"^(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?$", values["web"], re.I):
            self.problems.add(fields["web"].where, f'web "{values["web"]}" is not a web address (like www.example.org.uk)')
            values["web"] = ""
        if values["email"] and not _EMAIL.match(values["email"]):
            self.problems.add(fields["email"].where, f'email "{values["email"]}" is not an email address')
        return Link(**values) if values["name"] else None

    # -- report --------------------------------------------------------------------------
    def load_report(self, area: Area, folder: Path, editions: dict[str, Edition]) -> Report | None:
        rel = self.rel(folder)
        try:
            year = ReportingYear.parse(folder.name)
        except ValueError as exc:
            self.problems.add(Position(rel), f"report folder: {exc}")
            return None
        before = len(self.problems.errors)
        first, first_to_do = len(self.problems.items), len(self.problems.left_to_do)
        path = folder / "report.yaml"
        node = self.read_yaml(path)
        if node is None:  # unreadable: already reported
            return None
        fields = schema.mapping(node, self.problems, "report", required=("statistics",),
                                optional=("status", "signatories", "population", "edition", "sections", "links", "published_at", "published_at_label",
                                          "publication_date"),
                                where=Position(self.rel(path)))
        if fields is None:
            return None
        self.review_lines(self.rel(path), self.read_text(path))
        status = self.status(fields.get("status"))
        edition = self.edition(fields.get("edition"), year, editions, Position(self.rel(path)))
        signatories = read_signatories(fields.get("signatories"), self.problems)
        tables, rate_node = read_statistics(fields.get("statistics"), edition, self.problems) if edition else ((), None)
        population = self.population(fields.get("population"), rate_node, Position(self.rel(path)))
        printed_rate = None
        if population is not None and population.aged_10_and_over is None and rate_node is not None:
            printed_rate = schema.whole_number(rate_node, self.problems, "rso_per_100k", maximum=100_000)
        sections, images = self.sections(folder, fields.get("sections"), Position(self.rel(path)), year)
        links = None
        if "links" in fields:
            links = tuple(filter(None, (self.link(n) for n in schema.sequence(fields["links"], self.problems, "links") or ())))
        publication = self.publication(fields)
        publication_date = self.publication_date(fields.get("publication_date"), year)
        report = None
        if len(self.problems.errors) == before and edition is not None and population is not None:
            report = Report(area=area, year=year, edition=edition, signatories=signatories, population=population,
                            sections=sections, tables=tables, images=tuple(images), source_dir=rel,
                            links=links, publication=publication, printed_rso_per_100k=printed_rate,
                            publication_date=publication_date)
            self.check_rate(report, rate_node)
            report = add_translations(self, report, folder)  # versions in other languages (versions.py)
        draft = drafts.reasons(status, self.problems.left_to_do[first_to_do:])
        if not draft:
            return report if len(self.problems.errors) == before else None
        # A draft never stops the build: its errors become warnings and it is left out of the site.
        failed = len(self.problems.errors) > before or report is None
        self.problems.downgrade(first)
        where = fields["status"].where if "status" in fields else Position(self.rel(path))
        self.problems.warn(where, drafts.left_out(draft, has_errors=failed))
        if failed:
            return None
        versions = tuple(dataclasses.replace(v, draft=draft) for v in report.translations)
        return dataclasses.replace(report, draft=draft, translations=versions)

    def check_rate(self, report: Report, rate_node: Node | None) -> None:
        """The RSO rate the author typed, if any, must be the one worked out from the figures."""
        if rate_node is None or report.rso_per_100k is PENDING:
            return
        stated = schema.whole_number(rate_node, self.problems, "rso_per_100k")
        if stated is not None and stated != report.rso_per_100k:
            self.problems.add(rate_node.where, f"rso_per_100k: {stated} given, but {report.registered_sex_offenders:,} registered sexual offenders "
                              f"per {report.population.aged_10_and_over:,} people aged 10 and over is {report.rso_per_100k}")

    def status(self, node: Node | None) -> str:
        """``status: draft`` keeps a finished-looking report out of the site; ``final`` is the default."""
        value = schema.text(node, self.problems, "status") if node is not None else "final"
        if value not in drafts.STATUSES:
            if value is not None:
                self.problems.add(node.where, f'status should be draft or final, not "{value[:40]}"{did_you_mean(value, drafts.STATUSES)}')
            return "final"
        return value

    def review_lines(self, rel: str, text: str | None) -> None:
        """Every line starting REVIEW: (in Markdown, or a # note in YAML) is left for the author to do."""
        for number in drafts.review_line_numbers(text or ""):
            self.problems.unfinished(Position(rel, number, 1),
                                     f"marked for review: update it, then delete the line starting {drafts.REVIEW_MARK}", drafts.REVIEW)

    def load_reports(self, folders: list[tuple[Area, Path]], editions: dict[str, Edition]) -> list[Report | None]:
        """Each report folder's report (None where it has errors), in order: from the model cache
        when none of its inputs changed, the others read in parallel (see parallel.py)."""
        reports: list[Report | None] = [None] * len(folders)
        todo = []
        for index, (area, folder) in enumerate(folders):
            cached = self.cache.get(self.rel(folder)) if self.cache is not None else None
            if cached is not None:
                reports[index] = self.shared(cached, area, editions)
            else:
                todo.append(index)

        def load(index: int) -> tuple[Report | None, list[Problem], list[Problem]]:
            loader = Loader(self.project, Problems())  # a worker's own lists, handed back with the report
            area, folder = folders[index]
            return loader.load_report(area, folder, editions), loader.problems.items, loader.later.items

        for index, (report, problems, later) in zip(todo, map_in_order(load, todo, self.jobs)):
            self.problems.extend(problems)
            self.later.extend(later)
            problems = problems + later
            if report is not None:
                area = folders[index][0]
                reports[index] = report = self.shared(report, area, editions)
                if self.cache is not None and not problems:
                    self.cache.put(self.rel(folders[index][1]), report)
        return reports

    @staticmethod
    def shared(report: Report, area: Area, editions: dict[str, Edition]) -> Report:
        # A report from the cache or a worker carries its own copies of its area and edition.
        edition = editions.get(report.edition.id, report.edition)
        versions = tuple(dataclasses.replace(t, area=area, edition=edition) for t in report.translations)
        return dataclasses.replace(report, area=area, edition=edition, translations=versions)

    def publication(self, fields: dict[str, Node]) -> tuple[str, str] | None:
        """Where all reports were published, when this report printed another address than its edition."""
        given = [k for k in ("published_at", "published_at_label") if k in fields]
        if not given:
            return None
        if len(given) == 1:
            missing = "published_at_label" if given[0] == "published_at" else "published_at"
            self.problems.add(fields[given[0]].where, f"{given[0]} needs {missing} too")
            return None
        url = schema.text(fields["published_at"], self.problems, "published_at")
        label = schema.text(fields["published_at_label"], self.problems, "published_at_label")
        if url and not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
            self.problems.add(fields["published_at"].where, f'published_at "{url}" should be a web address starting https://')
            return None
        return (url, label) if url and label else None

    def publication_date(self, node: Node | None, year: ReportingYear) -> dt.date | None:
        """The day the report was published: a date not before its reporting year began."""
        day = schema.date(node, self.problems, "publication_date", f"{year.start + 1}-10-31")
        if day is not None and day < year.period_start:
            self.problems.add(node.where, f"publication_date {day.isoformat()} is before the reporting year {year} began "
                              f"({long_date(year.period_start)}): a report is published during or after its year")
            return None
        return day

    def edition(self, node: Node | None, year: ReportingYear, editions: dict[str, Edition], where: Position) -> Edition | None:
        if node is not None:
            name = str(node.value)
            if name not in editions:
                self.problems.add(node.where, f'edition "{name}" does not exist{did_you_mean(name, editions)} (editions: {", ".join(editions)})')
                return None
            return editions[name]
        edition = edition_for(year, editions)
        if edition is None:
            self.problems.add(where, f"no edition of the national template covers {year}")
        return edition

    def population(self, node: Node | None, rate_node: Node | None, where: Position) -> Population | None:
        """The population the RSO rate is worked out from.

        An old report imported from its PDF may print the rate but not the population: with
        ``statistics.rso_per_100k`` given, the population (or just its count) may be left out, and
        the printed rate is then used as it is, without a cross-check.
        """
        if node is None:
            if rate_node is None:
                self.problems.add(where, 'report: "population" is missing')
                return None
            return Population(None, "")
        required = ("aged_10_and_over", "estimate") if rate_node is None else ()
        fields = schema.mapping(node, self.problems, "population", required=required, optional=[k for k in ("aged_10_and_over", "estimate") if k not in required])
        if fields is None:
            return None
        if "aged_10_and_over" not in fields and rate_node is not None:
            return Population(None, schema.text(fields.get("estimate"), self.problems, "population.estimate") or "")
        unfilled = [k for k in ("aged_10_and_over", "estimate") if k in fields and str(fields[k].value).strip().upper() == PLACEHOLDER]
        for key in unfilled:  # left as TODO by `mappa new`: the report is a draft until they are filled in
            self.problems.unfinished(fields[key].where, f"population.{key}: not filled in yet (replace {PLACEHOLDER} with {_POPULATION_HINTS[key]})", drafts.FIGURE)
        count = PENDING if "aged_10_and_over" in unfilled else \
            schema.whole_number(fields.get("aged_10_and_over"), self.problems, "population.aged_10_and_over", minimum=1, maximum=100_000_000)
        estimate = PLACEHOLDER if "estimate" in unfilled else schema.text(fields.get("estimate"), self.problems, "population.estimate")
        return Population(count, estimate) if count and estimate else None

    def sections(self, folder: Path, node: Node | None, where: Position, year: ReportingYear) -> tuple[tuple[Section, ...], list[Image]]:
        markdown_files = {p.stem: p for p in sorted(folder.glob("*.md"))}
        if node is None:
            order = [("introduction", where), *[(n, where) for n in REQUIRED_SECTIONS[1:]]]
            if "local-page" in markdown_files:
                order.append(("local-page", where))
            order += [(n, where) for n in markdown_files if n not in ("introduction", "local-page")]
            order.append(("useful-links", where))
        else:
            items = schema.sequence(node, self.problems, "sections") or []
            order = [(schema.text(item, self.problems, "section name") or "", item.where) for item in items]
        sections: list[Section] = []
        images: list[Image] = []
        seen: set[str] = set()
        for name, at in order:
            if not name:
                continue
            if name in seen:
                self.problems.add(at, f'section "{name}" is listed twice')
                continue
            seen.add(name)
            if name in NATIONAL_SECTIONS:
                sections.append(Section(name, NATIONAL_SECTIONS[name], name))
            elif name in markdown_files:
                section = self.markdown_section(name, markdown_files[name], images, year)
                if section:
                    sections.append(section)
            else:
                choices = list(NATIONAL_SECTIONS) + list(markdown_files)
                self.problems.add(at, f'section "{name}" is neither a national section nor a file {name}.md in {self.rel(folder)}{did_you_mean(name, choices)}')
        for required in REQUIRED_SECTIONS:
            if required not in seen:
                hint = f" (write {self.rel(folder)}/introduction.md)" if required == "introduction" and "introduction" not in markdown_files else ""
                self.problems.add(where, f'the required section "{required}" is missing{hint}')
        if node is not None:
            for name, path in markdown_files.items():
                if name not in seen:
                    self.problems.warn(Position(self.rel(path)), f'not in the report: add "{name}" to sections in report.yaml, or delete the file')
        return tuple(sections), distinct_images(images, self.problems)

    def markdown_section(self, name: str, path: Path, images: list[Image], year: ReportingYear) -> Section | None:
        rel = self.rel(path)
        text = self.read_text(path)
        if text is None:
            return None
        self.review_lines(rel, text)
        front, body, first_line = split_front_matter(rel, text, self.problems)
        fields: dict[str, Node] = {}
        if front is not None and front.value is not None:
            fields = schema.mapping(front, self.problems, "section settings", optional=("title", "kind", "signed_by")) or {}
        kind_node = fields.get("kind")
        kind = str(kind_node.value) if kind_node is not None else "text"
        if kind not in AREA_KINDS:
            self.problems.add(kind_node.where, f'kind "{kind}" is not a section kind{did_you_mean(kind, AREA_KINDS)} (kinds: {", ".join(AREA_KINDS)})')
            return None
        title = schema.text(fields.get("title"), self.problems, "title", max_length=200) if "title" in fields else None
        default_title = "Introduction" if name == "introduction" else name.replace("-", " ").capitalize()
        signed_by = None
        if kind == "lay-adviser":
            if "signed_by" not in fields:
                self.problems.add(Position(rel), "a lay-adviser section needs signed_by (name and role) in its settings")
            else:
                signed_by = read_person(fields["signed_by"], self.problems, "signed_by", organisation_required=False)
        elif "signed_by" in fields:
            self.problems.add(fields["signed_by"].where, "signed_by is only used by lay-adviser sections")
        rendered = render_markdown(rel, body, first_line, path.parent, self.content, self.problems)
        lint.narrative(rel, text, body, first_line, kind, year, self.later)  # likely mistakes
        if rendered.is_empty:
            self.problems.warn(Position(rel), "this section is empty")
        if kind == "objectives" and not rendered.has_list:
            self.problems.add(Position(rel, first_line), "an objectives section should be a list: start each objective with `- `")
        images.extend(rendered.images)
        return Section(name, title or default_title, kind, rendered.html, signed_by, rel)


def load_site(project: Path, problems: Problems, cache: "ModelCache | None" = None, jobs: int | None = None) -> Site | None:
    """Load and validate the whole site; None if any error was found (all are in ``problems``).

    With a ``cache`` (builds, not ``check``), reports whose inputs are unchanged are not read again.
    Reports are read on ``jobs`` processes (default: one per CPU) when there are many.
    """
    return Loader(project, problems, cache, jobs).load()
