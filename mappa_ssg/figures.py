"""Derived figures as pure functions.

A figure is an ``int`` (a count, 0 or more) or ``None`` for "not applicable" (printed "-").
The two never mix: ``None`` is not zero, and a total of nothing but "not applicable" cells is
itself "not applicable".
"""
from __future__ import annotations

from typing import Iterable, Optional

Figure = Optional[int]
NOT_APPLICABLE: Figure = None


def total(figures: Iterable[Figure]) -> Figure:
    """Sum the applicable figures; "not applicable" if none of them applies."""
    values = [f for f in figures if f is not None]
    return sum(values) if values else None


def share_percent(part: Figure, whole: Figure) -> int | None:
    """``part`` as a whole-number percentage of ``whole`` (Python round), or None if undefined."""
    if part is None or whole is None or whole == 0:
        return None
    return round(part * 100 / whole)


def rate_per_100k(count: Figure, population: int | None) -> int | None:
    """Count per 100,000 population, rounded as the Ministry of Justice does (Python round)."""
    if count is None or not population:
        return None
    return round(count * 100_000 / population)


def show(figure: Figure) -> str:
    """How a figure is printed in a table: thousands separated, "-" for not applicable."""
    return "-" if figure is None else f"{figure:,}"
