"""The ``mappa`` command: a thin click layer over :func:`mappa_ssg.build` and :func:`mappa_ssg.check`.

Exit status: 0 built or checked with no errors; 1 the content has errors (all printed as
``path:line:col: message``); 2 the command was used wrongly.
"""
from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable
from pathlib import Path

import click

from . import __version__
from .output import OutputError
from .pipeline import BuildResult, build as build_site, check as check_site

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mappa")
@click.option("-v", "--verbose", is_flag=True, help="Say what is being done.")
def main(verbose: bool) -> None:
    """Build MAPPA annual report websites and PDFs from YAML and Markdown.

    \b
    Examples:
      mappa check              check every file, write nothing
      mappa build              build the site and PDFs into output/
      mappa build --no-pdf     HTML only (faster while editing)
    """
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(message)s")


@main.command()
@PROJECT
@STRICT
def check(project: Path, strict: bool) -> None:
    """Check all content and report every problem; write nothing.

    \b
    Examples:
      mappa check
      mappa check --strict     warnings count as errors
    """
    result = check_site(project, strict=strict)
    _report(result)
    if not result.ok:
        sys.exit(1)
    site = result.site
    click.echo(f"ok: {len(site.areas)} areas, {len(site.reports)} reports, {len(result.warnings)} warnings" if site else "ok")


@main.command()
@PROJECT
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site [default: PROJECT/output].")
@click.option("--pdf/--no-pdf", default=True, show_default=True, help="Also make a PDF of each report.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), default=None, help="PDFs rendered in parallel [default: CPU count].")
@STRICT
def build(project: Path, output: Path | None, pdf: bool, jobs: int | None, strict: bool) -> None:
    """Check everything, then build the site (and PDFs) into the output folder.

    The previous output is replaced only when the whole build succeeds.

    \b
    Examples:
      mappa build
      mappa build --no-pdf -o /tmp/preview
    """
    with contextlib.ExitStack() as stack:
        try:
            result = build_site(project, output, pdf=pdf, strict=strict, jobs=jobs,
                                progress=_pdf_bar(stack) if pdf and sys.stderr.isatty() else None)
        except OutputError as exc:
            click.secho(f"error: {exc}", fg="red", err=True)
            sys.exit(1)
    _report(result)
    if not result.ok:
        sys.exit(1)
    extra = f", PDFs: {result.pdfs_rendered} rendered, {result.pdfs_reused} unchanged" if pdf else ""
    click.echo(f"built {len(result.written)} files into {output or Path(project) / 'output'}{extra}")
