"""PDF rendering with WeasyPrint, the only module that imports it (lazily: HTML-only builds and
``check`` never pay for loading it).

Speed comes from three things:
- a :class:`Printer` per process parses the print stylesheet and sets up fonts once, then
  renders every report it is given (parsing them again for each PDF is a large share of the
  cost of a 15-page report);
- with ``workers > 1`` reports are rendered in that many long-lived worker processes;
- every PDF is cached under a hash of everything that goes into it (HTML, stylesheet, images,
  date, package version), so a rebuild with nothing changed renders no PDF.

Output is deterministic: the dates come from :func:`document_date` (never the clock) and the
file identifier is a hash of the content, so the same inputs give byte-identical PDFs.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from . import __version__

log = logging.getLogger("mappa_ssg")

VARIANT = "pdf/ua-1"
Progress = Callable[[int, int], None]
"""Told ``(done, total)`` after each PDF is rendered or reused: the CLI draws a bar with it."""


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: the print HTML, the folder its relative links resolve in, and where to write."""

    html: str
    base_dir: str
    target: str
    inputs: tuple[str, ...]  # files the HTML pulls in (stylesheet, images)
    date: str = ""  # W3C date-time written as the PDF's creation and modification date
    key_extra: str = ""
    root: str = ""  # the only folder WeasyPrint may read from (the site being built); default base_dir

    def key(self) -> str:
        digest = hashlib.sha256()
        for part in (__version__, VARIANT, self.date, self.key_extra, self.html):
            digest.update(part.encode("utf-8") + b"\0")
        for path in sorted(self.inputs):
            digest.update(Path(path).name.encode("utf-8") + b"\0")
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()


def document_date(sources: Iterable[Path]) -> str:
    """The date a report's PDF carries as created and modified.

    ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds); otherwise the time the newest
    of the report's source files was last changed. Never the clock: building the same content
    twice must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        seconds = int(epoch)
    else:
        seconds = max((int(p.stat().st_mtime) for p in sources if p.is_file()), default=0)
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def output_only_fetcher(root: str):
    """A WeasyPrint URL fetcher that serves only files inside ``root`` (the folder being built).

    Pages and images are checked before they get here (images.py), so this is the second wall:
    whatever a page or an SVG asks for (a web address, ``file:///etc/passwd``, a file of
    another project), WeasyPrint gets an error instead of a request or an outside read.
    """
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    base = Path(root).resolve()

    class OutputOnly(URLFetcher):
        def fetch(self, url: str, headers: object = None):
            if not url.lower().startswith("file:"):
                raise ValueError(f"not fetched: {url[:80]} is not a file of the site being built")
            path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file:"))).resolve()
            if not path.is_relative_to(base) or not path.is_file():
                raise ValueError(f"not fetched: {path} is not a file of the site being built")
            return super().fetch(path.as_uri(), headers)

    return OutputOnly(allowed_protocols=("file",), allow_redirects=False)


class Printer:
    """WeasyPrint with the stylesheet parsed and the fonts configured once, for many PDFs."""

    def __init__(self, stylesheet: str):
        import weasyprint  # lazy: see module docstring
        from weasyprint.text.fonts import FontConfiguration

        # Only WeasyPrint's errors are shown: its warnings are about CSS it does not support,
        # which the stylesheet uses on purpose for browsers printing the web pages.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        self._html = weasyprint.HTML
        self.fonts = FontConfiguration()
        self.stylesheet = weasyprint.CSS(filename=stylesheet, font_config=self.fonts,
                                         url_fetcher=output_only_fetcher(str(Path(stylesheet).parent)))

    def render(self, job: PdfJob) -> None:
        from .pdftags import complete_structure

        # Made per PDF: the workers start before the folder being built exists (see Printers).
        fetcher = output_only_fetcher(job.root or job.base_dir)
        html = self._html(string=job.html, base_url=job.base_dir + "/", url_fetcher=fetcher)
        document = html.render(font_config=self.fonts, stylesheets=[self.stylesheet], pdf_variant=VARIANT)
        if job.date:
            document.metadata.created = document.metadata.modified = job.date
        document.metadata.generator = f"mappa-ssg {__version__}"
        # pdf_identifier=True: the file /ID is a hash of the content, not a random value.
        document.write_pdf(job.target, finisher=complete_structure, pdf_variant=VARIANT, pdf_identifier=True)


_printer: Printer | None = None


def _start_worker(stylesheet: str) -> None:
    global _printer
    _printer = Printer(stylesheet)


def _render_in_worker(job: PdfJob) -> str:
    assert _printer is not None, "worker started without _start_worker"
    _printer.render(job)
    return job.target


def _ready() -> None:
    """A first task for each worker: it runs once the worker's Printer is set up."""


class Printers:
    """Worker processes with WeasyPrint loaded and the stylesheet parsed, started before the pages
    are made so that this set-up (about half a second) runs on another core meanwhile."""

    def __init__(self, stylesheet: str, workers: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.stylesheet = stylesheet
        self.pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(stylesheet,),
                                        mp_context=multiprocessing.get_context("fork"))
        self.pool.submit(_ready)  # starts every worker now (a forked pool starts them all at once)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def render_all(
    jobs: list[PdfJob],
    stylesheet: str,
    cache_dir: Path | None,
    workers: int = 1,
    progress: Progress | None = None,
    printers: Printers | None = None,
) -> tuple[int, int]:
    """Render or reuse every PDF; returns (rendered, reused).

    With ``printers`` (already started) every PDF to render goes to them; otherwise ``workers``
    processes are started if there are several PDFs to render.
    """
    report = progress or (lambda done, total: None)
    todo: list[tuple[PdfJob, Path | None]] = []
    reused = 0
    for job in jobs:
        cached = cache_dir / f"{job.key()}.pdf" if cache_dir else None
        if cached is not None and cached.is_file():
            shutil.copyfile(cached, job.target)
            reused += 1
            report(reused, len(jobs))
        else:
            todo.append((job, cached))
    done = reused
    # Longest first: the last PDFs to finish are short ones, so no worker waits long for another.
    ordered = sorted((job for job, _ in todo), key=lambda job: len(job.html), reverse=True)
    if todo and (printers is not None or (workers > 1 and len(todo) > 1)):
        from concurrent.futures import as_completed

        own = None
        if printers is None:
            own = printers = Printers(stylesheet, min(workers, len(todo)))
        try:
            for future in as_completed([printers.pool.submit(_render_in_worker, job) for job in ordered]):
                future.result()  # re-raises a worker's exception here
                done += 1
                report(done, len(jobs))
        finally:
            if own is not None:
                own.close()
    elif todo:
        printer = Printer(stylesheet)
        for job in ordered:
            printer.render(job)
            done += 1
            report(done, len(jobs))
    for job, cached in todo:
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            shutil.copyfile(job.target, tmp)
            os.replace(tmp, cached)
    if cache_dir is not None and cache_dir.is_dir():
        # Keep only this build's PDFs, so the cache does not grow with every edit.
        keep = {f"{job.key()}.pdf" for job in jobs}
        for stale in cache_dir.glob("*.pdf"):
            if stale.name not in keep:
                stale.unlink(missing_ok=True)
    log.info("PDFs: %d rendered, %d unchanged", len(todo), reused)
    return len(todo), reused
