"""Warnings for likely mistakes in content that is otherwise valid.

The figure and signatory checks run after the site model is built, so they can compare a
report with the area's report for the year before; the narrative checks run as each Markdown
file is loaded (``narrative``), on the text already read. Each is a warning (``--strict`` makes
it an error) because each can be right: a figure can really double, a narrative can mention
next year on purpose.

- a figure that moved more than a set share from the previous year (``checks: max_change``
  in site.yaml, default 50%), ignoring small counts where a percentage means little;
- a year in the narrative later than the end of the reporting year;
- signatories exactly as they were last year;
- a section that has headings but no text (an empty one is reported when it is loaded);
- headings that skip a level (``#`` then ``###``) or have no text (see headings.py).
"""
from __future__ import annotations

import functools

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from . import schema
from .drafts import REVIEW_MARK
from .headings import Heading, heading_problems
from .model import Report, Site, Table
from .problems import Position, Problems
from .sources import Unreadable, read_bytes
from .statistics import figure_address
from .yamlsource import Node, load_yaml
from .years import ReportingYear

DEFAULT_MAX_CHANGE = 0.5
DEFAULT_MIN_COUNT = 10
# "2016", "2015-16" and "2015/16"; the two-digit end of a span counts as its year. Not inside
# an amount (£2,020) or a phone number (0116 2023 ...), which would be false alarms.
# Matched on the whole file at once, so the space that may not come before a digit after a year
# is any space but a line break: a year at the end of a line stays a year. The lookahead first
# lets the search skip ahead to the next "19" or "20" instead of testing every position.
_YEAR = re.compile(r"(?=[12][09]\d\d)(?<![\d£$.,])(?<!\d )((?:19|20)\d{2})(?:[-/](\d{2}))?(?![\d%]|[^\S\n]\d)")


@dataclass(frozen=True)
class CheckSettings:
    """The ``checks:`` block of site.yaml."""

    max_change: float = DEFAULT_MAX_CHANGE  # a share: 0.5 means "more than 50% up or down"
    min_count: int = DEFAULT_MIN_COUNT  # figures both below this are not compared


def read_settings(project: Path, problems: Problems) -> CheckSettings:
    """Read ``checks:`` from content/site.yaml (the loader has already reported other problems)."""
    text = _read(project, "content/site.yaml")  # a problem reading it is reported by the loader
    if text is None:
        return CheckSettings()
    root = load_yaml("content/site.yaml", text, Problems())  # syntax errors: reported by the loader
    node = root.get("checks") if root is not None else None
    if node is None:
        return CheckSettings()
    fields = schema.mapping(node, problems, "checks", optional=("max_change", "min_count")) or {}
    settings = CheckSettings()
    change = fields.get("max_change")
    if change is not None:
        value = change.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 10:
            problems.add(change.where, f"checks.max_change should be a share such as 0.5 (for 50%), not {schema.describe(value)}")
        else:
            settings = CheckSettings(float(value), settings.min_count)
    count = schema.whole_number(fields.get("min_count"), problems, "checks.min_count", maximum=1_000_000)
    if count is not None:
        settings = CheckSettings(settings.max_change, count)
    return settings


def lint_site(project: Path, site: Site | None, problems: Problems) -> None:
    """Add a warning to ``problems`` for each likely mistake in ``site``."""
    settings = read_settings(project, problems)
    if site is None:
        return
    every = (*site.reports, *site.drafts)  # drafts too: the author is still working on them
    by_key = {(r.area.slug, r.year.start): r for r in every}
    for report in every:
        previous = by_key.get((report.area.slug, report.year.start - 1))
        # Parsed again only to point a warning at its line, so only when there is a warning.
        report_yaml = functools.cache(lambda report=report: _report_yaml(project, report))
        if previous is not None:
            _figure_changes(report, previous, report_yaml, settings, problems)
            _same_signatories(report, previous, report_yaml, problems)


def _report_yaml(project: Path, report: Report) -> Node | None:
    rel = f"{report.source_dir}/report.yaml"
    text = _read(project, rel)
    return load_yaml(rel, text, Problems()) if text is not None else None


def _read(project: Path, rel: str) -> str | None:
    """A content file read the loader's safe way (sources.py), or None: the loader reported why."""
    try:
        return read_bytes(project / rel, project / "content").decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except (Unreadable, UnicodeDecodeError):
        return None


# -- figures ------------------------------------------------------------------------------------
def change_share(before: int, after: int) -> float:
    """How far ``after`` moved from ``before``, as a share of ``before`` (from 0: infinite)."""
    if before == 0:
        return float("inf") if after else 0.0
    return abs(after - before) / before


def is_suspicious(before: int, after: int, settings: CheckSettings) -> bool:
    if before < settings.min_count and after < settings.min_count:
        return False  # 2 -> 5 is +150% but says nothing
    return change_share(before, after) > settings.max_change


def _figure_changes(report: Report, previous: Report, root: Callable[[], Node | None], settings: CheckSettings, problems: Problems) -> None:
    for table in report.tables:
        try:
            old_table = previous.table(table.id)
        except StopIteration:
            continue  # a table new in this edition: nothing to compare with
        for group in table.groups:
            for row in group.rows:
                for index, (column, now) in enumerate(zip(table.columns, row.cells)):
                    group_id = group.id if len(table.groups) > 1 or group.label else None
                    then = _cell(old_table, table, group_id, row.id, column.id)
                    if not isinstance(now, int) or not isinstance(then, int) or not is_suspicious(then, now, settings):
                        continue
                    where = _figure_position(root(), table, group_id, row.id, index) or Position(f"{report.source_dir}/report.yaml")
                    direction = "up" if now > then else "down"
                    share = "from 0" if then == 0 else f"{direction} {round(change_share(then, now) * 100)}%"
                    column_label = "" if not table.is_grid else ", " + column.label.split(":")[0]
                    address = figure_address(table.id, group_id, row.id) + column_label
                    problems.warn(where, f"{address}: {now} this year, {then} in {previous.year} ({share}): "
                                         f"a change of more than {round(settings.max_change * 100)}%, check the figure")


def _cell(table: Table, like: Table, group_id: str | None, row_id: str, column_id: str) -> int | None:
    if table.is_grid != like.is_grid:
        return None
    try:
        return table.cell(row_id, column_id if table.is_grid else "figure", group_id)
    except (KeyError, ValueError):
        return None


def _figure_position(root: Node | None, table: Table, group_id: str | None, row_id: str, index: int) -> Position | None:
    stats = root.get("statistics") if root is not None else None
    node = stats.get(table.id) if stats is not None else None
    if node is not None and group_id:
        node = node.get(group_id)
    if node is None:
        return None
    if not node.is_mapping:  # a one-figure table written as `breach_of_notification: 52`
        return node.where
    node = node.get(row_id)
    if node is not None and node.is_sequence and index < len(node.value):
        node = node.value[index]
    return node.where if node is not None else None


# -- people ---------------------------------------------------------------------------------------
def _same_signatories(report: Report, previous: Report, report_yaml: Callable[[], Node | None], problems: Problems) -> None:
    if report.signatories != previous.signatories or not any(p.role for p in report.signatories):
        return  # changed, unsigned, or signed by the board as a whole: no person's role to check
    root = report_yaml()
    node = root.get("signatories") if root is not None else None
    where = root.key_at("signatories") if node is not None else Position(f"{report.source_dir}/report.yaml")
    problems.warn(where, f"signatories are exactly as in {previous.year}: check each person still holds the role named")


# -- narrative ------------------------------------------------------------------------------------
def narrative(source: str, text: str, body: str, first_line: int, headings: list[Heading], kind: str, year: ReportingYear,
              problems: Problems) -> None:
    """Warnings for one Markdown section, given the text the loader has just read and the
    headings its one parse found (markdown.py).

    Run while loading (content.py), not after: reading every narrative file a second time cost
    every build, even one that re-read a single report.
    """
    # Objectives are about the year ahead, so naming it there is expected.
    if kind != "objectives":
        _late_years(year, source, text, problems)
    heading_problems(source, headings, problems)
    if _only_headings(body):
        problems.warn(Position(source, first_line), "this section has headings but no text under them")


def _late_years(year_of_report: ReportingYear, source: str, text: str, problems: Problems) -> None:
    if "19" not in text and "20" not in text:  # no year at all (a plain substring search is far quicker than the pattern)
        return
    end = year_of_report.start + 1
    line, line_start = 1, 0  # counted on from the previous match: one pass over the text
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if match.group(2) is not None:
            if (year + 1) % 100 != int(match.group(2)):
                continue  # not a span like 2015-16 (perhaps a phone number or a range)
            year += 1
        if year > end:
            line += text.count("\n", line_start, match.start())
            line_start = text.rfind("\n", 0, match.start()) + 1
            problems.warn(Position(source, line, match.start() - line_start + 1),
                          f'"{match.group(0)}" is after the end of the reporting year ({year_of_report.period_text}): check the year')


def _only_headings(body: str) -> bool:
    lines = [line.strip() for line in body.split("\n") if line.strip() and not line.lstrip().startswith(REVIEW_MARK)]
    return bool(lines) and all(line.startswith("#") for line in lines)
