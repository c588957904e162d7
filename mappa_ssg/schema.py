"""Small readers that check the shape of YAML nodes and report problems with positions.

Each reader returns the value when it is right and ``None`` (after reporting) when it is not,
so a caller can keep going and collect every problem in one pass.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from .problems import Position, Problems, did_you_mean
from .yamlsource import Node


_DIGITS = re.compile(r"[0-9]+")


def mapping(
    node: Node | None,
    problems: Problems,
    what: str,
    required: Iterable[str] = (),
    optional: Iterable[str] = (),
    where: Position | None = None,
) -> dict[str, Node] | None:
    """Check ``node`` is a mapping with only the allowed keys and every required one."""
    required, optional = tuple(required), tuple(optional)
    if node is None or not node.is_mapping:
        at = node.where if node is not None else where or Position("?")
        keys = ", ".join(required + optional)
        problems.add(at, f"{what} should be a set of `key: value` lines ({keys})" if keys else f"{what} should be a set of `key: value` lines")
        return None
    allowed = required + optional
    for key in node.value:
        if key not in allowed:
            problems.add(node.key_at(key), f'{what}: unknown key "{key}"{did_you_mean(key, allowed)}')
    for key in required:
        if key not in node.value:
            problems.add(node.where, f'{what}: "{key}" is missing')
    return node.value


def text(node: Node | None, problems: Problems, what: str, *, required: bool = True, max_length: int = 2000) -> str | None:
    """A short piece of text. Whole numbers are accepted as text (phone numbers like 101)."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        if value is None and not required:
            return None
        problems.add(node.where, f"{what} should be text")
        return None
    value = str(value).strip()
    if required and not value:
        problems.add(node.where, f"{what} should not be empty")
        return None
    if len(value) > max_length:
        problems.add(node.where, f"{what} is too long ({len(value)} characters; at most {max_length})")
        return None
    if any(ch in value for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"):
        problems.add(node.where, f"{what} contains a hidden text-direction control character: remove it")
        return None
    return value


def whole_number(node: Node | None, problems: Problems, what: str, *, minimum: int = 0, maximum: int = 10**9) -> int | None:
    if node is None:
        return None
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(node.where, f"{what} should be a whole number, not {describe(value)}{number_hint(value)}")
        return None
    if not minimum <= value <= maximum:
        problems.add(node.where, f"{what} should be between {minimum:,} and {maximum:,}, not {value:,}")
        return None
    return value


def date(node: Node | None, problems: Problems, what: str, example: str) -> dt.date | None:
    """A calendar date written like 2015-10-29 (YAML reads that as a date; quoted, it is text)."""
    if node is None:
        return None
    value = node.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.add(node.where, f'{what} should be a date like {example}, not {describe(value)}')
        return None


def number_hint(value: object) -> str:
    """A hint for a value that was meant as a whole number but is not one ("1,052,300")."""
    text = value.strip() if isinstance(value, str) and len(value) <= 40 else None  # longer: describe() says
    if text and "," in text and _DIGITS.fullmatch(text.replace(",", "")):
        return f" (write {text.replace(',', '')} without commas)"
    if text and _DIGITS.fullmatch(text) and len(text) > 1 and text.startswith("0"):
        return f" (write {int(text)} without the leading 0)"
    if text and _DIGITS.fullmatch(text):  # only quotes make a plain number text
        return f" (write {text} without quotes)"
    if isinstance(value, float) and value.is_integer():
        return f" (write {int(value)} without a decimal point)"
    return ""


def sequence(node: Node | None, problems: Problems, what: str) -> list[Node] | None:
    if node is None:
        return None
    if not node.is_sequence:
        problems.add(node.where, f"{what} should be a list (lines starting with `- `)")
        return None
    return node.value


def describe(value: object) -> str:
    """How a wrong value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, float):
        return f"a decimal ({value})"
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a set of keys"
    if isinstance(value, str):
        if _DIGITS.fullmatch(value) and len(value) > 40:  # YAML could not make it a number
            return f"a number with {len(value)} digits"
        return f'"{value[:40]}"'
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value.isoformat()})"  # as written: YAML dates are year-month-day
    return repr(value)
