"""PDF rendering with WeasyPrint, the only module that imports it (lazily: HTML-only builds and
``check`` never pay for loading it).

Outputs are cached by a hash of everything that goes into them (HTML, stylesheet, images,
package version), so a rebuild with nothing changed renders no PDF.
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("mappa_ssg")


@dataclass(frozen=True)
class PdfJob:
    """One PDF to make: the print HTML, the folder its relative links resolve in, and where to write."""

    html: str
    base_dir: str
    target: str
    inputs: tuple[str, ...]  # files the HTML pulls in (stylesheet, images)
    key_extra: str = ""

    def key(self) -> str:
        digest = hashlib.sha256()
        digest.update(self.html.encode("utf-8"))
        digest.update(self.key_extra.encode("utf-8"))
        for path in sorted(self.inputs):
            digest.update(path.encode("utf-8"))
            digest.update(Path(path).read_bytes())
        return digest.hexdigest()


def render_pdf(job: PdfJob) -> None:
    """Render one PDF (runs in a worker process when building in parallel)."""
    import weasyprint  # lazy: see module docstring

    # WeasyPrint warns about screen-only CSS it ignores (overflow-x, media features); those are
    # expected in a stylesheet shared with the web pages, so only its errors are shown.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    document = weasyprint.HTML(string=job.html, base_url=job.base_dir + "/")
    document.write_pdf(job.target, pdf_variant="pdf/ua-1", uncompressed_pdf=False, custom_metadata=False)


def render_all(jobs: list[PdfJob], cache_dir: Path | None, workers: int = 1) -> tuple[int, int]:
    """Render or reuse every PDF; returns (rendered, reused)."""
    todo: list[tuple[PdfJob, Path | None]] = []
    reused = 0
    for job in jobs:
        cached = cache_dir / f"{job.key()}.pdf" if cache_dir else None
        if cached is not None and cached.is_file():
            shutil.copyfile(cached, job.target)
            reused += 1
        else:
            todo.append((job, cached))
    if workers > 1 and len(todo) > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(workers, len(todo))) as pool:
            list(pool.map(render_pdf, [job for job, _ in todo]))
    else:
        for job, _ in todo:
            render_pdf(job)
    for job, cached in todo:
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".tmp{os.getpid()}")
            shutil.copyfile(job.target, tmp)
            os.replace(tmp, cached)
    log.info("PDFs: %d rendered, %d unchanged", len(todo), reused)
    return len(todo), reused
