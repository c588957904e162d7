"""Reporting years and the dates and ordinals derived from them (pure functions).

A reporting year "2014-15" runs from 1 April 2014 to 31 March 2015; the eligible-offender
snapshot is taken on its last day. Deriving every date from the year makes last year's dates
impossible to leave behind.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import languages
from .languages import ENGLISH

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_REPORT_YEAR = 2001  # the 1st annual reports covered 2001-02


@dataclass(frozen=True, order=True)
class ReportingYear:
    start: int

    @classmethod
    def parse(cls, text: str) -> "ReportingYear":
        """Parse "2014-15"; raise ValueError with a readable reason otherwise."""
        match = _YEAR.match(text)
        if not match:
            raise ValueError(f'"{text}" is not a reporting year like 2014-15')
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 != end:
            raise ValueError(f'"{text}" is not a reporting year: expected {start}-{(start + 1) % 100:02d}')
        if start < FIRST_REPORT_YEAR:
            raise ValueError(f'"{text}" is before the first MAPPA annual reports ({FIRST_REPORT_YEAR}-02)')
        return cls(start)

    @property
    def label(self) -> str:
        return f"{self.start}-{(self.start + 1) % 100:02d}"

    @property
    def period_start(self) -> dt.date:
        return dt.date(self.start, 4, 1)

    @property
    def period_end(self) -> dt.date:
        return dt.date(self.start + 1, 3, 31)

    @property
    def snapshot(self) -> dt.date:
        return self.period_end

    @property
    def number(self) -> int:
        """Which annual report this is: 2014-15 is the 14th."""
        return self.start - 2000

    @property
    def snapshot_text(self) -> str:
        """The snapshot date as printed: "31 March 2015"."""
        return long_date(self.snapshot)

    @property
    def period_text(self) -> str:
        """The reporting period as printed: "1 April 2014 to 31 March 2015"."""
        return languages.period(self.period_start, self.period_end)

    def next(self) -> "ReportingYear":
        return ReportingYear(self.start + 1)

    def __str__(self) -> str:
        return self.label


def long_date(day: dt.date, language: str = ENGLISH) -> str:
    """GOV.UK style: 31 March 2015 (no leading zero, no comma); in Welsh 31 Mawrth 2015."""
    return languages.long_date(day, language)


def ordinal(n: int, language: str = ENGLISH) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th ... 21st, 22nd (1af, 2il ... 22ain in Welsh)."""
    return languages.ordinal(n, language)


class DatedByYear:
    """The printed dates of anything with a ``year`` (a report, a national year's totals):
    templates and table captions ask either for the same three names, in its ``lang``."""

    year: ReportingYear

    @property
    def lang(self) -> str:
        return ENGLISH

    @property
    def year_label(self) -> str:
        return self.year.label

    @property
    def snapshot_date(self) -> str:
        return languages.long_date(self.year.snapshot, self.lang)

    @property
    def period(self) -> str:
        return languages.period(self.year.period_start, self.year.period_end, self.lang)
