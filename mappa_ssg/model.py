"""The site model: frozen dataclasses built once content is validated.

Nothing here reads files or renders anything; derived figures are properties computed by the
pure functions in :mod:`mappa_ssg.figures` and :mod:`mappa_ssg.years`.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path

from . import figures
from .editions import Edition
from .figures import Figure
from .i18n import gettext_for
from .problems import Position
from .tables import Column, Group, Row, Table  # noqa: F401 (the model's tables, defined there)
from .years import DatedByYear, ReportingYear, long_date, ordinal


@dataclass(frozen=True)
class Person:
    """Someone who signs a section; a body signing as a whole (a board) has a name only."""

    name: str
    role: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Link:
    name: str
    phone: str = ""
    email: str = ""
    web: str = ""
    note: str = ""

    @property
    def web_href(self) -> str:
        if not self.web:
            return ""
        return self.web if "://" in self.web else f"https://{self.web}"


@dataclass(frozen=True)
class Image:
    """An image file inside the content folder, copied to the output next to the page.

    ``svg`` holds the cleaned SVG to publish instead of the file (see images.py); ``where`` is
    where content names the image, for problems found later (two images with one name).
    """

    source: Path
    output_name: str
    alt: str
    svg: bytes | None = None
    where: Position | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Section:
    """One section of a report, in order.

    ``kind`` is one of the national kinds (``what-is-mappa``, ``statistics``, ``explanation``,
    ``useful-links``) or an area kind (``text``, ``case-study``, ``lay-adviser``,
    ``objectives``) whose ``html`` is rendered Markdown.
    """

    id: str
    title: str
    kind: str
    html: str = ""
    signed_by: Person | None = None
    source: str = ""  # project-relative path of the Markdown file, if any

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_SECTIONS


def N_(text: str) -> str:
    """Marks text for the catalogs (``make messages``); it is translated where it is shown."""
    return text


NATIONAL_SECTIONS = {
    "what-is-mappa": N_("What is MAPPA?"),
    "statistics": N_("MAPPA statistics"),
    "explanation": N_("Explanation of the statistical tables"),
    "useful-links": N_("Useful links"),
}
AREA_KINDS = ("text", "case-study", "lay-adviser", "objectives")


@dataclass(frozen=True)
class Population:
    """The ONS estimate the RSO rate is worked out from.

    ``aged_10_and_over`` is None for an old report imported from its PDF that printed the rate
    but not the population: the printed rate is then kept as it is (``Report.printed_rso_per_100k``).
    """

    aged_10_and_over: int | None
    estimate: str


@dataclass(frozen=True)
class Area:
    slug: str
    name: str
    short_name: str
    language: str  # the main language: the language of report.yaml's folder
    links: tuple[Link, ...] = ()
    logo: Image | None = None
    languages: tuple[str, ...] = ()  # every language the area publishes in, main first
    names: tuple[tuple[str, str], ...] = ()  # (language, the area's name in it), if it differs

    @property
    def all_languages(self) -> tuple[str, ...]:
        return self.languages or (self.language,)

    def name_in(self, language: str) -> str:
        return dict(self.names).get(language, self.name)


@dataclass(frozen=True)
class Report(DatedByYear):
    area: Area
    year: ReportingYear
    edition: Edition
    signatories: tuple[Person, ...]
    population: Population
    sections: tuple[Section, ...]
    tables: tuple[Table, ...]
    images: tuple[Image, ...] = ()
    source_dir: str = ""
    links: tuple[Link, ...] | None = None  # this year's contacts, when they differ from area.yaml's
    publication: tuple[str, str] | None = None  # (address, label) overriding the edition's
    publication_date: dt.date | None = None  # the day the report was published (report.yaml)
    printed_rso_per_100k: int | None = None  # the rate as printed, used only when there is no population
    # Language versions (issue 13): the report in another language shares the figures and is
    # counted once. ``language`` is empty for the main version; ``translations`` only on it.
    language: str = ""
    translations: tuple["Report", ...] = ()
    languages: tuple[str, ...] = ()  # every language this report is published in, main first

    @property
    def lang(self) -> str:
        return self.language or self.area.language

    @property
    def is_translation(self) -> bool:
        return bool(self.language) and self.language != self.area.language

    @property
    def versions(self) -> tuple[tuple[str, str], ...]:
        """(language, page path) of every language version, main first; empty if only one."""
        if len(self.languages) < 2:
            return ()
        return tuple((lang, version_path(self.area.slug, self.year.label, lang, self.area.language)) for lang in self.languages)

    @property
    def area_name(self) -> str:
        return self.area.name_in(self.lang)

    # Why the report is a draft ("status: draft", "3 figures to fill in"...); empty when final.
    # A draft is never published by `mappa build`; `--drafts` and `serve` show it marked Draft.
    draft: tuple[str, ...] = ()

    @property
    def is_draft(self) -> bool:
        return bool(self.draft)

    @property
    def contact_links(self) -> tuple[Link, ...]:
        return self.links if self.links is not None else self.area.links

    @property
    def published_at(self) -> str:
        return self.publication[0] if self.publication else self.edition.published_at

    @property
    def published_at_label(self) -> str:
        return self.publication[1] if self.publication else self.edition.published_at_label

    # Derived, all from the year and the figures: never typed in by an author (the dates come
    # from DatedByYear).
    @property
    def slug(self) -> str:
        return self.year.label

    @property
    def ordinal(self) -> str:
        return ordinal(self.year.number, self.lang)

    # The report's name, spelled once: the page title, headings, the PDF cover and its running
    # header, metadata and search all use these.
    @property
    def short_title(self) -> str:
        """ "MAPPA annual report 2014-15": the heading under the area's name."""
        return gettext_for(self.lang)("MAPPA annual report %(year)s") % {"year": self.year.label}

    @property
    def title(self) -> str:
        """ "Merseyside MAPPA annual report 2013-14": where the area is not said next to it."""
        _ = gettext_for(self.lang)
        return _("%(area)s MAPPA annual report %(year)s") % {"area": self.area_name, "year": self.year.label}

    @property
    def kind(self) -> str:
        """ "MAPPA annual report", in the report's language."""
        return gettext_for(self.lang)("MAPPA annual report")

    @property
    def publication_date_text(self) -> str:
        """ "29 October 2015" (in the report's language), or "" when report.yaml gives none."""
        return long_date(self.publication_date, self.lang) if self.publication_date else ""

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    @property
    def level_1_share(self) -> int | None:
        table_id, row_id = self.edition.level_1_cell
        table = self.table(table_id)
        share = figures.share_percent(table.cell(row_id, "total"), table.grand_total)
        return None if share is figures.PENDING else share  # a draft's text leaves the share out

    @property
    def registered_sex_offenders(self) -> Figure:
        table_id, column_id = self.edition.rso_cell
        return self.table(table_id).cell("total", column_id)

    @property
    def rso_per_100k(self) -> int | None:
        if self.population.aged_10_and_over is None:
            return self.printed_rso_per_100k
        return figures.rate_per_100k(self.registered_sex_offenders, self.population.aged_10_and_over)

    @property
    def pdf_name(self) -> str:
        suffix = f"-{self.language}" if self.is_translation else ""
        return f"{self.area.slug}-mappa-annual-report-{self.year.label}{suffix}.pdf"

    @property
    def page_path(self) -> str:
        return version_path(self.area.slug, self.year.label, self.lang, self.area.language)

    @property
    def pdf_path(self) -> str:
        """Where the PDF goes in the output, next to the report's page."""
        return f"{self.page_path.rsplit('/', 1)[0]}/{self.pdf_name}"


def version_path(area: str, year: str, language: str, main_language: str) -> str:
    """Where a language version of a report is published: the main one at ``<area>/<year>/``,
    another in a folder named by its language, ``<area>/<year>/cy/``."""
    folder = f"{area}/{year}" if language == main_language else f"{area}/{year}/{language}"
    return f"{folder}/index.html"


@dataclass(frozen=True)
class Accessibility:
    """What the accessibility statement says (site.yaml ``accessibility``); see sitefiles.py."""

    status: str = "partial"  # "full", "partial" or "not": compliance with WCAG 2.2 AA
    reviewed: str = ""  # ISO date the site was last checked, e.g. 2025-03-31
    known_issues: tuple[str, ...] = ()
    contact_phone: str = ""


ACCESSIBILITY_STATUSES = ("full", "partial", "not")


@dataclass(frozen=True)
class Site:
    title: str
    base_url: str
    publisher: str
    language: str
    contact_email: str
    areas: tuple[Area, ...]
    reports: tuple[Report, ...]
    root: Path = field(default=Path("."))
    accessibility: Accessibility = field(default_factory=Accessibility)
    # Draft reports, kept apart from ``reports`` so that nothing built from the published reports
    # (overview, open data, search, charts, sitemap) can count or link to them by accident.
    drafts: tuple[Report, ...] = ()

    def reports_for(self, area: Area) -> tuple[Report, ...]:
        """An area's reports, newest first."""
        return self._by_area.get(area.slug, ())

    @functools.cached_property
    def _by_area(self) -> dict[str, tuple[Report, ...]]:
        # Asked for by every report page (charts, navigation): indexed once, not scanned each time.
        found: dict[str, list[Report]] = {}
        for report in self.reports:
            found.setdefault(report.area.slug, []).append(report)
        return {slug: tuple(sorted(items, key=lambda r: r.year, reverse=True)) for slug, items in found.items()}

    def every_version(self) -> tuple[Report, ...]:
        """Every report page to publish: each report (and draft shown), then its versions in other
        languages. National figures, open data and search use ``reports`` (each report once)."""
        return tuple(v for r in (*self.reports, *self.drafts) for v in (r, *r.translations))

    def drafts_for(self, area: Area) -> tuple[Report, ...]:
        """An area's drafts shown in this build (none unless built with drafts), newest first."""
        return tuple(sorted((r for r in self.drafts if r.area.slug == area.slug), key=lambda r: r.year, reverse=True))

    def latest(self, area: Area) -> Report | None:
        reports = self.reports_for(area)
        return reports[0] if reports else None
