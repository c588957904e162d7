"""HTML rendering with Jinja2: one environment, templates searched in order.

The project's ``overrides/`` folder (if any) comes first, then the theme in ``templates/``;
the theme's templates are also reachable as ``base/<name>`` so an override can extend the
template it replaces (``{% extends "base/report.html" %}``).
Autoescape is on and undefined names fail loudly (StrictUndefined).
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import posixpath
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.loaders import split_template_path
from markupsafe import Markup

from . import __version__, figures, tablerows
from .i18n import FixedTextI18n, translations
from .languages import ENGLISH, name as language_name
from .charts import Chart, report_charts
from .opendata import file_stem
from .model import Area, Report, Site, Table
from .sources import Unreadable, read_bytes


class TemplateFault(Exception):
    """An error raised by a template's own code (a filter given the wrong kind of value, say, in
    a site's override), with the template and line it happened at. Plain arguments, so it
    crosses back from a worker process whole."""

    def __init__(self, filename: str, lineno: int, message: str):
        super().__init__(filename, lineno, message)
        self.filename, self.lineno, self.message = filename, lineno, message


@contextmanager
def template_faults() -> Iterator[None]:
    """Turn an error raised inside a template (not a Jinja2 error: a TypeError from a filter, an
    AttributeError from a method) into a :class:`TemplateFault` naming the template's line, so
    the author reads where to look instead of a traceback. Errors outside templates pass."""
    try:
        yield
    except (jinja2.TemplateError, OSError, TemplateFault):
        raise
    except Exception as exc:
        # Jinja2 rewrites the traceback so that template code shows as the template's own file
        # and line: the innermost such frame is where the template went wrong.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
        if not frames:
            raise
        raise TemplateFault(frames[-1].filename, frames[-1].lineno or 1, f"{type(exc).__name__}: {exc}") from exc


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


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Templates as compiled by an earlier build, kept in a folder of the project's cache.

    Compiling the theme's templates is about a tenth of a second of every build (in each worker
    that uses them); loading them compiled takes a hundredth. Jinja keeps each under its name
    and a checksum of its text, so an edited template is compiled again; the folder is named
    after the rest of what goes into the compiled code (see :func:`_compiled_folder`). A cache
    that cannot be written is only a lost head start, never a failed build.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged file (Jinja only checks its header): compiled again
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_folder(cache: Path, language: str) -> str:
    """The language (fixed text is translated as a template is compiled, i18n.py) and
    :func:`_compiler_digest`."""
    digest = hashlib.sha1(f"{language}\0{_compiler_digest()}".encode("utf-8"))
    return str(cache / f"templates-{digest.hexdigest()[:16]}")


@lru_cache(maxsize=1)
def _compiler_digest() -> str:
    """The versions of mappa, Jinja and Python, and the code that sets up the compiler (this
    module and i18n.py, which change without a new version number while mappa is being worked
    on): read once per process, as that code is loaded once (every build, every language and
    each rebuild of ``mappa serve`` use the same)."""
    digest = hashlib.sha1("\0".join((__version__, jinja2.__version__, sys.version)).encode("utf-8"))
    for module in (__file__, sys.modules[FixedTextI18n.__module__].__file__ or ""):
        with open(module, "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()


def _compiled_templates(cache: Path | None, language: str) -> jinja2.BytecodeCache | None:
    if cache is None:
        return None
    try:
        folder = _compiled_folder(cache, language)
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(folder)


def make_environment(project: Path, language: str = ENGLISH, cache: Path | None = None) -> jinja2.Environment:
    """One environment per language: the same templates, with that language's catalog installed
    (Jinja2's i18n extension; see i18n.py). ``cache``: a folder in which compiled templates are
    kept from one build to the next (none: compiled afresh)."""
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
        extensions=[FixedTextI18n],
        # Each build makes its own environments (Renderer), so a template is never stale within
        # one: not checking each template's file on every page saves a stat() per template used.
        auto_reload=False,
        bytecode_cache=_compiled_templates(cache, language),
    )
    catalog = translations(language)
    env.install_gettext_translations(catalog, newstyle=True)
    gettext = catalog.gettext
    env.fixed_gettext = gettext  # type: ignore[attr-defined]  # see FixedTextI18n
    env.filters["figure"] = figures.show
    env.filters["figure_label"] = lambda f: gettext("not applicable") if f is None else figures.show(f)
    env.filters["in_language"] = in_language
    env.globals["report_charts"] = report_charts
    total, number = gettext("Total"), gettext("Number")
    env.globals["printed_groups"] = lambda table: tablerows.printed_groups(table, total, number)
    env.globals["data_file_stem"] = file_stem
    env.globals["language_name"] = language_name
    env.globals["page_language"] = language
    return env


@jinja2.pass_context
def in_language(context: jinja2.runtime.Context, text: object, language: str) -> Markup | str:
    """Text in another language than the page's (an English name on a Welsh page) marked with
    ``lang``, so a screen reader reads it in the right voice (WCAG 3.1.2)."""
    page = context.get("page_lang") or context.environment.globals["page_language"]
    if not text or language == page:
        return text  # type: ignore[return-value]
    return Markup('<span lang="{}">{}</span>').format(language, text)


class Renderer:
    """Renders every page of a site; the environment and compiled templates are built once."""

    def __init__(self, site: Site, project: Path, cache: Path | None = None):
        self.site = site
        self.project = project
        self.cache = cache  # compiled templates are kept there between builds (make_environment)
        self._charts: dict[int, tuple[Report, tuple[Chart, ...]]] = {}
        self.env = self._environment(site.language)
        self._envs: dict[str, jinja2.Environment] = {site.language: self.env}
        self._strings: dict[tuple[str, str], jinja2.Template] = {}
        self._files: dict[tuple[str, Path], tuple[jinja2.Template, bool]] = {}
        self._national: dict[tuple[tuple[str, Path], str, str], Markup] = {}

    def env_for(self, language: str) -> jinja2.Environment:
        """The environment whose catalog is ``language``'s (made once per language)."""
        if language not in self._envs:
            self._envs[language] = self._environment(language)
        return self._envs[language]

    def _environment(self, language: str) -> jinja2.Environment:
        env = make_environment(self.project, language, self.cache)
        env.globals["report_charts"] = lambda site, report: self.charts(report) if site is self.site else report_charts(site, report)
        return env

    def charts(self, report: Report) -> tuple[Chart, ...]:
        """The report's charts (charts.report_charts), worked out once: its page, its SVG files
        and its PDF all show them."""
        made = self._charts.get(id(report))
        if made is None or made[0] is not report:  # the report is kept, so its id is never reused
            made = self._charts[id(report)] = (report, report_charts(self.site, report))
        return made[1]

    def _from_string(self, source: str, language: str | None = None) -> jinja2.Template:
        language = language or self.site.language
        if (language, source) not in self._strings:
            self._strings[language, source] = self.env_for(language).from_string(source)
        return self._strings[language, source]

    def _boilerplate(self, report: Report, name: str) -> Markup:
        path = report.edition.boilerplate(name, report.language if report.is_translation else None)
        key = (report.lang, path)
        if key not in self._files:  # read and compiled once per edition, not once per report
            try:  # inside templates/, an ordinary file (sources.py), as every template is
                text = read_bytes(path, report.edition.folder.parents[1]).decode("utf-8")
            except (Unreadable, UnicodeDecodeError) as exc:
                raise jinja2.TemplateSyntaxError(str(exc), 1, name, str(path)) from None
            template = self._from_string(text, report.lang)
            self._files[key] = (template, _reads_report(template.environment, text))
        template, per_report = self._files[key]
        edition = report.edition
        if report.publication:  # this report printed another "published at" address
            edition = dataclasses.replace(edition, published_at=report.published_at, published_at_label=report.published_at_label)
        if per_report:
            return Markup(template.render(report=report, edition=edition))
        # A text that names nothing of the report is the same in every report of the edition
        # (and language, and "published at" address): rendered once.
        once = (key, edition.published_at, edition.published_at_label)
        if once not in self._national:
            self._national[once] = Markup(template.render(report=report, edition=edition))
        return self._national[once]

    def _context(self, path: str, **extra: object) -> dict[str, object]:
        depth = path.count("/")
        root = "../" * depth
        context = {"site": self.site, "root": root, "page_path": path, "url": lambda target: relative(path, target),
                   "page_lang": self.site.language, "main_language": self.site.language}
        return {**context, **extra}

    def home(self) -> Page:
        path = "index.html"
        return Page(path, self.env.get_template("home.html").render(self._context(path)))

    def area(self, area: Area) -> Page:
        path = f"{area.slug}/index.html"
        reports = sorted((*self.site.reports_for(area), *self.site.drafts_for(area)), key=lambda r: r.year, reverse=True)
        ctx = self._context(path, area=area, reports=reports)
        return Page(path, self.env.get_template("area.html").render(ctx))

    def report(self, report: Report, *, for_print: bool = False, has_pdf: bool = True) -> Page:
        """A report's page (or print version) in its own language."""
        path = report_path(report)
        ctx = self._context(
            path,
            report=report,
            area=report.area,
            for_print=for_print,
            page_lang=report.lang,
            main_language=report.area.language,
            has_pdf=has_pdf,  # False when built without PDFs and none is up to date: no link
            caption=lambda table: self.caption(table, report),
            boilerplate=lambda name: self._boilerplate(report, name),
        )
        template = "report_print.html" if for_print else "report.html"
        return Page(path, self.env_for(report.lang).get_template(template).render(ctx))

    def caption(self, table: Table, report: object) -> str:
        """A table's caption filled in for a report (or anything with the same date fields)."""
        if "{" not in table.caption and "\r" not in table.caption:
            return table.caption  # no template syntax: Jinja would give it back as it is
        language = getattr(report, "lang", self.site.language)
        return self._from_string(table.caption, language).render(report=report)

    def page(self, template: str, path: str, **extra: object) -> Page:
        """Any other page of the site (overview, open data, search, accessibility...)."""
        return Page(path, self.env.get_template(template).render(self._context(path, **extra)))


def _reads_report(env: jinja2.Environment, source: str) -> bool:
    """Whether a template, or a template it includes, imports or extends, names ``report``
    (jinja2.meta); True also when it names a template only known when it is rendered."""
    seen: set[str] = set()
    sources: list[tuple[str, str | None, str | None]] = [(source, None, None)]
    while sources:
        parsed = env.parse(*sources.pop())
        if "report" in meta.find_undeclared_variables(parsed):
            return True
        for name in meta.find_referenced_templates(parsed):
            if name is None:
                return True
            if name not in seen:
                seen.add(name)
                text, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
                sources.append((text, name, filename))
    return False


def report_path(report: Report) -> str:
    return report.page_path


@lru_cache(maxsize=4096)
def relative(from_page: str, target: str) -> str:
    """Link from one output page to another output path, relative so output/ works anywhere."""
    # Links name index.html explicitly so pages also work opened from disk (file://).
    folder = posixpath.dirname(from_page)
    start, path = [p for p in folder.split("/") if p], [p for p in target.split("/") if p]
    if folder.startswith("/") or target.startswith("/") or {".", ".."} & {*start, *path}:
        return posixpath.relpath(target, folder or ".")
    # What posixpath.relpath gives for two paths inside output/, worked out on the strings alone:
    # relpath asks the system for the current folder twice per call, and a page has many links.
    common = 0
    while common < min(len(start), len(path)) and start[common] == path[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + path[common:]) or "."
