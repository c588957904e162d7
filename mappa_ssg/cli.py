"""The ``mappa`` command: a thin click layer over :func:`mappa_ssg.build` and :func:`mappa_ssg.check`.

Exit status: 0 built or checked with no errors; 1 the content has errors (all printed as
``path:line:col: message``); 2 the command was used wrongly.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from . import __version__
from .output import OutputError

if TYPE_CHECKING:
    from .pdf import Printers
    from .pipeline import BuildResult

T = TypeVar("T")
PROJECT = click.option("-p", "--project", type=click.Path(file_okay=False, path_type=Path), default=".",
                       show_default=True, help="Folder holding content/ and templates/.")
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _report(result: BuildResult) -> None:
    for problem in result.problems:
        colour = "red" if problem.severity == "error" else "yellow"
        click.secho(str(problem), fg=colour, err=True)
    if result.errors:
        n = len(result.errors)
        click.secho(f"{n} error{'s' if n != 1 else ''}: nothing was written", fg="red", bold=True, err=True)


def _pdf_bar(stack: contextlib.ExitStack) -> Callable[[int, int], None]:
    """A progress callback for the library that draws a click progress bar on stderr (a terminal
    only: a log file gets the summary line alone).

    The bar is made on the first report, when the number of PDFs is known; ``stack`` closes it.
    """
    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = stack.enter_context(click.progressbar(length=total, label="Rendering PDFs", file=sys.stderr))
        bar.update(done - bar.pos)

    return progress


def _verbose(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        logging.getLogger("mappa_ssg").setLevel(logging.INFO)
    return value


# Accepted before or after the command (`mappa -v build` and `mappa build -v`), as users expect.
VERBOSE = click.option("-v", "--verbose", is_flag=True, expose_value=False, is_eager=True, callback=_verbose,
                       help="Say what is being done.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="mappa")
@VERBOSE
@click.pass_context
def main(ctx: click.Context) -> None:
    """Build MAPPA annual report websites and PDFs from YAML and Markdown.

    \b
    Examples:
      mappa init my-reports    start a new, empty project
      mappa check              check every file, write nothing
      mappa build              build the site and PDFs into output/
      mappa build --no-pdf     HTML only (faster while editing)
      mappa new leicester-leicestershire-and-rutland 2021-22
      mappa import old/merseyside-2013-14.pdf
      mappa serve              preview at http://127.0.0.1:8000/

    \b
    Exit status:
      0  done, no errors
      1  the content has errors (each printed as file:line:column: message),
         or new content would overwrite something that exists, or the output
         folder may not be replaced or cannot be written (one line: error: ...)
      2  the command was typed wrongly (see mappa COMMAND --help)
    Errors are red and warnings yellow on a terminal; plain text when piped
    or when the NO_COLOR environment variable is set.
    """
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    # https://no-color.org: any non-empty NO_COLOR turns colour off; every command inherits it.
    if os.environ.get("NO_COLOR"):
        ctx.color = False


@main.command()
@PROJECT
@STRICT
@VERBOSE
def check(project: Path, strict: bool) -> None:
    """Check all content and report every problem; write nothing.

    \b
    Examples:
      mappa check
      mappa check --strict     warnings count as errors
    """
    from .pipeline import check as check_site

    result = check_site(project, strict=strict)
    _report(result)
    if not result.ok:
        sys.exit(1)
    site = result.site
    drafts = f", {len(site.drafts)} draft{'s' if len(site.drafts) != 1 else ''} (not published until finished)" if site and site.drafts else ""
    click.echo(f"ok: {len(site.areas)} areas, {len(site.reports)} reports{drafts}, {len(result.warnings)} warnings" if site else "ok")


def _early_printer(project: Path, jobs: int | None) -> "Printers | None":
    """One PDF worker, started before the rest of mappa is loaded: setting up WeasyPrint (about
    half a second) is the longest wait for the PDF of one edited report, and this way it runs
    on another core while this process loads its modules (a fifth of a second), reads the
    content and makes the pages. The build adds workers if it has more PDFs to make, or stops
    this one if it has none. Only with a core to spare (more than one job).

    One, not one per core: two setting up at once took the cores from this process's own work,
    and a first build of six PDFs took 1.06 times as long (paired runs)."""
    from .parallel import forked_workers

    if forked_workers(jobs) < 2:
        return None
    from .pdf import Printers, theme_stylesheet

    return Printers(theme_stylesheet(project), 1)


@main.command()
@PROJECT
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site [default: PROJECT/output].")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also make a PDF of each report.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help="Processes reading reports, making pages and rendering PDFs [default: CPU count].")
@click.option("--drafts", is_flag=True, help='Include draft reports, marked "Draft" on every page and PDF page (for sign-off, not for publishing).')
@STRICT
@VERBOSE
def build(project: Path, output: Path | None, pdf: bool, jobs: int | None, drafts: bool, strict: bool) -> None:
    """Check everything, then build the site (and PDFs) into the output folder.

    The previous output is replaced only when the whole build succeeds. mappa only replaces
    a folder it made itself (it holds a .mappa-output file) or an empty one: never content/,
    templates/, overrides/, .git, the project folder or a folder of other files. A draft report
    (status: draft, a figure still TODO or a REVIEW: line left) is left out, with a warning
    for each thing left to do; the other reports are built. --drafts includes drafts, marked.

    \b
    Examples:
      mappa build
      mappa build --no-pdf -o /tmp/preview
      mappa build --drafts -o /tmp/for-sign-off
    """
    printers = _early_printer(project, jobs) if pdf else None
    from .pipeline import build as build_site  # after the PDF worker has started: see _early_printer

    with contextlib.ExitStack() as stack:
        try:
            result = build_site(project, output, pdf=pdf, strict=strict, jobs=jobs, drafts=drafts, printers=printers,
                                progress=_pdf_bar(stack) if pdf and sys.stderr.isatty() else None)
        except OutputError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)
        except KeyboardInterrupt:  # Ctrl-C: the staging folder is gone, the workers stopped
            click.secho(f"interrupted: {output or Path(project) / 'output'} is unchanged", fg="red", err=True)
            sys.exit(130)
    _report(result)
    if not result.ok:
        sys.exit(1)
    extra = f", PDFs: {result.pdfs_rendered} rendered, {result.pdfs_reused} unchanged" if pdf else \
        f", {result.pdfs_reused} up-to-date PDFs kept from the last build" if result.pdfs_reused else ""
    left_out = len(result.site.drafts) if result.site and not drafts else 0
    if left_out:
        extra += f"; {left_out} draft{'s' if left_out != 1 else ''} left out (see the warnings; --drafts shows them)"
    click.echo(f"built {len(result.written)} files into {output or Path(project) / 'output'}{extra}")


def _scaffold(make: Callable[..., T], *args: object) -> T:
    """Run one of scaffold.py's makers; its refusal (never overwrite, no such area) exits 1."""
    from .scaffold import ScaffoldError

    try:
        return make(*args)
    except ScaffoldError as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        sys.exit(1)


def _shown(path: Path) -> str:
    """A path as the author typed it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@main.command("new")
@PROJECT
@VERBOSE
@click.argument("area")
@click.argument("year")
def new(project: Path, area: str, year: str) -> None:
    """Start the YEAR report of AREA from the area's latest earlier report.

    AREA is the area's folder name under content/. The section order, the narrative files and
    the signatories are copied; every figure is left as TODO, which `mappa check` lists as an
    error until it is filled in; each copied Markdown file starts with a REVIEW: line to delete
    once the text is updated. The edition of the national template is chosen by YEAR. Nothing
    that exists is overwritten.

    \b
    Examples:
      mappa new leicester-leicestershire-and-rutland 2021-22
      mappa check              then lists each TODO with its file and line
    """
    from .scaffold import new_report

    made = _scaffold(new_report, project, area, year)
    origin = f"from {made.copied_from}" if made.copied_from else "from scratch (the area has no earlier report)"
    click.echo(f"made {_shown(made.folder)} {origin}, edition {made.edition.id}")
    click.echo("next: fill in every TODO in report.yaml, update the text and delete each REVIEW: line, then run mappa check")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="MAPPA annual reports", show_default=True, help="The site's title (you can change it later in content/site.yaml).")
@VERBOSE
def init(folder: Path, title: str) -> None:
    """Start a new, empty project in FOLDER (a new or empty folder).

    Makes FOLDER/templates (the theme and the editions of the national template),
    FOLDER/content/site.yaml with notes on each setting, and a .gitignore. Nothing that exists
    is overwritten.

    \b
    Examples:
      mappa init north-wales-mappa
      cd north-wales-mappa
      mappa new-area "North Wales"
    """
    from .scaffold import new_project

    made = _scaffold(new_project, folder, title)
    click.echo(f"made {', '.join(_shown(p) for p in made)}")
    click.echo(f'next: cd {_shown(folder)}, set the title and address in content/site.yaml, then run: mappa new-area "Area name"')


@main.command("new-area")
@PROJECT
@VERBOSE
@click.argument("name")
def new_area(project: Path, name: str) -> None:
    """Start a new area called NAME: content/<folder>/area.yaml with notes on each field.

    The folder name (the web address) is made from NAME. Nothing that exists is overwritten.

    \b
    Examples:
      mappa new-area "Leicester, Leicestershire and Rutland"
      mappa new leicester-leicestershire-and-rutland 2021-22   then start its first report
    """
    from .scaffold import new_area as make_area

    path = _scaffold(make_area, project, name)
    click.echo(f"made {_shown(path)}")
    click.echo(f"next: add the area's contacts to it, then run: mappa new {path.parent.name} YEAR")


@main.command("import")
@PROJECT
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--area", default=None, help="The area, when the report does not name it clearly.")
@click.option("--year", default=None, help="The reporting year (like 2014-15), when the report does not say it clearly.")
def import_(project: Path, files: tuple[Path, ...], area: str | None, year: str | None) -> None:
    """Import published annual reports (PDF, or their text) as content.

    Each FILE becomes content/<area>/<year>/: its figures in report.yaml, the introduction with
    its signatories and the area's own sections as Markdown, in the order printed. The national
    text (what is MAPPA, the explanation) is left out: the edition supplies it. Whatever cannot
    be placed is listed as FILE:line and kept in a REVIEW section. Nothing that exists is
    overwritten. The new report is then checked like any other.

    \b
    Examples:
      mappa import old-reports/merseyside-2013-14.pdf
      mappa import --area "Merseyside" --year 2013-14 report.txt
    """
    from .importer import ImportFailure, import_report

    failed = False
    for path in files:
        try:
            result = import_report(project, path, area=area, year=year)
        except ImportFailure as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            failed = True
            continue
        for warning in result.warnings:
            click.secho(f"{warning.replace(': ', ': warning: ', 1)}", fg="yellow", err=True)
        for error in result.check_errors:
            click.secho(error, fg="red", err=True)
        made = ", ".join(_shown(f) for f in result.files)
        click.echo(f"imported {_shown(path)} into {_shown(result.folder)} ({made})")
        if result.check_errors:
            n = len(result.check_errors)
            click.secho(f"{n} error{'s' if n != 1 else ''} in the imported report: fix them in the files above (mappa check lists them)",
                        fg="red", bold=True, err=True)
            failed = True
    if failed:
        sys.exit(1)
    click.echo("next: read each REVIEW: line and warning, then run mappa check")


@main.command()
@PROJECT
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default is only reachable from this computer.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@VERBOSE
def serve(project: Path, host: str, port: int) -> None:
    """Preview the site in a browser while you edit.

    Builds the web pages (not the PDFs) into .mappa-cache/serve/, never into output/. Each time
    a file under content/, templates/ or overrides/ is saved the preview is rebuilt and the open
    page reloads itself. While the content has errors the page lists them (as does this
    window) and the preview keeps running. Stop it with Ctrl+C.

    \b
    Examples:
      mappa serve                   then open http://127.0.0.1:8000/
      mappa serve --port 8001
    """
    from .serve import Preview

    def show(result: BuildResult, seconds: float) -> None:
        _report(result)
        if result.ok:
            click.secho(f"built in {seconds:.2f} s", fg="green", err=True)

    try:
        preview = Preview(project, host, port, on_build=show)
    except OSError as exc:
        click.secho(f"error: cannot listen on {host}:{port}: {exc.strerror} (try --port)", fg="red", err=True)
        sys.exit(1)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.secho(f"warning: listening on {host}: other computers on the network can see the preview", fg="yellow", err=True)
    click.echo(f"previewing {project} at {preview.url} (Ctrl+C to stop)")
    preview.serve_forever()


def run(args: list[str] | None = None) -> None:
    """``mappa`` as a program (the ``mappa`` script, ``python -m mappa_ssg``, ``build.py``):
    :func:`main`, then the process ends at once with its status.

    Python's own ending would first free, one by one, everything the command left loaded
    (modules, compiled templates, caches): 0.12 s after a build of the national archive, a
    twentieth of it, before the prompt comes back. By the time ``main`` returns, every file is
    written and closed, every worker stopped and waited for, and the output swapped in, and
    mappa registers nothing to run at exit; what is left is to flush the two output streams.
    An exception that is not an exit ends the usual way, with its traceback.
    """
    try:
        main(args=args, prog_name="mappa")
        status: object = 0
    except SystemExit as exc:
        status = exc.code
    if status is None:
        status = 0
    elif not isinstance(status, int):  # sys.exit("message"): printed, status 1, as Python does
        print(status, file=sys.stderr)
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away (mappa check | head): nothing to add
            pass
    os._exit(status)
