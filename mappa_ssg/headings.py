"""Headings in narrative Markdown: they must nest, and say something.

Screen readers list a page's headings and the PDF's outline (bookmarks) is made from them, so a
jump from ``#`` to ``######`` leaves empty levels a reader has to step through, and an empty
``##`` is a bookmark with no name. Both are warnings (``--strict`` makes them errors): the page
still builds, but the author is told where, in the levels they wrote (``#`` counts).

The section's own title is the level above the author's first heading: a section may start
with ``#`` or ``##`` (both are shown just below the title, see markdown.py), and each heading
may then go at most one level deeper than the one before it.
"""
from __future__ import annotations

from markdown_it import MarkdownIt

from .problems import Position, Problems

# Only headings are read (ATX "#" and underlined "===" / "---"), so only the block level is
# parsed: the inline level is where markdown-it's time can grow with the square of a paragraph
# (see markdown.MARKUP_BUDGET), and a heading's words are its inline token's content already.
_PARSER = MarkdownIt("commonmark")
_PARSER.core.ruler.disable(["inline", "text_join"])
FIRST_DEEPEST = 2  # "#" or "##" may open a section


def heading_problems(source: str, body: str, first_line: int, problems: Problems) -> None:
    """Warn about skipped heading levels and empty headings in one section's Markdown ``body``."""
    tokens = _PARSER.parse(body)
    previous = None
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        line = first_line + (token.map[0] if token.map else 0)
        where = Position(source, line, 1)
        text = tokens[index + 1].content.strip() if index + 1 < len(tokens) else ""
        if not text:
            problems.warn(where, f"empty heading ({_marks(level)} with no text): write the heading or delete the line")
        deepest = FIRST_DEEPEST if previous is None else previous + 1
        if level > deepest:
            after = "at the start of the section" if previous is None else f"after a {_marks(previous)} heading"
            problems.warn(where, f"heading level skipped: {_marks(level)} {after}; use {_marks(deepest)} so the headings "
                                 "nest (screen readers and the PDF's bookmarks follow them)")
        previous = level


def _marks(level: int) -> str:
    return "#" * level
