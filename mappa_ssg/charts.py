"""Charts of an area's main figures over the years, drawn at build time as SVG files.

Which charts a report gets is decided by pure functions over the model (so templates and the
build agree); drawing uses Matplotlib, imported lazily so ``check`` never pays for it. The SVG
is a plain file shown with ``<img>``: no script, nothing inline for the page's CSP to refuse,
and WeasyPrint draws it in the PDF. Output is byte-identical between builds: a fixed hash
salt for element ids, no date in the metadata, and Matplotlib's own bundled font.
"""
from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from . import __version__
from .figures import Figure, show
from .model import Report, Site, Table

# Dark enough for 3:1 contrast with white (WCAG 1.4.11); hatching tells series apart without colour.
COLOURS = ("#1d4f91", "#b35900", "#00703c", "#6f2c91")
HATCHES = ("", "//", "\\\\", "xx")


@dataclass(frozen=True)
class Chart:
    """One chart: a bar per series per year, and everything needed to describe it in words."""

    id: str
    title: str
    years: tuple[str, ...]
    series: tuple[tuple[str, tuple[Figure, ...]], ...]  # (label, one figure per year)

    @property
    def file_name(self) -> str:
        return f"chart-{self.id}.svg"

    @property
    def alt(self) -> str:
        """The text alternative: every figure, so the image loses nothing for a screen reader."""
        years = "; ".join(
            f"{year}: " + ", ".join(f"{label} {show(values[i])}" for label, values in self.series)
            for i, year in enumerate(self.years))
        return f"Bar chart. {self.title}, {self.years[0]} to {self.years[-1]}. {years}."

    def rows(self) -> list[tuple[str, list[Figure]]]:
        """The chart's data table: one row per year, one column per series."""
        return [(year, [values[i] for _, values in self.series]) for i, year in enumerate(self.years)]


def _points(table: Table, series: str) -> list[tuple[str, str, Figure]]:
    """(series id, label, figure) of one report's table: its column totals or its row totals.

    Rows that an edition says continue an earlier row (cautions + convictions continuing
    "cautioned or convicted") are charted as that earlier row, so its series runs on.
    """
    if series == "columns":
        return [(c.id, c.label, table.cell("total", c.id)) for c in table.columns]
    column = "total" if table.is_grid else "figure"
    replaced = {part for item in table.continues for part in item.parts}
    # Rows of every group summed: a row id means the same level in each group.
    points = [(r.id, r.label, table.cell(r.id, column)) for r in table.groups[0].rows if r.id not in replaced]
    return points + [(item.row, item.label, value) for item, value in table.continued()]


def _series(reports: list[Report], table_id: str, series: str) -> tuple[tuple[str, tuple[Figure, ...]], ...]:
    labels: dict[str, str] = {}
    points: dict[str, dict[str, Figure]] = {}
    for report in reports:
        table = next((t for t in report.tables if t.id == table_id), None)
        if table is None:
            continue
        for item_id, label, value in _points(table, series):
            labels.setdefault(item_id, label.split(":")[0])
            points.setdefault(item_id, {})[report.year.label] = value
    years = [r.year.label for r in reports]
    return tuple((labels[i], tuple(points[i].get(y) for y in years)) for i in labels)


def report_charts(site: Site, report: Report) -> tuple[Chart, ...]:
    """The charts the report's edition asks for, over the area's years up to this report's;
    none until there are two years. A year whose edition lacks a table has no point for it."""
    reports = sorted((r for r in site.reports_for(report.area) if r.year <= report.year), key=lambda r: r.year)
    if len(reports) < 2:
        return ()
    years = tuple(r.year.label for r in reports)
    charts = []
    for spec in report.edition.tables:
        if spec.chart is None:
            continue
        series = _series(reports, spec.id, spec.chart.series)
        if series:
            charts.append(Chart(spec.id.replace("_", "-"), spec.chart.title, years, series))
    return tuple(charts)


def draw_svg(chart: Chart) -> str:
    """The chart as SVG text, identical for identical data."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure as MplFigure
    import io

    params = {"svg.hashsalt": f"mappa-ssg-{__version__}-{chart.id}", "svg.fonttype": "none",
              "font.family": "DejaVu Sans", "font.size": 10, "hatch.linewidth": 0.8, "hatch.color": "white"}
    with matplotlib.rc_context(params):
        figure = MplFigure(figsize=(6.4, 3.6))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        n = len(chart.series)
        width = 0.8 / n
        for index, (label, values) in enumerate(chart.series):
            xs = [year + (index - (n - 1) / 2) * width for year in range(len(chart.years))]
            heights = [v or 0 for v in values]
            bars = axes.bar(xs, heights, width * 0.95, label=label, color=COLOURS[index % len(COLOURS)],
                            hatch=HATCHES[index % len(HATCHES)])
            axes.bar_label(bars, labels=[show(v) for v in values], padding=2, fontsize=9)
        axes.set_xticks(range(len(chart.years)), chart.years)
        axes.set_xlabel("Reporting year")
        axes.set_ylabel("Offenders")
        axes.spines[["top", "right"]].set_visible(False)
        axes.margins(y=0.15)
        axes.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.0, 1.0))
        # Fixed margins (room for the legend on the right): tight_layout measured every text
        # and cost 40% of the drawing time.
        figure.subplots_adjust(left=0.1, right=0.8, bottom=0.15, top=0.95)
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


@functools.cache
def _drawing_software() -> str:
    # Read once: importlib.metadata parses the package's metadata file on every call.
    return f"{__version__}|{version('matplotlib')}"


def _cache_file(chart: Chart, cache_dir: Path) -> Path:
    key = hashlib.sha256(f"{chart!r}|{_drawing_software()}".encode("utf-8")).hexdigest()
    return cache_dir / f"{key}.svg"


def _store(cached: Path, svg: str) -> None:
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(svg, encoding="utf-8")
    os.replace(tmp, cached)


def _draw_into_cache(job: tuple[Chart, str]) -> None:
    chart, cached = job
    _store(Path(cached), draw_svg(chart))


def draw_missing(site: Site, jobs: int | None = None) -> int:
    """Draw every chart of the site not yet in the cache, in parallel processes; return how many.

    A national archive has hundreds of charts and Matplotlib needs tens of milliseconds for each,
    so a first build draws them on every core instead of one at a time.
    """
    cache_dir = site.root / ".mappa-cache" / "charts"
    todo: dict[Path, Chart] = {}
    for report in site.reports:
        for chart in report_charts(site, report):
            cached = _cache_file(chart, cache_dir)
            if not cached.is_file():
                todo[cached] = chart
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers > 1 and len(todo) >= 8:  # a pool costs a Matplotlib import per worker
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_draw_into_cache, [(c, str(p)) for p, c in sorted(todo.items())], chunksize=8))
    else:
        for cached, chart in sorted(todo.items()):
            _store(cached, draw_svg(chart))
    return len(todo)


def cached_svg(chart: Chart, cache_dir: Path) -> str:
    """The chart's SVG, drawn only when its figures (or the software drawing it) changed.

    Drawing costs far more than a report page (a whole site has hundreds of charts), so an
    unchanged chart is read back from ``.mappa-cache/charts/`` instead of drawn again.
    """
    cached = _cache_file(chart, cache_dir)
    if cached.is_file():
        return cached.read_text(encoding="utf-8")
    svg = draw_svg(chart)
    _store(cached, svg)
    return svg
