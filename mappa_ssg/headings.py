"""Headings in narrative Markdown: they must nest, and say something.

Screen readers list a page's headings and the PDF's outline (bookmarks) is made from them, so a
jump from ``#`` to ``######`` leaves empty levels a reader has to step through, and an empty
``##`` is a bookmark with no name. Both are warnings (``--strict`` makes them errors): the page
still builds, but the author is told where, in the levels they wrote (``#`` counts).

The section's own title is the level above the author's first heading: a section may start
with ``#`` or ``##`` (both are shown just below the title, see markdown.py), and each heading
may then go at most one level deeper than the one before it.

The headings come from the parse that renders the section (markdown.py collects them), so the
Markdown is parsed once: a second parse here cost a sixth of loading a national archive.
"""
from __future__ import annotations

from typing import NamedTuple

from .problems import Position, Problems

FIRST_DEEPEST = 2  # "#" or "##" may open a section


class Heading(NamedTuple):
    """One heading as the author wrote it: its level (``#`` is 1), its line in the file, and
    whether it has any text."""

    level: int
    line: int
    has_text: bool


def heading_problems(source: str, headings: list[Heading], problems: Problems) -> None:
    """Warn about skipped heading levels and empty headings among one section's ``headings``."""
    previous = None
    for level, line, has_text in headings:
        where = Position(source, line, 1)
        if not has_text:
            problems.warn(where, f"empty heading ({_marks(level)} with no text): write the heading or delete the line")
        deepest = FIRST_DEEPEST if previous is None else previous + 1
        if level > deepest:
            after = "at the start of the section" if previous is None else f"after a {_marks(previous)} heading"
            problems.warn(where, f"heading level skipped: {_marks(level)} {after}; use {_marks(deepest)} so the headings "
                                 "nest (screen readers and the PDF's bookmarks follow them)")
        previous = level


def _marks(level: int) -> str:
    return "#" * level
