"""HTML rendering with Jinja2: one environment, templates searched in order.

The project's ``overrides/`` folder (if any) comes first, then the theme in ``templates/``;
the theme's templates are also reachable as ``base/<name>`` so an override can extend the
template it replaces (``{% extends "base/report.html" %}``).
Autoescape is on and undefined names fail loudly (StrictUndefined).
"""
from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path
from markupsafe import Markup

from . import figures
from .charts import report_charts
from .opendata import file_stem
from .model import Area, Report, Site, Table
from .sources import Unreadable, read_bytes



@dataclass(frozen=True)
class Page:
    """One output file: where it goes (posix, relative to output/) and its content."""

    path: str
    content: str | bytes


class _InsideLoader(jinja2.FileSystemLoader):
    """Jinja's file loader, reading the way content is read (sources.py): a template that is a
    link out of its folder, a loop or a named pipe is a template problem, never page text or a
    hang."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for folder in self.searchpath:
            path = Path(folder, *pieces)
            if not path.exists() and not path.is_symlink():
                continue
            try:
                text = read_bytes(path, Path(folder)).decode(self.encoding)
            except (Unreadable, UnicodeDecodeError) as exc:
                raise jinja2.TemplateSyntaxError(str(exc), 1, template, str(path)) from None
            mtime = path.stat().st_mtime
            return text, str(path), lambda: path.stat().st_mtime == mtime
        raise jinja2.TemplateNotFound(template)


def make_environment(project: Path) -> jinja2.Environment:
    theme = _InsideLoader(str(project / "templates"))
    loaders: list[jinja2.BaseLoader] = []
    if (project / "overrides").is_dir():
        loaders.append(_InsideLoader(str(project / "overrides")))
    loader = jinja2.ChoiceLoader([*loaders, theme, jinja2.PrefixLoader({"base": theme})])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["figure"] = figures.show
    env.filters["figure_label"] = lambda f: "not applicable" if f is None else figures.show(f)
    env.globals["report_charts"] = report_charts
    env.globals["data_file_stem"] = file_stem
    return env


class Renderer:
    """Renders every page of a site; the environment and compiled templates are built once."""

    def __init__(self, site: Site, project: Path):
        self.site = site
        self.env = make_environment(project)
        self._strings: dict[str, jinja2.Template] = {}
        self._files: dict[Path, jinja2.Template] = {}

    def _from_string(self, source: str) -> jinja2.Template:
        if source not in self._strings:
            self._strings[source] = self.env.from_string(source)
        return self._strings[source]

    def _boilerplate(self, report: Report, name: str) -> Markup:
        path = report.edition.folder / name
        if path not in self._files:  # read and compiled once per edition, not once per report
            try:  # inside templates/, an ordinary file (sources.py), as every template is
                text = read_bytes(path, path.parents[2]).decode("utf-8")
            except (Unreadable, UnicodeDecodeError) as exc:
                raise jinja2.TemplateSyntaxError(str(exc), 1, name, str(path)) from None
            self._files[path] = self._from_string(text)
        edition = report.edition
        if report.publication:  # this report printed another "published at" address
            edition = dataclasses.replace(edition, published_at=report.published_at, published_at_label=report.published_at_label)
        return Markup(self._files[path].render(report=report, edition=edition))

    def _context(self, path: str, **extra: object) -> dict[str, object]:
        depth = path.count("/")
        root = "../" * depth
        return {"site": self.site, "root": root, "page_path": path, "url": lambda target: relative(path, target), **extra}

    def home(self) -> Page:
        path = "index.html"
        return Page(path, self.env.get_template("home.html").render(self._context(path)))

    def area(self, area: Area) -> Page:
        path = f"{area.slug}/index.html"
        reports = sorted((*self.site.reports_for(area), *self.site.drafts_for(area)), key=lambda r: r.year, reverse=True)
        ctx = self._context(path, area=area, reports=reports)
        return Page(path, self.env.get_template("area.html").render(ctx))

    def report(self, report: Report, *, for_print: bool = False, has_pdf: bool = True) -> Page:
        path = report_path(report)
        ctx = self._context(
            path,
            report=report,
            area=report.area,
            for_print=for_print,
            has_pdf=has_pdf,  # False when built without PDFs and none is up to date: no link
            caption=lambda table: self._from_string(table.caption).render(report=report),
            boilerplate=lambda name: self._boilerplate(report, name),
        )
        template = "report_print.html" if for_print else "report.html"
        return Page(path, self.env.get_template(template).render(ctx))

    def caption(self, table: Table, report: object) -> str:
        """A table's caption filled in for a report (or anything with the same date fields)."""
        return self._from_string(table.caption).render(report=report)

    def page(self, template: str, path: str, **extra: object) -> Page:
        """Any other page of the site (overview, open data, search, accessibility...)."""
        return Page(path, self.env.get_template(template).render(self._context(path, **extra)))


def report_path(report: Report) -> str:
    return f"{report.area.slug}/{report.year.label}/index.html"


@lru_cache(maxsize=4096)
def relative(from_page: str, target: str) -> str:
    """Link from one output page to another output path, relative so output/ works anywhere."""
    # Links name index.html explicitly so pages also work opened from disk (file://).
    return posixpath.relpath(target, posixpath.dirname(from_page) or ".")
