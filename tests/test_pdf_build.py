"""Building PDFs: byte-identical output, the cache, progress reports, and page images."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from conftest import LLR, REPO
from mappa_ssg import build
from test_pdf import pdf_path

ARTIFACTS = Path(__file__).parent / "artifacts"


def pdf_bytes(output: Path) -> dict[str, bytes]:
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.pdf"))}


def test_same_content_gives_identical_pdfs_and_a_rebuild_renders_none(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    # The three seed reports are enough here: every PDF is rendered twice.
    for extra in ("cheshire", "north-wales", "merseyside/2017-18"):
        shutil.rmtree(project / "content" / extra)
    seen = []
    first = build(project, project / "out1", jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert first.ok and first.pdfs_rendered == 3 and first.pdfs_reused == 0
    assert sorted(seen) == [(1, 3), (2, 3), (3, 3)]
    shutil.rmtree(project / ".mappa-cache")
    second = build(project, project / "out2", jobs=1)
    assert second.pdfs_rendered == 3
    one, two = pdf_bytes(project / "out1"), pdf_bytes(project / "out2")
    assert len(one) == 3 and one == two
    meta = PdfReader(project / "out1" / f"{LLR}/2014-15/{LLR}-mappa-annual-report-2014-15.pdf").metadata
    assert meta["/CreationDate"] == "D:20231114221320Z" and meta["/ModDate"] == "D:20231114221320Z"

    seen.clear()
    third = build(project, project / "out1", progress=lambda done, total: seen.append((done, total)))
    assert (third.pdfs_rendered, third.pdfs_reused) == (0, 3)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert pdf_bytes(project / "out1") == one

    # A change to one report renders that report's PDF only, and the cache keeps one per report.
    intro = project / "content" / LLR / "2014-15" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    fourth = build(project, project / "out1")
    assert (fourth.pdfs_rendered, fourth.pdfs_reused) == (1, 2)
    assert len(list((project / ".mappa-cache" / "pdf").glob("*.pdf"))) == 3


def page_image(pdf: Path, page: int, name: str) -> Image.Image:
    """Page ``page`` (1-based) as a PNG in tests/artifacts/ (kept for a person to look at)."""
    assert shutil.which("pdftoppm"), "pdftoppm is missing: install poppler-utils"
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / name
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(stem)], check=True)
    return Image.open(f"{stem}.png").convert("RGB")


def test_cover_and_statistics_page_images(example_site):
    pdf = pdf_path(example_site, LLR, "2020-21")
    cover = page_image(pdf, 1, "llr-2020-21-page-1")
    assert cover.size == (497, 702)  # A4 at 60 dpi
    assert cover.getpixel((20, 20)) == (29, 79, 145)  # the cover's full-bleed band
    assert cover.getpixel((20, 690)) == (255, 255, 255)
    reader = PdfReader(pdf)
    # Sections follow on (pdf.css): the page where the statistics heading is, after the contents.
    number = next(i for i, p in enumerate(reader.pages, 1) if i > 2 and "MAPPA statistics" in p.extract_text().split("\n"))
    stats = page_image(pdf, number, "llr-2020-21-statistics")
    assert stats.size == (497, 702)
    # Ink on the page: the tables' rules and figures, not a blank page.
    assert stats.width * stats.height - stats.convert("L").histogram()[255] > 5000


def test_a_long_table_repeats_its_header_row_on_the_next_page(tmp_path):
    from mappa_ssg.pdf import PdfJob, Printer

    rows = "".join(f'<tr><th scope="row">Row {i}</th><td class="num">{i}</td></tr>' for i in range(120))
    html = (f'<html lang="en-GB"><head><title>Long</title></head><body><div class="table-wrap"><table class="stats">'
            f'<caption>Long table</caption><thead><tr><th scope="col">Measure</th><th scope="col" class="num">Number</th></tr>'
            f"</thead><tbody>{rows}</tbody></table></div></body></html>")
    target = tmp_path / "long.pdf"
    Printer(str(REPO / "templates" / "assets" / "pdf.css")).render(PdfJob(html, str(tmp_path), str(target), ()))
    pages = [p.extract_text() for p in PdfReader(target).pages]
    assert len(pages) >= 3
    for text in pages[1:]:
        assert "Measure Number" in text.replace("\n", " ")


def test_pdf_workers_are_started_only_for_the_pdfs_to_make(project, monkeypatch):
    """As many WeasyPrint workers as PDFs the previous output cannot give (at most the jobs):
    after one edit one worker sets up, with a core to itself; with nothing to print, none.
    The count is the build record's (an upper bound): an edit to an area's earlier year counts
    its later years too, whose charts show it, and a theme change counts every PDF, though the
    PDF cache may then give them back."""
    from mappa_ssg import pdf

    started: list[int] = []
    real = pdf.Printers.__init__

    def counting(self, stylesheet, workers):
        started.append(workers)
        real(self, stylesheet, workers)

    monkeypatch.setattr(pdf.Printers, "__init__", counting)
    for extra in ("cheshire", "north-wales", "merseyside/2017-18"):
        shutil.rmtree(project / "content" / extra)
    assert build(project, jobs=2).pdfs_rendered == 3 and started == [2]
    intro = project / "content" / LLR / "2020-21" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    edited = build(project, jobs=2)
    assert (edited.pdfs_rendered, edited.pdfs_reused) == (1, 2) and started == [2, 1]
    assert build(project, jobs=2).pdfs_reused == 3 and started == [2, 1]  # nothing to print: no worker


def test_the_command_starts_pdf_workers_at_once_and_the_build_adds_or_stops_them(project, monkeypatch):
    """`mappa build` starts a PDF worker before it loads the rest of mappa (WeasyPrint sets up
    meanwhile). Once the content is read the build keeps as many as it has PDFs to make (at
    most the jobs): one after a single edit, none when nothing is to be printed. No worker
    outlives the command."""
    import multiprocessing

    from click.testing import CliRunner

    from mappa_ssg import pdf
    from mappa_ssg.cli import main

    events: list[str] = []
    real_init, real_keep = pdf.Printers.__init__, pdf.Printers.keep

    def init(self, stylesheet, workers):
        events.append(f"start {workers}")
        real_init(self, stylesheet, workers)

    def keep(self, count):
        if count != len(self):
            events.append(f"keep {count}")
        real_keep(self, count)

    monkeypatch.setattr(pdf.Printers, "__init__", init)
    monkeypatch.setattr(pdf.Printers, "keep", keep)
    for extra in ("cheshire", "north-wales", "merseyside/2017-18"):
        shutil.rmtree(project / "content" / extra)

    def mappa(*args: str) -> list[str]:
        events.clear()
        result = CliRunner().invoke(main, ["build", "-p", str(project), *args])
        assert result.exit_code == 0, result.output
        assert multiprocessing.active_children() == []
        return list(events)

    assert mappa("-j", "3") == ["start 1", "keep 3"]  # three PDFs to make: one worker each
    intro = project / "content" / LLR / "2020-21" / "introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert mappa("-j", "2") == ["start 1"]  # one PDF: the worker started at once does it
    intro.write_text(intro.read_text(encoding="utf-8") + "\nAnd another.\n", encoding="utf-8")
    shutil.rmtree(project / "content" / LLR / "2014-15")  # the 2020-21 charts change too
    (project / "content" / "site.yaml").write_text((project / "content" / "site.yaml").read_text() + "\n")
    assert mappa("-j", "2") == ["start 1", "keep 2"]  # every PDF: site.yaml is in each
    assert mappa("-j", "2") == ["start 1"]  # nothing changed: started, then stopped unused
    assert mappa("-j", "1") == [] and mappa("--no-pdf") == []


def test_where_processes_cannot_be_forked_pdfs_are_made_in_this_process(project, monkeypatch):
    """Every worker is forked; on a system without fork (Windows) `mappa build -j 2` makes
    everything in its own process, with the same PDFs, instead of failing."""
    import multiprocessing

    from click.testing import CliRunner

    from mappa_ssg import pdf
    from mappa_ssg.cli import main

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    for extra in ("cheshire", "north-wales", "merseyside/2017-18"):
        shutil.rmtree(project / "content" / extra)
    assert build(project, project / "forked", jobs=2).pdfs_rendered == 3
    shutil.rmtree(project / ".mappa-cache")
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(pdf.Printers, "__init__", lambda *a: pytest.fail("a PDF worker was started"))
    result = CliRunner().invoke(main, ["build", "-p", str(project), "-o", str(project / "alone"), "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "PDFs: 3 rendered" in result.output
    assert pdf_bytes(project / "alone") == pdf_bytes(project / "forked")


# load_weasyprint, each case in a fresh Python (WeasyPrint loads its libraries once per process).
_LOOKUPS = """
import ctypes.util, sys
asked = []
def lookup(name):
    asked.append(name)
    return None if NOT_BY_FILE_NAME else ctypes.util._findSoname_ldconfig(name)
ctypes.util.find_library = lookup
if NOT_BY_FILE_NAME:  # a system whose libraries are not called what WeasyPrint expects
    import cffi.api
    load = cffi.api._load_backend_lib
    def renamed(backend, name, flags):
        if isinstance(name, str) and ".so." in name and ctypes.util.find_library is not lookup:
            raise OSError(f"no file called {name}")
        return load(backend, name, flags)
    cffi.api._load_backend_lib = renamed
    lookup = lambda name, asked=asked: (asked.append(name), ctypes.util._findSoname_ldconfig(name))[1]
    ctypes.util.find_library = lookup
from mappa_ssg.pdf import load_weasyprint
weasyprint = load_weasyprint()
weasyprint.HTML(string="<p>Loaded</p>").write_pdf()  # its libraries really work
assert ctypes.util.find_library is lookup, "the lookup is given back"
print(len(asked))
"""


def _load(not_by_file_name: bool) -> tuple[int, str]:
    import sys

    script = f"NOT_BY_FILE_NAME = {not_by_file_name}\n" + _LOOKUPS
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip().splitlines()[-1]), done.stdout


def test_weasyprint_loads_its_libraries_by_file_name_without_looking_anything_up():
    asked, _ = _load(False)
    assert asked == 0  # no ldconfig, gcc or ld for any of the names it tries


def test_libraries_not_found_by_file_name_are_looked_up_the_whole_way_without_a_notice():
    asked, out = _load(True)
    assert asked >= 5  # the second attempt asked about its libraries
    assert "could not import" not in out  # WeasyPrint's notice from the first attempt is held back
