"""The 42 MAPPA areas of England and Wales, and finding which one a report is about."""
from __future__ import annotations

import re
from collections import Counter

AREAS = (
    "Avon and Somerset", "Bedfordshire", "Cambridgeshire", "Cheshire", "Cleveland", "Cumbria",
    "Derbyshire", "Devon and Cornwall", "Dorset", "Durham", "Dyfed-Powys", "Essex",
    "Gloucestershire", "Greater Manchester", "Gwent", "Hampshire", "Hertfordshire", "Humberside",
    "Kent", "Lancashire", "Leicester, Leicestershire and Rutland", "Lincolnshire", "London",
    "Merseyside", "Norfolk", "North Wales", "North Yorkshire", "Northamptonshire", "Northumbria",
    "Nottinghamshire", "South Wales", "South Yorkshire", "Staffordshire", "Suffolk", "Surrey",
    "Sussex", "Thames Valley", "Warwickshire", "West Mercia", "West Midlands", "West Yorkshire",
    "Wiltshire",
)
# Short forms reports use for themselves.
ALIASES = {"LLR": "Leicester, Leicestershire and Rutland"}


def _pattern(name: str) -> re.Pattern[str]:
    words = re.findall(r"[A-Za-z]+", name)
    # "Leicester, Leicestershire and Rutland" also as "Leicester Leicestershire & Rutland".
    joined = r"[\s,&]+(?:and\s+|&\s*)?".join(re.escape(w) for w in words if w.lower() != "and")
    return re.compile(rf"(?<![A-Za-z-]){joined}(?![A-Za-z])", re.IGNORECASE)


_PATTERNS = [(name, _pattern(name)) for name in AREAS]
_ALIAS_PATTERNS = [(name, re.compile(rf"\b{re.escape(alias)}\b")) for alias, name in ALIASES.items()]


def find_area(text: str, head: str) -> str | None:
    """The area a report is about: the one named most in its first lines (its title), else in
    the whole text. Longer names win over names inside them ("West Midlands" over nothing,
    "Leicester, Leicestershire and Rutland" over "Leicestershire"-free matches)."""
    for chunk in (head, text):
        counts: Counter[str] = Counter()
        for name, pattern in _PATTERNS:
            counts[name] += len(pattern.findall(chunk))
        for name, pattern in _ALIAS_PATTERNS:
            counts[name] += len(pattern.findall(chunk))
        counts = Counter({k: v for k, v in counts.items() if v})
        if counts:
            best = counts.most_common()
            if len(best) == 1 or best[0][1] > best[1][1]:
                return best[0][0]
    return None
