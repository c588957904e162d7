"""Charts of an area's main figures over the years, drawn at build time as small SVG files.

Which charts a report gets is decided by pure functions over the model (so templates and the
build agree). Drawing is plain geometry written as SVG text: a horizontal bar per series per
year, each bar labelled with its figure and each series named once beside its first bar, so
there is no legend, axis scale or grid to decode (the GOV.UK charting conventions), and every
label runs horizontally, readable on a phone and in print. A chart costs well under a
millisecond, so nothing is cached or drawn ahead. The SVG is a plain file shown with
``<img>``: no script, no link, nothing inline for the page's CSP to refuse, and WeasyPrint
draws it in the PDF. The same figures always give the same bytes.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple
from html import escape

from .figures import Figure, show
from .i18n import gettext_for
from .languages import ENGLISH
from .model import Report, Site, Table

# Dark enough for 3:1 contrast with white (WCAG 1.4.11). Colour only echoes what the labels and
# the order of the bars already say, so nobody needs to tell the colours apart.
COLOURS = ("#1d4f91", "#b35900", "#00703c", "#6f2c91")
INK, MUTED = "#0b0c0c", "#505a5f"
FONT = "'DejaVu Sans', Arial, Helvetica, sans-serif"  # the site's own, see style.css

# Geometry in SVG user units (CSS pixels at full size). Text is 14 units high and the chart
# narrow (360 wide), so that scaled down to a 320 px screen its text stays 11 px high.
WIDTH = 360
FONT_SIZE = 14
CHAR_WIDTH = 0.66 * FONT_SIZE  # DejaVu Sans is wide: an upper bound on a digit or letter
YEAR_WIDTH = 78  # the year labels' column: "2014-15" and a gap
BAR = 18
BAR_GAP = 3
GROUP_GAP = 12
LABEL_GAP = 5
MIN_BAR_ROOM = 100  # a chart widens rather than squeeze its longest bar below this


@dataclass(frozen=True)
class Chart:
    """One chart: a bar per series per year, and everything needed to describe it in words."""

    id: str
    title: str
    years: tuple[str, ...]
    series: tuple[tuple[str, tuple[Figure, ...]], ...]  # (label, one figure per year)
    language: str = ENGLISH  # of the title, labels and text alternative

    @property
    def file_name(self) -> str:
        return f"chart-{self.id}.svg"

    @property
    def alt(self) -> str:
        """The text alternative: every figure, so the image loses nothing for a screen reader."""
        years = "; ".join(
            f"{year}: " + ", ".join(f"{label} {show(values[i])}" for label, values in self.series)
            for i, year in enumerate(self.years))
        _ = gettext_for(self.language)
        return _("Bar chart. %(title)s, %(first)s to %(last)s. %(figures)s.") % {
            "title": self.title, "first": self.years[0], "last": self.years[-1], "figures": years}

    def rows(self) -> list[tuple[str, list[Figure]]]:
        """The chart's data table: one row per year, one column per series (the figures as
        numbers). Kept as it was: a site's own copy of _charts.html in overrides/ may use it."""
        return [(year, [values[i] for _, values in self.series]) for i, year in enumerate(self.years)]

    def table_rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The data table as the theme prints it: one row per year, and in it (series label,
        figure as printed) for each series."""
        return [(year, [(label, show(values[i])) for label, values in self.series]) for i, year in enumerate(self.years)]

    @functools.cached_property  # the page asks for the size, then the file for the drawing
    def layout(self) -> "_Layout":
        return _layout(self)

    @property
    def size(self) -> tuple[int, int]:
        """Width and height of the drawing, for the ``<img>`` so the page does not jump."""
        return self.layout.width, self.layout.height


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


def _series(reports: list[Report], table_id: str, series: str, worded: Table | None = None) -> tuple[tuple[str, tuple[Figure, ...]], ...]:
    """Each series' figures by year; labels from ``worded`` (the charted report's own table, so a
    Welsh report's chart is labelled in Welsh) where it has them."""
    labels: dict[str, str] = {item_id: label.split(":")[0] for item_id, label, _ in _points(worded, series)} if worded else {}
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
    none until there are two years. A year whose edition lacks a table has no point for it.
    None for a draft: its figures may not all be in, and are not published."""
    if report.is_draft:
        return ()
    reports = sorted((r for r in site.reports_for(report.area) if r.year <= report.year), key=lambda r: r.year)
    if len(reports) < 2:
        return ()
    years = tuple(r.year.label for r in reports)
    charts = []
    specs = report.edition.tables_in(report.language) if report.is_translation else None
    for spec in specs or report.edition.tables:
        if spec.chart is None:
            continue
        own = next((t for t in report.tables if t.id == spec.id), None)
        series = _series(reports, spec.id, spec.chart.series, own)
        if series:
            charts.append(Chart(spec.id.replace("_", "-"), spec.chart.title, years, series, report.lang))
    return tuple(charts)


class _Bar(NamedTuple):  # a tuple: a frozen dataclass costs more to make than the drawing
    y: int
    length: float
    label: str  # the figure as printed ("-" for not applicable)
    name: str  # the series' name, written after the figure on the series' first bar only
    colour: str


@dataclass(frozen=True)
class _Layout:
    width: int
    height: int
    years: tuple[tuple[int, str], ...]  # (baseline y, label)
    bars: tuple[_Bar, ...]


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _layout(chart: Chart) -> _Layout:
    """Where every bar and label goes: a pure function of the figures."""
    n = len(chart.series)
    group = n * BAR + (n - 1) * BAR_GAP
    named: set[int] = set()
    slots = []  # (y, value, label, name, colour) before the scale is known
    years = []
    for i, year in enumerate(chart.years):
        top = i * (group + GROUP_GAP)
        years.append((top + group // 2 + FONT_SIZE * 2 // 5, year))
        for s, (name, values) in enumerate(chart.series):
            value = values[i]
            first = value is not None and s not in named
            if first:
                named.add(s)
            slots.append((top + s * (BAR + BAR_GAP), value, show(value), name if first else "", COLOURS[s % len(COLOURS)]))

    def text(label: str, name: str) -> float:
        return LABEL_GAP + _text_width(label) + (_text_width(" " + name) if name else 0)

    widest = max(text(label, name) for _, _, label, name, _ in slots)
    width = max(WIDTH, int(YEAR_WIDTH + MIN_BAR_ROOM + widest + 1))
    room = width - YEAR_WIDTH
    # The largest scale at which every bar and its label fit: one scale for all, so lengths compare.
    scales = [(room - text(label, name)) / value for _, value, label, name, _ in slots if value]
    scale = max(0.0, min(scales)) if scales else 0.0
    bars = tuple(_Bar(y, (value or 0) * scale, label, name, colour) for y, value, label, name, colour in slots)
    height = len(chart.years) * (group + GROUP_GAP) - GROUP_GAP
    return _Layout(width, height, tuple(years), bars)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def draw_svg(chart: Chart) -> str:
    """The chart as SVG text, identical for identical data."""
    layout = chart.layout
    baseline = FONT_SIZE * 2 // 5 + BAR // 2  # a label's baseline, centred on its bar
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{layout.width}" height="{layout.height}" '
        f'viewBox="0 0 {layout.width} {layout.height}" font-family="{escape(FONT)}" font-size="{FONT_SIZE}" fill="{INK}">\n',
        f"<title>{escape(chart.title)}</title>\n",
    ]
    for y, year in layout.years:
        parts.append(f'<text x="0" y="{y}" font-weight="bold">{escape(year)}</text>\n')
    # The zero line: a bar of 0 and a bar of "-" (not applicable) both start from it.
    parts.append(f'<path d="M{YEAR_WIDTH - 0.5} 0V{layout.height}" stroke="{INK}" stroke-width="1"/>\n')
    for bar in layout.bars:
        if bar.length > 0:
            parts.append(f'<rect x="{YEAR_WIDTH}" y="{bar.y}" width="{_number(bar.length)}" height="{BAR}" fill="{bar.colour}"/>\n')
        name = f' <tspan fill="{MUTED}">{escape(bar.name)}</tspan>' if bar.name else ""
        x = _number(YEAR_WIDTH + bar.length + LABEL_GAP)
        parts.append(f'<text x="{x}" y="{bar.y + baseline}">{escape(bar.label)}{name}</text>\n')
    parts.append("</svg>\n")
    return "".join(parts)
