"""Reading a published report's text and cleaning away what the page layout added.

A PDF's text layer is read with pypdf in layout mode: a pure-Python library (no system
program to install), whose layout mode keeps table columns apart and leaves blank lines
between paragraphs. Text that was already extracted (by any tool) is read as it is.
Page furniture (running headers and footers, page numbers, the contents page, link
targets printed twice) is recognised and left out; everything else is kept with its line
number, so each warning can point at the source.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


class ImportFailure(Exception):
    """The file cannot be imported at all; the message says why."""


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the source text (a PDF: in its extracted text, pages in order)
    text: str  # without surrounding spaces; "" for a blank line
    indent: int = 0
    page_start: bool = False


@dataclass(frozen=True)
class Source:
    path: Path
    lines: tuple[Line, ...]
    contents: tuple[str, ...]  # section titles listed on a contents page, if the report has one
    furniture: int  # how many lines were recognised as page furniture and left out


_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u25e6\uf0b7\uf0a7\u2013\u00b7o\*]\s+|^[\u2022\u25cf\u25aa\u25e6\uf0b7\uf0a7]")
_PAGE_NUMBER = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|-\s*\d+\s*-|\d{1,3})$", re.I)
_CONTENTS_ENTRY = re.compile(r"^(?P<title>\S.*?\S)\s*(?:\.\s?){4,}\s*\d+$")
_NOT_APPLICABLE = re.compile(r"(?<!\S)[-\u2013\u2014]\s*not(?=\s|$)")
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.I)


def read_source(path: Path) -> list[tuple[str, bool]]:
    """The raw lines of ``path`` and whether each starts a page."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot be read: {exc.strerror}") from None
    if data.startswith(b"%PDF"):
        return _pdf_lines(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # text saved by Windows tools
    out: list[tuple[str, bool]] = []
    for page_number, page in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f")):
        for index, line in enumerate(page.split("\n")):
            out.append((line, index == 0 and page_number > 0))
    return out


def _pdf_lines(path: Path) -> list[tuple[str, bool]]:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        raise ImportFailure("reading PDFs needs pypdf: run make (or pip install pypdf)") from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ImportFailure(f"{path}: the PDF is encrypted; save an unprotected copy first")
        pages = [page.extract_text(extraction_mode="layout") for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ImportFailure(f"{path}: not a readable PDF ({exc})") from None
    if not any(p.strip() for p in pages):
        raise ImportFailure(f"{path}: the PDF has no text layer (a scan?): run it through OCR first, or import its text")
    out: list[tuple[str, bool]] = []
    for page in pages:
        for index, line in enumerate(page.split("\n")):
            out.append((line, index == 0))
    return out


def _normal(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def clean(path: Path, raw: list[tuple[str, bool]]) -> Source:
    lines: list[Line] = []
    for number, (text, page_start) in enumerate(raw, start=1):
        text = text.replace("\t", "   ").replace("\u00a0", " ").rstrip()
        indent = len(text) - len(text.lstrip())
        text = text.strip()
        text = _NOT_APPLICABLE.sub("-", text)
        text = _BULLET.sub("- ", text) if _BULLET.match(text) and len(text) > 2 else text
        if text in ("\u2022", "\uf0b7", "-", "\u25cf") and not lines:
            text = ""
        lines.append(Line(number, text, indent, page_start))
    contents = tuple(m.group("title") for line in lines if (m := _CONTENTS_ENTRY.match(line.text)))
    keep = [True] * len(lines)
    for i, line in enumerate(lines):
        if _CONTENTS_ENTRY.match(line.text) or re.fullmatch(r"(applicable\s*)+", line.text) or line.text.lower() == "contents" and contents:
            keep[i] = False
        elif line.text in ("\u2022", "\uf0b7", "\u25cf", "1.", "2.", "3.", "4.", "5."):
            keep[i] = False  # a list marker the PDF put apart from its text
    _drop_repeated(lines, keep)
    _drop_page_numbers(lines, keep)
    _drop_link_targets(lines, keep)
    furniture = keep.count(False)
    return Source(path, tuple(l if k else Line(l.number, "", 0, l.page_start) for l, k in zip(lines, keep)), contents, furniture)


def _drop_repeated(lines: list[Line], keep: list[bool]) -> None:
    """Running headers and footers: the same short line three times or more."""
    counts = Counter(_normal(l.text) for l in lines if l.text)
    for i, line in enumerate(lines):
        key = _normal(line.text)
        if not line.text or counts[key] < 3 or len(key) > 120 or len(key.split()) < 2:
            continue
        if re.match(r"^(level|total|category|breach|[-\d#])", key) or not re.search(r"[a-z]", key):
            continue  # table rows and column headings repeat too
        keep[i] = False
    for i, line in enumerate(lines):
        if re.fullmatch(r"page\s+\d+(\s+of\s+\d+)?", line.text, re.I):
            keep[i] = False


def _drop_page_numbers(lines: list[Line], keep: list[bool]) -> None:
    """A lone number at the top or bottom of a page, or standing apart between blank lines."""
    n = len(lines)
    for i, line in enumerate(lines):
        if not keep[i] or not _PAGE_NUMBER.match(line.text):
            continue
        before = [j for j in range(i - 1, -1, -1) if keep[j] and lines[j].text][:1]
        after = [j for j in range(i + 1, n) if keep[j] and lines[j].text][:1]
        page_edge = line.page_start or (after and lines[after[0]].page_start) or not after or (
            before and any(lines[k].page_start for k in range(before[0] + 1, i + 1)))
        gap_before = i - (before[0] if before else -1) - 1
        gap_after = (after[0] if after else n) - i - 1
        if page_edge or (gap_before >= 2 and gap_after >= 2):
            keep[i] = False


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", re.sub(r"^(https?://)?(www\.)?", "", text.lower()))


def _drop_link_targets(lines: list[Line], keep: list[bool]) -> None:
    """Web addresses that some tools print again, after the text, from the PDF's link targets."""
    seen = ""
    for i, line in enumerate(lines):
        if keep[i] and _URL.match(line.text) and line.text.lower().startswith(("http://", "https://")):
            core = _squash(line.text)
            if core and core in seen:
                keep[i] = False
                continue
        if keep[i]:
            seen += _squash(line.text)
