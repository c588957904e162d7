"""Read one report folder (report.yaml and its Markdown sections) into a :class:`Report`.

The reports of a site are many and independent, so they are read apart from site.yaml and the
areas (content.py): from the model cache when nothing changed, the rest spread over processes.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import drafts, lint, schema
from .editions import Edition, edition_for
from .figures import PENDING
from .images import distinct_images
from .markdown import render_markdown, split_front_matter
from .model import AREA_KINDS, NATIONAL_SECTIONS, Area, Image, Population, Report, Section
from .parallel import map_in_order
from .people import read_person, read_signatories
from .problems import Position, Problem, Problems, did_you_mean
from .statistics import PLACEHOLDER, read_statistics
from .versions import add_translations
from .yamlsource import Node
from .years import ReportingYear, long_date

if TYPE_CHECKING:
    from .incremental import ModelCache

REQUIRED_SECTIONS = ("introduction", "what-is-mappa", "statistics", "explanation")
# What to write in place of TODO, by field: a number for the count, a name for the estimate.
_POPULATION_HINTS = {
    "aged_10_and_over": "the number of people aged 10 and over in the ONS mid-year estimate, without commas",
    "estimate": "the name of the estimate used, such as: ONS mid-2021 population estimates",
}


class ReportReader:
    """The report half of the content loader: mixed into content.Loader, whose helpers (``rel``,
    ``read_text``, ``read_yaml_and_text``, ``link``) and problem lists it uses."""

    project: Path
    content: Path
    problems: Problems
    later: Problems
    cache: "ModelCache | None"
    jobs: int | None

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
        node, text = self.read_yaml_and_text(path)
        if node is None:  # unreadable: already reported
            return None
        fields = schema.mapping(node, self.problems, "report", required=("statistics",),
                                optional=("status", "signatories", "population", "edition", "sections", "links", "published_at", "published_at_label",
                                          "publication_date"),
                                where=Position(self.rel(path)))
        if fields is None:
            return None
        self.review_lines(self.rel(path), text)
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
            loader = type(self)(self.project, Problems())  # a worker's own lists, handed back with the report
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
        lint.narrative(rel, text, body, first_line, rendered.headings, kind, year, self.later)  # likely mistakes
        if rendered.is_empty:
            self.problems.warn(Position(rel), "this section is empty")
        if kind == "objectives" and not rendered.has_list:
            self.problems.add(Position(rel, first_line), "an objectives section should be a list: start each objective with `- `")
        images.extend(rendered.images)
        return Section(name, title or default_title, kind, rendered.html, signed_by, rel)
