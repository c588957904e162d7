"""The build, in stage order: load -> validate -> model -> render -> write.

Everything is read and checked before anything is written, and the output is staged and swapped
in only when every page and PDF has been made, so a failed build never touches ``output/``.
"""
from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .content import load_site
from .lint import lint_site
from .incremental import CACHE, ModelCache, Plan, recorded_outputs
from .model import Image, Report, Site
from .output import OutputError, Staging, check_target
from .parallel import forked_workers
from .problems import Position, Problem, Problems
from .publishing import EVERY_REPORT, OutputFile, from_staged_pages, publishing_files
from .render import Renderer, TemplateFault, report_path, template_faults

if TYPE_CHECKING:
    from .pdf import Printers

log = logging.getLogger("mappa_ssg")

ASSETS = "assets"


@dataclass
class BuildResult:
    """What a build or check did: problems found, files written, PDFs rendered or reused."""

    problems: list[Problem] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    pdfs_rendered: int = 0
    pdfs_reused: int = 0
    site: Site | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(project: Path | str = ".", *, strict: bool = False) -> BuildResult:
    """Load and validate every file; render nothing. ``strict`` makes warnings errors."""
    project = Path(project).resolve()
    problems = Problems()
    site = load_site(project, problems)  # load, validate and model in one pass over content/
    lint_site(project, site, problems)  # warnings for likely mistakes (see lint.py)
    return _result(problems, strict, site=site)


def build(
    project: Path | str = ".",
    output: Path | str | None = None,
    *,
    pdf: bool = True,
    strict: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    drafts: bool = False,
    printers: "Printers | None" = None,
) -> BuildResult:
    """Build the site into ``output`` (default ``<project>/output``) and return what happened.

    ``progress(done, total)``, if given, is called after each PDF is rendered or reused.
    Draft reports are left out unless ``drafts``: then each gets its page and PDF marked "Draft"
    (never counted in the overview, open data, search or sitemap). Raises :class:`OutputError`
    (with a one-line message) when ``output`` is not a folder mappa may replace, or when
    writing fails (disk full, no permission): the previous output is then as it was.

    ``printers``: PDF workers the caller started early (the command line starts one before it
    loads the rest of mappa, so WeasyPrint is ready sooner); the build adds any more it needs,
    or stops them if no PDF is to be made, and always closes them.
    """
    project = Path(project).resolve()
    output = Path(output).resolve() if output else project / "output"

    # 0. Only ever replace a folder mappa made (or an empty one): checked before anything else.
    try:
        check_target(output, project, made_before=recorded_outputs(project, output))
        return _build(project, output, pdf=pdf, strict=strict, jobs=jobs, progress=progress, drafts=drafts, printers=printers)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        raise OutputError(f"{exc.strerror or exc}{where} (the build stopped; {output} is unchanged)") from exc
    finally:
        if printers is not None:
            printers.close()


def _build(project: Path, output: Path, *, pdf: bool, strict: bool, jobs: int | None,
           progress: Callable[[int, int], None] | None, drafts: bool, printers: "Printers | None") -> BuildResult:
    # Nothing changed since the last build into this folder: replay its result, touch nothing.
    plan = Plan(project, output, pdf=pdf, drafts=drafts)
    previous = plan.unchanged()
    if previous is not None and not (strict and previous["problems"]):
        return _replay(previous)

    # 1-3. Load, validate, model: nothing is rendered while any content error remains.
    problems = Problems()
    cache = ModelCache(project, plan.inputs)
    site = load_site(project, problems, cache, jobs)
    cache.save()
    lint_site(project, site, problems)  # the same warnings as `check`
    result = _result(problems, strict, site=site)
    if not result.ok or result.site is None:
        return result
    site = result.site if drafts else dataclasses.replace(result.site, drafts=())

    # 4-5. Render into a staging folder; swap it in only when everything has been made. PDF
    # workers on the other cores load WeasyPrint meanwhile (pdf.Printers).
    staging = Staging(output)
    printers = _start_printers(project, jobs, _pdfs_to_make(site, plan) if pdf else 0, printers)
    try:
        kept = _render_html(site, project, staging, plan, jobs, pdf)
        if pdf:
            result.pdfs_rendered, result.pdfs_reused = _render_pdfs(site, project, staging, plan, jobs, progress, printers)
        else:
            result.pdfs_reused = kept
        result.written = staging.written
        plan.forget()
        staging.commit()
    except (jinja2.TemplateError, TemplateFault) as exc:
        # A broken template (for example a site override) is a problem to report, not a crash.
        staging.discard()
        result.problems.append(_template_problem(exc, project))
        return result
    except BaseException:
        staging.discard()
        raise
    finally:
        if printers is not None:
            printers.close()
    try:
        plan.save(result.written, result.problems, result.pdfs_rendered + result.pdfs_reused)
    except OSError as exc:  # the site is built; only the next build's head start is lost
        log.warning("warning: could not record this build in %s (%s): the next build starts afresh", CACHE, exc.strerror)
    log.info("built %d files into %s", len(result.written), output)
    return result


def _template_problem(exc: jinja2.TemplateError | TemplateFault, project: Path) -> Problem:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    # The path as written first: a template that is a link out of the project is named by its link.
    for candidate in (Path(name).absolute(), Path(name).resolve()):
        if candidate.is_relative_to(project):
            name = candidate.relative_to(project).as_posix()
            break
    return Problem(str(name), getattr(exc, "lineno", None) or 1, 1, f"template error: {exc.message or exc}")


def _result(problems: Problems, strict: bool, site: Site | None) -> BuildResult:
    items = problems.sorted()
    if strict:
        items = [Problem(p.path, p.line, p.col, p.message) for p in items]
    result = BuildResult(problems=items)
    result.site = site if not result.errors else None
    return result


def _replay(previous: dict) -> BuildResult:
    log.info("nothing changed since the last build: %d files left as they were", len(previous["written"]))
    problems = [Problem(*p) for p in previous["problems"]]
    return BuildResult(problems=problems, written=list(previous["written"]), pdfs_reused=previous["pdfs"])


def _render_html(site: Site, project: Path, staging: Staging, plan: Plan, jobs: int | None = None, pdf: bool = True) -> int:
    """Stage every file but the PDFs; returns how many PDFs were kept from the previous output."""
    # Each page names what it is made from (see incremental.py); an unchanged page is reused,
    # the others are made on every core. Files are copied first, so the sitemap can list them.
    renderer = Renderer(site, project, project / CACHE)
    with_pdf = _pdfs_to_link(site, plan, pdf)
    pages: list[tuple[str, list[str], Callable[[], str | bytes]]] = [("index.html", [plan.everything], lambda: renderer.home().content)]
    for area in site.areas:
        deps = [plan.report(r) for r in (*site.reports_for(area), *site.drafts_for(area))]
        pages.append((f"{area.slug}/index.html", deps, lambda area=area: renderer.area(area).content))
        if area.logo:
            _publish_image(staging, area.logo, f"{area.slug}/{area.logo.output_name}")
    for report in site.every_version():
        has_pdf = report.pdf_path in with_pdf  # named as an input: a page offers the PDF only if there is one
        pages.append((report_path(report), [*_area_deps(plan, site, report), f"pdf={has_pdf}"],
                      lambda report=report, has_pdf=has_pdf: renderer.report(report, has_pdf=has_pdf).content))
        folder = report_path(report).rsplit("/", 1)[0]
        for image in report.images:
            _publish_image(staging, image, f"{folder}/{image.output_name}")
    assets = project / "templates" / ASSETS
    for source in sorted(p for p in assets.rglob("*") if p.is_file()):
        staging.copy(source, f"{ASSETS}/{source.relative_to(assets).as_posix()}")
    # Charts, open data, overview, search and host files: the sitemap lists every page above
    # but the drafts'. Each names the reports it is made from.
    drafts = tuple(report_path(r).rsplit("/", 1)[0] + "/" for r in site.drafts)  # never in the sitemap
    listed = [p for p in [*staging.written, *(path for path, _, _ in pages)] if not p.startswith(drafts)]
    pages += [_planned(plan, item) for item in publishing_files(renderer, listed)]
    plan.output_files(staging, pages, jobs)
    # The search index reads the report pages staged just now.
    plan.output_files(staging, [_planned(plan, item) for item in from_staged_pages(renderer, staging)])
    if pdf:
        return 0
    for path in sorted(with_pdf):
        staging.reuse(plan.output / path, path)
    return len(with_pdf)


def _planned(plan: Plan, item: OutputFile) -> tuple[str, list[str], Callable[[], str | bytes]]:
    """A file of publishing.py as the plan takes it: path, what it is made from, how to make it."""
    deps = [plan.everything] if item.reports is EVERY_REPORT else [plan.report(r) for r in item.reports]
    return item.path, deps, item.make


def _pdfs_to_link(site: Site, plan: Plan, pdf: bool) -> set[str]:
    """The PDFs the pages may offer: all of them when PDFs are made. Without PDFs (--no-pdf),
    those in the previous output that are still up to date, so no "Download" link breaks and no
    PDF older than its page is offered; the others come back with the next full build."""
    every = site.every_version()
    if pdf:
        return {r.pdf_path for r in every}
    return {r.pdf_path for r in every if plan.can_reuse(r.pdf_path, _area_deps(plan, site, r))}


def _publish_image(staging: Staging, image: Image, relative: str) -> None:
    # An SVG is published as cleaned when it was loaded (images.py), never copied as it is.
    if image.svg is not None:
        staging.write(relative, image.svg)
    else:
        staging.copy(image.source, relative)


def _area_deps(plan: Plan, site: Site, report: Report) -> list:
    """A report's charts show its area's years up to its own (charts.py), so it depends on those."""
    deps = [plan.report(r) for r in site.reports_for(report.area) if r.year <= report.year]
    return [*deps, plan.report(report)] if report.is_draft else deps  # a draft is not among them


def _pdfs_to_make(site: Site, plan: Plan) -> int:
    """How many PDFs the previous output cannot give (an upper bound: the PDF cache may hold some).
    Asking records what each PDF is made from, for a later --no-pdf build (_pdfs_to_link)."""
    return sum(not plan.can_reuse(r.pdf_path, _area_deps(plan, site, r)) for r in site.every_version())


def _start_printers(project: Path, jobs: int | None, needed: int, started: "Printers | None") -> "Printers | None":
    """With more than one job, PDF workers started now (see pdf.Printers), or added to those
    ``started`` early; with one job, PDFs are made in this process. No more workers than PDFs
    to make: after one edit, one worker sets up WeasyPrint with a core to itself (the pages are
    made on the other) and is ready sooner than two sharing both (1.73 s against 2.0 s for the
    edit and its PDF, paired runs)."""
    cores = forked_workers(jobs)
    wanted = min(cores, needed) if cores > 1 else 0
    if started is None and wanted == 0:
        return None
    from .pdf import Printers, theme_stylesheet

    stylesheet = theme_stylesheet(project)
    if started is not None and (wanted == 0 or started.stylesheet != stylesheet):
        started.close()  # nothing to print: its core goes back to the pages
        started = None
    if wanted == 0:
        return None
    if started is None:
        return Printers(stylesheet, wanted)
    started.keep(wanted)
    return started


def _render_pdfs(site: Site, project: Path, staging: Staging, plan: Plan, jobs: int | None,
                 progress: Callable[[int, int], None] | None = None, printers: "Printers | None" = None) -> tuple[int, int]:
    from .pdf import STYLESHEET, PdfJob, document_date, render_all

    renderer = Renderer(site, project, project / CACHE)
    stylesheet = staging.path / ASSETS / STYLESHEET  # the PDF's own stylesheet, see pdf.py
    # Unchanged PDFs come from the content-hash cache (pdf.py), which also serves other output
    # folders; rendering the print HTML to compute the hash costs milliseconds.
    work = []
    for report in site.every_version():
        with template_faults():
            page = renderer.report(report, for_print=True)
        folder_rel = report_path(report).rsplit("/", 1)[0]
        folder = staging.path / folder_rel
        images = [str(folder / i.output_name) for i in report.images]
        images += [str(folder / c.file_name) for c in renderer.charts(report)]
        if report.area.logo:
            images.append(str(staging.path / report.area.slug / report.area.logo.output_name))
        target = staging.copy_target(report.pdf_path)  # claimed once; pdf.py fills it
        sources = [*(project / report.source_dir).iterdir(), project / "content" / report.area.slug / "area.yaml"]
        work.append(PdfJob(str(page.content), str(folder), str(target), (str(stylesheet), *images),
                           date=document_date(sources), root=str(staging.path)))  # reads nothing else (pdf.py)
    cache = project / ".mappa-cache" / "pdf"
    return render_all(work, str(stylesheet), cache, workers=jobs or os.cpu_count() or 1, progress=progress, printers=printers)


__all__ = ["build", "check", "BuildResult", "Position"]
