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
from multiprocessing.connection import wait
from pathlib import Path

from . import __version__

log = logging.getLogger("mappa_ssg")

VARIANT = "pdf/ua-1"
STYLESHEET = "pdf.css"  # the PDF's own stylesheet, among the theme's assets


def theme_stylesheet(project: Path) -> str:
    """The print stylesheet of a project's theme, which the PDF workers parse when they start
    (assets are copied to the output as they are, so it is the one the PDFs get)."""
    return str(project.resolve() / "templates" / "assets" / STYLESHEET)
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


def load_weasyprint():
    """``import weasyprint``, loading its C libraries by their file names alone.

    For each of its seven libraries WeasyPrint tries up to six names (the Windows, macOS and
    Linux spellings), and cffi asks ``ctypes.util.find_library`` about each one that is not a
    loadable file name: every name not found costs ldconfig, gcc and ld in turn, 0.2 s of a 0.5 s
    import, in every PDF worker and on the way to the PDF of a one-report edit. Its list also
    holds each library's Linux file name (``libpango-1.0.so.0``), which the system loader finds
    itself (LD_LIBRARY_PATH, then the loader's cache), so on Linux the lookup answers "not here"
    while WeasyPrint loads. Should that find nothing (a system naming them otherwise), it loads
    again with Python's own lookup, which prints WeasyPrint's message if that fails too.
    """
    import sys

    if "weasyprint" in sys.modules or not sys.platform.startswith("linux"):
        import weasyprint
        return weasyprint
    import contextlib
    import ctypes.util
    import io

    full_lookup = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # its "could not import" notice, if it fails
            import weasyprint
        return weasyprint
    except OSError:
        pass
    finally:
        ctypes.util.find_library = full_lookup
    import weasyprint  # the whole lookup, and its message if it fails

    return weasyprint


class Printer:
    """WeasyPrint with the stylesheet parsed and the fonts configured once, for many PDFs."""

    def __init__(self, stylesheet: str):
        weasyprint = load_weasyprint()  # lazy: see module docstring
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


class Printers:
    """PDF worker processes, each with WeasyPrint loaded and the stylesheet parsed, fed one PDF
    at a time over a pipe.

    They are started before the pages are made (the command line starts one before it even
    loads the rest of mappa), so that this set-up, about half a second, runs on another core
    meanwhile. Plain forked processes and pipes, no pool: a pool keeps a thread in this
    process, and with a thread running the pages could not be made on forked workers
    (parallel.py), nor more PDF workers be started once the build knows it needs them.
    """

    def __init__(self, stylesheet: str, workers: int):
        self.stylesheet = stylesheet
        self._workers: list[_Worker] = []
        self.add(workers)

    def __len__(self) -> int:
        return len(self._workers)

    def add(self, count: int) -> None:
        """Start ``count`` more workers (only while this process runs no other thread)."""
        self._workers += [_Worker(self.stylesheet) for _ in range(count)]

    def keep(self, count: int) -> None:
        """``count`` workers: more started, or the last ones stopped."""
        if count > len(self._workers):
            self.add(count - len(self._workers))
        for worker in self._workers[count:]:
            worker.stop()
        del self._workers[count:]

    def render(self, jobs: Iterable[PdfJob]) -> Iterable[str]:
        """Render every job, each on the next free worker; yields each PDF's path as it is done.
        A worker's exception is raised here, as it was raised there."""
        waiting = list(jobs)
        busy: dict[object, _Worker] = {}
        for worker in self._workers:
            if waiting:
                worker.send(waiting.pop(0))
                busy[worker.connection] = worker
        while busy:
            for connection in wait(list(busy)):
                worker = busy[connection]
                yield worker.result()
                if waiting:
                    worker.send(waiting.pop(0))
                else:
                    del busy[connection]

    def close(self) -> None:
        for worker in self._workers:
            worker.stop()
        self._workers = []


class _Worker:
    def __init__(self, stylesheet: str):
        import multiprocessing

        self.connection, theirs = multiprocessing.Pipe()
        self.process = multiprocessing.get_context("fork").Process(target=_serve, args=(theirs, stylesheet), daemon=True)
        self.process.start()
        theirs.close()

    def send(self, job: PdfJob) -> None:
        self.connection.send(job)

    def result(self) -> str:
        try:
            failed, value = self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=10)  # its end of the pipe closes a moment before it is reaped
            code = self.process.exitcode
            how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            raise ChildProcessError(f"a PDF worker stopped ({how}: killed, or out of memory?)") from None
        if failed:
            raise value
        return value

    def stop(self) -> None:
        try:
            self.connection.send(None)  # finish the PDF in hand, then leave
        except OSError:
            pass
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.connection.close()


def _serve(connection, stylesheet: str) -> None:
    """A PDF worker's life: set up WeasyPrint once, then render what it is sent until None."""
    from .parallel import ignore_interrupts

    ignore_interrupts()
    try:
        printer: Printer | BaseException = Printer(stylesheet)
    except Exception as exc:  # told to the build with the first job: it may never need one
        printer = exc
    while (job := connection.recv()) is not None:
        try:
            if isinstance(printer, BaseException):
                raise printer
            printer.render(job)
            connection.send((False, job.target))
        except Exception as exc:
            connection.send((True, _picklable(exc)))


def _picklable(exc: Exception) -> Exception:
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__}: {exc}")


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
    from .parallel import can_fork

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
    if todo and (printers is not None or (workers > 1 and len(todo) > 1 and can_fork())):
        own = None
        if printers is None:
            own = printers = Printers(stylesheet, min(workers, len(todo)))
        try:
            for _ in printers.render(ordered):
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
