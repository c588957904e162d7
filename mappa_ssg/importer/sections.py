"""Splitting a report's text into its sections, in the order printed.

A section starts at a heading that names a known section ("Introduction", "Local page",
"Case study ...", "Useful links" ...), at a title listed on the report's contents page, or at
a heading that follows a national section (what is MAPPA, statistics, explanation) and is not
one of the national text's own subheadings. Other headings inside an area's section stay
there as subheadings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import Line
from .words import dice

# (pattern on the heading in lower case, kind, file name); the area kinds become Markdown.
KNOWN = (
    (r"^(introduction|foreword|welcome)\b", "introduction", "introduction"),
    (r"^what is mappa\b", "what-is-mappa", "what-is-mappa"),
    (r"^(mappa )?statistics\b|^statistical tables\b", "statistics", "statistics"),
    (r"^explanation\b|^commentary on (the )?statistical", "explanation", "explanation"),
    (r"^local page\b", "text", "local-page"),
    (r"^(useful )?(links|contacts)\b|^contact (us|details)\b|^useful contacts\b", "useful-links", "useful-links"),
    (r"^(?:(?:the|our|a|an|key|annual|local)\s+)*case stud(y|ies)\b", "case-study", "case-study"),
    (r"^(?:(?:the|our|a|an|key|annual|local)\s+)*lay advis[eo]r", "lay-adviser", "lay-adviser"),
    (r"^(?:(?:the|our|a|an|key|annual|local|main|strategic)\s+)*(objectives|priorities|business plan)\b", "objectives", "objectives"),
)
NATIONAL = ("what-is-mappa", "statistics", "explanation")
_NAME_START = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame|Rev)\.?\s+)?(?:[A-Z]\.\s*)*[A-Z][a-zA-Z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'’-]+){1,2}(?:,|\s{3,})")
_CONTACT = re.compile(r"@|www\.|https?://|^\+?\d[\d ]{2,}$")


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines."""

    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return " ".join(" ".join(l.text.split()) for l in self.lines)

    @property
    def number(self) -> int:
        return self.lines[0].number


@dataclass
class Part:
    kind: str  # a national kind, "introduction", "useful-links", "cover", or an area kind
    name: str  # file name stem (area sections) or the national kind
    title: str
    heading: Line | None
    lines: list[Line] = field(default_factory=list)


def blocks(lines: list[Line]) -> list[Block]:
    """Paragraphs: runs of non-blank lines, joined across blank lines where a sentence runs on
    (some extracted text has a blank line after every printed line). A line that is just a
    known section title starts a new block: some text has no blank line before a heading."""
    runs: list[list[Line]] = [[]]
    for line in lines:
        signature = bool(runs[-1]) and len(runs[-1][-1].text.split()) <= 4 and not re.search(r"[.!?:;]$", runs[-1][-1].text)
        if line.text and runs[-1] and (len(line.text.split()) <= 4 and line.text[0].isupper() and known(line.text) and not (signature and known(line.text)[0] in ("lay-adviser", "case-study", "objectives"))
                                       or _page_top_title(runs[-1][-1], line)):
            runs.append([line])
        elif line.text:
            runs[-1].append(line)
        elif runs[-1]:
            runs.append([])
    out: list[Block] = []
    for run in (Block(tuple(r)) for r in runs if r):
        if out and _runs_on(out[-1], run):
            out[-1] = Block(out[-1].lines + run.lines)
        else:
            out.append(run)
    return out


def _page_top_title(previous: Line, line: Line) -> bool:
    """A title at the top of a page that the extraction ran into the last line of the page
    before: indented (as such text marks a page's first line), after a finished sentence."""
    text = line.text
    return (line.indent > 0 and bool(re.search(r"[.!?]$", previous.text)) and len(text.split()) <= 8
            and text[0].isupper() and not re.search(r"[.,;:]$", text) and not _LIST.match(text))


def _runs_on(before: Block, after: Block) -> bool:
    last, first = before.lines[-1].text, after.lines[0].text
    if re.search(r"[.!?:;\"”]$", last) or _LIST.match(first) or _NAME_START.match(first) or _CONTACT.search(last + " " + first):
        return False
    if looks_like_heading(before, None) and not first[0].islower() or known(first):
        return False
    return first[0].islower() or first[0] in "(“‘" or len(last) > 30


_LIST = re.compile(r"^(?:- |\d{1,2}[.)]\s|\([a-z]\)\s)")


def looks_like_heading(block: Block, before: Block | None = None, after: Block | None = None) -> bool:
    """A short line or two, no full stop, not a name, a contact or a figure; it follows a
    finished sentence (or another heading or a list) and what follows it is a new sentence."""
    text = block.text
    if before is not None and not (re.search(r"[.!?:;\"”)]$", before.lines[-1].text) or _LIST.match(before.lines[0].text)
                                   or looks_like_heading(before) or known(before.text)):
        return False
    if after is not None and after.lines[0].text[:1].islower():
        return False
    if len(block.lines) > 3 or len(text) > 90 or len(text.split()) > 12 or not text:
        return False
    if not (text[0].isupper() or text[0].isdigit()) or text.count(",") > 1:
        return False
    if re.search(r"[.,;:]$", text) or _NAME_START.match(block.lines[0].text) or _CONTACT.search(text):
        return False
    if re.search(r"\s{3,}", block.lines[0].text) or re.fullmatch(r"[\d\s,.-]+", text):
        return False
    if text.lower().startswith("page "):
        return False
    return True


def known(title: str) -> tuple[str, str] | None:
    lowered = " ".join(title.lower().replace("’", "'").split()).rstrip("?:")
    for pattern, kind, name in KNOWN:
        if re.search(pattern, lowered):
            if kind in (*NATIONAL, "introduction", "useful-links") and len(lowered.split()) > 6:
                continue  # a long heading that only mentions "statistics" is the area's own
            return kind, name
    return None


def split(lines: list[Line], contents: tuple[str, ...], national_headings: list[str]) -> list[Part]:
    """The sections of the report in order; what comes before the first heading is "cover"."""
    parts = [Part("cover", "cover", "", None)]
    body = blocks(lines)
    by_line = {b.number: b for b in body}
    neighbours = {b.number: (body[i - 1] if i else None, body[i + 1] if i + 1 < len(body) else None) for i, b in enumerate(body)}
    skip: set[int] = set()
    for line in lines:
        if line.number in skip:
            continue
        block = by_line.get(line.number)
        heading = block is not None and (known(block.text) is not None and looks_like_heading(block)
                                         or looks_like_heading(block, *neighbours[block.number]))
        if heading:
            title = block.text
            found = known(title) or (("text", "") if any(dice(title, c) > 0.85 for c in contents) else None)
            current = parts[-1].kind
            if found is None and current in ("what-is-mappa", "explanation"):
                if not any(dice(title, h) >= 0.5 for h in national_headings):
                    found = ("text", "")
            elif found is None and current in ("introduction", "text", "case-study", "lay-adviser", "objectives") and line.indent > 0 and not title.endswith("?") and any(l.text for l in parts[-1].lines):
                # Text saved from a word processor marks the first line of each page with a
                # space: a heading there, after some text, starts the next section.
                found = ("text", "")
            if found is not None and not (found[0] == current and found[0] in NATIONAL):
                kind, name = found
                head = list(block.lines)
                if len(head) > 1 and _second_heading(head[0].text, head[1].text):
                    head = head[:1]  # a title and, straight under it, the section's first subheading
                parts.append(Part(kind, name, " ".join(l.text for l in head), line))
                skip.update(l.number for l in head)
                continue
        parts[-1].lines.append(line)
    return parts


def _second_heading(first: str, second: str) -> bool:
    return (len(first.split()) >= 2 and not re.search(r"(&|\band|\bof|,|-)$", first) and second[:1].isupper()
            and not first.isupper() and not second.isupper())
