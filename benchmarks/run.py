"""The benchmark: build the synthetic national archive with mappa and with MkDocs, and print one
JSON object of medians (see docs/benchmarks.md for what each key measures).

Every timing is the wall time of a fresh command-line process, as an author would run it
(``python -m mappa_ssg build ...``, ``python -m mkdocs build``), so start-up and imports count.
Run with ``make bench``; ``BENCH_RUNS`` sets the number of runs (default 3), ``BENCH_PDF_REPORTS``
the size of the PDF subset (default 6).
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import tempfile
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

import archive  # noqa: E402

PYTHON = sys.executable
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
PDF_REPORTS = int(os.environ.get("BENCH_PDF_REPORTS", "6"))


def timed(*args: str, expect: int = 0) -> tuple[float, float]:
    """Run a command; return (wall seconds, peak RSS in MB of it and every process it waited for)."""
    # stderr goes to a file, not a pipe: nobody reads a pipe while we wait, and a build with many
    # warnings would block on a full pipe buffer for ever.
    # Whatever the last step wrote goes to disk first (for every tool alike), so the timed command
    # does not pay for another's writes.
    os.sync()
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != expect:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args)} failed:\n{errors.read().decode()}")
    return wall, usage.ru_maxrss / 1024  # Linux reports kilobytes


def mappa(project: Path, *options: str) -> tuple[float, float]:
    return timed(PYTHON, "-m", "mappa_ssg", "build", "-p", str(project), *options)


# Nothing the benchmark removes is deleted while it times anything: it is moved here (a rename)
# and deleted at the end. On an ext4 file system without a journal (this benchmark's shared
# machine) the kernel will not give a new file the inode of one deleted in the last minute and
# checks every such inode each time it creates a file, so a build made just after the previous
# one's 2,000 files were deleted took up to half as long again (system time 0.5 s -> 2.3 s),
# a cost of the harness, not of the tool, that grew with the number of files a tool writes. A
# journalled ext4, XFS, Btrfs or tmpfs never pays it. docs/benchmarks.md, "Deleting between runs".
TRASH = WORK / ".trash"
_discarded = 0


def discard(path: Path) -> None:
    """Move ``path`` out of the way, to be deleted after the last timed command."""
    global _discarded
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        _discarded += 1
        path.rename(TRASH / f"{_discarded}-{path.name}")


def clean(project: Path, names: tuple[str, ...] = ("output", ".mappa-cache")) -> None:
    for name in names:
        discard(project / name)
    # A build that replaced an output deletes the old one in the background (output.py): let that
    # finish, so the next timed build is not billed for the last one's clean-up.
    deadline = time.monotonic() + 120
    while any(project.glob(".output.trash-*")) and time.monotonic() < deadline:
        time.sleep(0.05)


def median(values: list[float]) -> float:
    return statistics.median(values)


def html_full_builds(project: Path) -> dict[str, float]:
    """The whole archive from nothing: no output, no cache."""
    full, rss = [], []
    for _ in range(RUNS):
        clean(project)
        wall, peak = mappa(project, "--no-pdf")
        full.append(wall)
        rss.append(peak)
    return {"html_full_s": median(full), "html_peak_rss_mb": max(rss)}


def html_rebuilds(project: Path) -> dict[str, float]:
    """Nothing changed, then a national template change (every page made again). Timed after
    every build from nothing (of each tool): each of these replaces the output, and mappa deletes
    the old one in the background, which a build from nothing would otherwise follow."""
    noop, template = [], []
    base = project / "templates" / "base.html"
    original = base.read_text(encoding="utf-8")
    for run in range(RUNS):  # the last build from nothing left its output
        noop.append(mappa(project, "--no-pdf")[0])
        # A national template change: every page is rendered again; the chart cache stays warm.
        base.write_text(original + f"<!-- template change {run + 1} -->\n", encoding="utf-8")
        template.append(mappa(project, "--no-pdf")[0])
    base.write_text(original, encoding="utf-8")
    return {"noop_rebuild_s": median(noop), "html_template_change_s": median(template)}


def mkdocs_builds(project: Path) -> float:
    times = []
    for _ in range(RUNS):
        clean(project, ("site",))
        times.append(timed(PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml"), "-d", str(project / "site"))[0])
    return median(times)


def hugo_builds(project: Path) -> float:
    times = []
    for _ in range(RUNS):
        clean(project, ("public", "resources"))
        times.append(timed("hugo", "--quiet", "-s", str(project), "-d", str(project / "public"))[0])
    return median(times)


def chart_ms() -> float:
    """Milliseconds to lay out and write one ten-year chart of three series (the largest the
    archive has), in this process: a chart must cost well under a millisecond."""
    import timeit

    from mappa_ssg import charts

    years = tuple(archive.year_label(archive.FIRST_YEAR + i) for i in range(archive.YEARS))
    chart = charts.Chart("eligible", "MAPPA-eligible offenders on 31 March, by category", years,
                         tuple((f"Category {n}", tuple(100 * n + i for i in range(len(years)))) for n in (1, 2, 3)))

    def draw() -> None:
        chart.__dict__.pop("layout", None)  # kept on the chart for the page's <img> size; time it too
        charts.draw_svg(chart)

    return min(timeit.repeat(draw, number=200, repeat=5)) / 200 * 1000


def _spin(_: object = None) -> float:
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def cpu_parallel_efficiency() -> float:
    """How much of a second core this machine gives: the time of one CPU-bound piece of work
    alone over the time of two side by side, in two forked processes (1.0: two cores; 0.5: one).
    Every figure that needs both cores (the full build, the PDF speed-up) is read against it."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    ratios = []
    for _ in range(RUNS):
        alone = _spin()
        pair = [context.Process(target=_spin) for _ in range(2)]
        start = time.perf_counter()
        for process in pair:
            process.start()
        for process in pair:
            process.join()
        ratios.append(alone / (time.perf_counter() - start))
    return median(ratios)


def pathological_check(project: Path) -> float:
    """``mappa check`` of a project with one narrative file of 990,000 "[" (issue 11): refused,
    with its position, without parsing it (the exit status is 1: the content has an error)."""
    intro = next((project / "content").glob("*/*/introduction.md"))
    original = intro.read_text(encoding="utf-8")
    intro.write_text("[" * 990_000 + "\n", encoding="utf-8")
    try:
        return median([timed(PYTHON, "-m", "mappa_ssg", "check", "-p", str(project), expect=1)[0] for _ in range(RUNS)])
    finally:
        intro.write_text(original, encoding="utf-8")


def edit_builds(project: Path, edited: str, *options: str) -> float:
    """One report's narrative edited, then ``mappa build`` with everything else already built."""
    mappa(project, "--jobs", "2", *options)
    path = project / edited
    original = path.read_text(encoding="utf-8")
    times = []
    for run in range(RUNS):
        path.write_text(original + f"\nA sentence added in edit number {run + 1}.\n", encoding="utf-8")
        times.append(mappa(project, *options)[0])
    path.write_text(original, encoding="utf-8")
    return median(times)


FLOOR = """
import logging, sys
from pathlib import Path
import weasyprint
from weasyprint.text.fonts import FontConfiguration
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
# The same work as mappa asks of WeasyPrint: the same print HTML and PDF stylesheet, parsed once,
# the same PDF options. What is left out is mappa's own share (pdftags' finisher, the cache).
stylesheet_path, pages = sys.argv[1], sys.argv[2:]
fonts = FontConfiguration()
stylesheet = weasyprint.CSS(filename=stylesheet_path, font_config=fonts)
for page in pages:
    page = Path(page)
    weasyprint.HTML(string=page.read_text(encoding="utf-8"), base_url=str(page.parent) + "/").write_pdf(
        str(page.with_suffix(".floor.pdf")), stylesheets=[stylesheet], font_config=fonts,
        pdf_variant="pdf/ua-1", pdf_identifier=True)
"""


def print_pages(project: Path) -> list[str]:
    """The exact print HTML mappa gives WeasyPrint, saved beside each report in output/."""
    from mappa_ssg.pipeline import check
    from mappa_ssg.render import Renderer, report_path

    site = check(project).site
    renderer = Renderer(site, project)
    pages = []
    for report in site.reports:
        target = project / "output" / report_path(report).replace("index.html", "print.html")
        target.write_text(renderer.report(report, for_print=True).content, encoding="utf-8")
        pages.append(str(target))
    return pages


def pdf_builds(project: Path) -> dict[str, float]:
    one, two, floor, rss = [], [], [], []
    for _ in range(RUNS):
        for jobs, into in (("1", one), ("2", two)):
            # The site's HTML and charts first (untimed): what is timed is the PDF stage, which
            # is what a PDF costs once the pages exist (charts are an HTML-stage cost, above).
            clean(project)
            mappa(project, "--no-pdf")
            wall, peak = mappa(project, "--jobs", jobs)
            into.append(wall)
            rss.append(peak)
        pages = print_pages(project)
        wall, peak = timed(PYTHON, "-c", FLOOR, str(project / "templates" / "assets" / "pdf.css"), *pages)
        floor.append(wall)
    n = PDF_REPORTS
    return {
        "pdf_s_per_report_1job": median(one) / n,
        "pdf_s_per_report_2jobs": median(two) / n,
        "pdf_speedup_2jobs": median(one) / median(two),
        "weasyprint_floor_s_per_report": median(floor) / n,
        "pdf_overhead_ratio": median(one) / median(floor),
        "peak_rss_mb": max(rss),
    }


def main() -> None:
    shutil.rmtree(TRASH, ignore_errors=True)  # left by an interrupted run
    for name in ("archive", "mkdocs", "hugo", "pdf"):
        discard(WORK / name)  # the last run's projects: deleted at the end, not now
    try:
        measure()
    finally:
        shutil.rmtree(TRASH, ignore_errors=True)


def measure() -> None:
    reports = archive.generate()
    mappa_project = archive.write_project(WORK / "archive", reports, REPO / "templates")
    mkdocs_project = archive.write_mkdocs(WORK / "mkdocs", reports)
    hugo_project = archive.write_hugo(WORK / "hugo", reports)
    # The PDF subset: every eleventh area, one year of each edition.
    subset = [r for i, r in enumerate(reports) if (i // archive.YEARS) % 11 == 0 and r.year in (2012, 2017)][:PDF_REPORTS]
    edited = next(r for r in subset if r.year == 2017)
    pdf_project = archive.write_project(WORK / "pdf", subset, REPO / "templates")

    results: dict[str, float | int] = {"reports": len(reports)}
    results["chart_ms"] = chart_ms()  # first: seconds, so a broken measure stops the run at once
    results["cpu_parallel_efficiency"] = cpu_parallel_efficiency()
    # Every build from nothing first (see discard), then the builds that replace an output.
    results.update(html_full_builds(mappa_project))
    results["html_ms_per_report"] = results["html_full_s"] * 1000 / len(reports)
    results["mkdocs_full_s"] = mkdocs_builds(mkdocs_project)
    results["ratio_vs_mkdocs"] = results["html_full_s"] / results["mkdocs_full_s"]
    results["hugo_full_s"] = hugo_builds(hugo_project)
    results["ratio_vs_hugo"] = results["html_full_s"] / results["hugo_full_s"]
    results.update(html_rebuilds(mappa_project))
    results.update(pdf_builds(pdf_project))
    # HTML and PDF: on the PDF subset, whose other PDFs are built once first (all 420 would take
    # longer than the whole benchmark); HTML only: on the whole archive.
    path = f"content/{edited.slug}/{edited.label}/introduction.md"
    results["one_report_edit_s"] = edit_builds(pdf_project, path)
    results["one_report_edit_html_s"] = edit_builds(mappa_project, path, "--no-pdf")
    results["pathological_check_s"] = pathological_check(pdf_project)
    order = ["reports", "html_full_s", "html_ms_per_report", "mkdocs_full_s", "ratio_vs_mkdocs", "hugo_full_s", "ratio_vs_hugo", "noop_rebuild_s",
             "one_report_edit_s", "pdf_s_per_report_1job", "pdf_s_per_report_2jobs", "pdf_speedup_2jobs",
             "weasyprint_floor_s_per_report", "pdf_overhead_ratio", "peak_rss_mb",
             "one_report_edit_html_s", "html_template_change_s", "html_peak_rss_mb", "pathological_check_s", "chart_ms",
             "cpu_parallel_efficiency"]
    print(json.dumps({k: round(results[k], 3) if isinstance(results[k], float) else results[k] for k in order}))


if __name__ == "__main__":
    main()
