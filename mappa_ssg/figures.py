"""Derived figures as pure functions.

A figure is an ``int`` (a count, 0 or more) or ``None`` for "not applicable" (printed "-").
The two never mix: ``None`` is not zero, and a total of nothing but "not applicable" cells is
itself "not applicable".

A draft report may also hold :data:`PENDING` where the author has not filled a figure in yet
(``TODO``): anything worked out from a pending figure is pending too, and is printed "TODO", so
a preview never shows a made-up number. Published reports never hold one (see content.py).
"""
from __future__ import annotations

from typing import Iterable, Optional, Union


class _Pending:
    """The one "not filled in yet" value; pickles as itself (drafts go through the model cache)."""

    def __repr__(self) -> str:
        return "PENDING"

    def __reduce__(self) -> str:
        return "PENDING"


PENDING = _Pending()
Figure = Optional[Union[int, _Pending]]
NOT_APPLICABLE: Figure = None


def total(figures: Iterable[Figure]) -> Figure:
    """Sum the applicable figures; "not applicable" if none of them applies; pending if any is."""
    values = [f for f in figures if f is not None]
    if any(f is PENDING for f in values):
        return PENDING
    return sum(values) if values else None  # type: ignore[arg-type]


def share_percent(part: Figure, whole: Figure) -> Figure:
    """``part`` as a whole-number percentage of ``whole`` (Python round), or None if undefined."""
    if part is PENDING or whole is PENDING:
        return PENDING
    if part is None or whole is None or whole == 0:
        return None
    return round(part * 100 / whole)  # type: ignore[operator]


def rate_per_100k(count: Figure, population: Figure) -> Figure:
    """Count per 100,000 population, rounded as the Ministry of Justice does (Python round)."""
    if count is PENDING or population is PENDING:
        return PENDING
    if count is None or not population:
        return None
    return round(count * 100_000 / population)  # type: ignore[operator]


def show(figure: Figure) -> str:
    """How a figure is printed in a table: thousands separated, "-" for not applicable."""
    if figure is PENDING:
        return "TODO"
    return "-" if figure is None else f"{figure:,}"
