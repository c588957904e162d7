"""Comparing short texts by their words: headings, captions, row labels, paragraphs.

Printed reports word the same table or paragraph a little differently from year to year
("SOPOs" or "Sexual Offences Prevention Orders (SOPOs)", "life time" or "lifetime"), so
labels are matched by the content words they share, never by exact text.
"""
from __future__ import annotations

import re

_STOP = frozenset("""a an the of for and or in on to by with who whose have had has was were their is are be at
as it its this that these those from into than then there they them which while will would can may
not but if i e ie eg s""".split())


def stem(word: str) -> str:
    word = word.lower().strip("'’")
    for suffix in ("ies", "es", "s"):
        if len(word) > 3 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    return word


def words(text: str) -> list[str]:
    """Content words, lower case and roughly singular: the basis of every comparison."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", text)
    tokens = re.findall(r"[A-Za-z][A-Za-z'’]*|\d[\d,]*", text)
    return [stem(t.replace(",", "")) for t in tokens if t.lower() not in _STOP]


def word_set(text: str) -> frozenset[str]:
    found = words(text)
    # Adjacent pairs joined too, so "life time" meets "lifetime".
    return frozenset(found) | frozenset(a + b for a, b in zip(found, found[1:]))


def dice(a: str, b: str) -> float:
    x, y = frozenset(words(a)), frozenset(words(b))
    if not x or not y:
        return 0.0
    xs, ys = word_set(a), word_set(b)
    shared = len(x & ys) + len(y & xs)
    return min(1.0, shared / (len(x) + len(y)))


def containment(part: str, whole_words: frozenset[str]) -> float:
    """The share of ``part``'s content words that are in ``whole_words``."""
    found = set(words(part))
    if not found:
        return 0.0
    return len({w for w in found if w in whole_words}) / len(found)
