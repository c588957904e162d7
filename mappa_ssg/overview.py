"""National totals per reporting year: the sum of every area's tables (pure functions).

Editions differ in their tables, so figures are summed like with like: by table id, group id,
row id and column id. A cell is "not applicable" nationally only when it is not applicable in
every report that has it (a sum over nothing but "-" is "-", never 0).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import figures
from .figures import Figure
from .model import Column, Group, Report, Row, Table
from .years import DatedByYear, ReportingYear


@dataclass(frozen=True)
class NationalTable:
    """A table summed over areas; ``areas`` says how many reports had it."""

    table: Table
    areas: int


@dataclass(frozen=True)
class NationalYear(DatedByYear):  # dates too: captions render for a year as for a report
    year: ReportingYear
    reports: tuple[Report, ...]
    tables: tuple[NationalTable, ...]

    @property
    def _counted(self) -> list[Report]:
        # Reports with a population: an imported report may print only its rate.
        return [r for r in self.reports if r.population.aged_10_and_over is not None]

    @property
    def registered_sex_offenders(self) -> Figure:
        return figures.total(r.registered_sex_offenders for r in self._counted)

    @property
    def population(self) -> int:
        return sum(r.population.aged_10_and_over for r in self._counted if r.registered_sex_offenders is not None)

    @property
    def by_area(self) -> tuple["AreaFigures", ...]:
        """Each area's headline figures, in the order of ``reports`` (by area)."""
        return tuple(area_figures(r) for r in self.reports)

    @property
    def all_areas(self) -> "AreaFigures":
        """The same figures added up over the areas; the rate from the summed counts."""
        rows = self.by_area
        return AreaFigures(None, figures.total(r.eligible for r in rows), self.registered_sex_offenders,
                           figures.total(r.levels_2_and_3 for r in rows), self.rso_per_100k)

    @property
    def rso_per_100k(self) -> int | None:
        """The rate over the areas published here, from summed counts (not an average of rates)."""
        return figures.rate_per_100k(self.registered_sex_offenders, self.population)


@dataclass(frozen=True)
class AreaFigures:
    """An area's headline figures for a year (``report`` None: all areas added up), for the
    overview's area-by-area table."""

    report: Report | None
    eligible: Figure  # MAPPA-eligible offenders on 31 March, every level and category
    registered_sex_offenders: Figure
    levels_2_and_3: Figure  # managed at Levels 2 and 3 during the year
    rso_per_100k: int | None


LEVELS_2_AND_3 = "levels_2_and_3"  # the yearly table of every edition


def area_figures(report: Report) -> AreaFigures:
    eligible = report.table(report.edition.level_1_cell[0])
    yearly = next((t for t in report.tables if t.id == LEVELS_2_AND_3), None)
    return AreaFigures(report, eligible.grand_total, report.registered_sex_offenders,
                       yearly.grand_total if yearly else None, report.rso_per_100k)


def sum_tables(tables: list[Table]) -> Table:
    """Add up tables with one id cell by cell; rows, groups and columns as first seen."""
    first = tables[0]
    columns: dict[str, Column] = {}
    groups: dict[str, tuple[str | None, dict[str, str]]] = {}
    values: dict[tuple[str, str, str], list[Figure]] = {}
    for table in tables:
        for column in table.columns:
            columns.setdefault(column.id, column)
        for group in table.groups:
            label, rows = groups.setdefault(group.id, (group.label, {}))
            for row in group.rows:
                rows.setdefault(row.id, row.label)
                for column, value in zip(table.columns, row.cells):
                    values.setdefault((group.id, row.id, column.id), []).append(value)
    summed_groups = tuple(
        Group(group_id, label, tuple(
            Row(row_id, row_label, tuple(figures.total(values.get((group_id, row_id, c), ())) for c in columns))
            for row_id, row_label in rows.items()))
        for group_id, (label, rows) in groups.items()
    )
    return replace(first, columns=tuple(columns.values()), groups=summed_groups)


def national_year(year: ReportingYear, reports: list[Report]) -> NationalYear:
    by_id: dict[str, list[Table]] = {}
    for report in sorted(reports, key=lambda r: r.area.slug):
        for table in report.tables:
            by_id.setdefault(table.id, []).append(table)
    # Ids carry the year: the overview page shows every year's tables, and ids must be unique.
    tables = tuple(NationalTable(replace(sum_tables(group), id=f"{table_id}-{year.label}"), len(group))
                   for table_id, group in by_id.items())
    return NationalYear(year, tuple(sorted(reports, key=lambda r: r.area.slug)), tables)


def national_years(reports: tuple[Report, ...]) -> tuple[NationalYear, ...]:
    """One national summary per reporting year that has any report, newest first."""
    years: dict[ReportingYear, list[Report]] = {}
    for report in reports:
        years.setdefault(report.year, []).append(report)
    return tuple(national_year(y, years[y]) for y in sorted(years, reverse=True))
