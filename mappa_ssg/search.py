"""Search across every report, section by section, built at build time with lunr.

What is indexed: every section of every report page as a reader sees it (narrative, tables,
signatures, contacts), so "sexual" finds the statistics of every report. The national text of an
edition ("What is MAPPA?", the explanation of the tables) is the same in every report of that
edition, so it is indexed once per edition, linked to the newest report that prints it.

Why lunr (lunr.py here, lunr.js in the browser, as MkDocs does): English Porter stemming and stop
words, so "offenders" finds "offender"; results ranked (BM25); the index made once here and only
loaded by the browser. The two stemmers differ on a few words, so the index also carries each
word's stem as made here (:func:`vocabulary`). It is a plain script file
(``search/index.js``, loaded by ``<script src>``), so it works from disk (file://) and under the
pages' CSP (``script-src 'self'``, no WebAssembly). Pagefind was not chosen: its runtime needs
WebAssembly (a CSP with ``'wasm-unsafe-eval'``) and loads its index with ``fetch()``, which
browsers refuse for pages opened from disk. Without JavaScript the search page lists every
report. The index holds no dates and is made in a fixed order, so builds are byte-identical.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Report, Site

SEARCH_PAGE = "search/index.html"
SEARCH_INDEX = "search/index.js"
NATIONAL_KINDS = ("what-is-mappa", "explanation")  # edition text: indexed once per edition


@dataclass(frozen=True)
class Entry:
    """One report as listed on the search page without JavaScript."""

    id: str
    url: str
    title: str
    summary: str


@dataclass(frozen=True)
class SectionDoc:
    """One searchable section: where it is (from the search page), what it is in, its text."""

    url: str
    title: str
    context: str
    text: str


_TAG = re.compile(r"<[^>]*>")
# A section of a report page (templates/report.html): sections are never nested, and raw HTML in
# Markdown is off, so a section ends at the first "</section>".
_SECTION = re.compile(r'<section class="[^"]*" id="(?P<id>[^"]+)"[^>]*>\s*<h2[^>]*>(?P<title>.*?)</h2>(?P<body>.*?)</section>', re.S)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed.

    The fragments are our templates' and markdown-it's output with raw HTML off: every "<" in
    text is escaped and every tag well formed, so dropping tags is exact, and several times
    faster than a parser.
    """
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()


def page_sections(page_html: str) -> list[tuple[str, str, str]]:
    """(id, title, text) of every section of a rendered report page, in order."""
    return [(m["id"], plain_text(m["title"]), plain_text(m["body"])) for m in _SECTION.finditer(page_html)]


def _report_url(report: Report) -> str:
    return f"../{report.area.slug}/{report.year.label}/index.html"


def entries(site: Site) -> list[Entry]:
    """Every report, newest year first, then by area name."""
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    return [Entry(f"{r.area.slug}-{r.year.label}", _report_url(r), r.title,
                  f"The {r.ordinal} annual report, covering {r.period}.") for r in ordered]


def section_docs(site: Site, page_html: Callable[[Report], str]) -> list[SectionDoc]:
    """Every section to search, newest report first; national text once per edition."""
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    national_host: dict[str, Report] = {}
    for report in ordered:  # the newest report of each edition carries its national text
        national_host.setdefault(report.edition.id, report)
    docs: list[SectionDoc] = []
    for report in ordered:
        kinds = {s.id: s.kind for s in report.sections}
        hosts_national = national_host[report.edition.id] is report
        for section_id, title, text in page_sections(page_html(report)):
            national = kinds.get(section_id) in NATIONAL_KINDS
            if national and not hosts_national:
                continue
            context = (f"National text of the template “{report.edition.name}”, as printed in {report.title}"
                       if national else report.title)
            docs.append(SectionDoc(f"{_report_url(report)}#{section_id}", title, context, text))
    return docs


def vocabulary(docs: list[SectionDoc]) -> dict[str, str]:
    """Every word of the index and its stem as lunr.py made it ("" when the word is its own stem).

    lunr.py's Porter stemmer and lunr.js's differ on some words ("lay" is "lai" in Python and
    "lay" in JavaScript), so the browser looks a typed word up here first and stems only words
    that no report contains.
    """
    from lunr.stemmer import stemmer
    from lunr.stop_word_filter import stop_word_filter
    from lunr.token import Token
    from lunr.tokenizer import SEPARATOR_CHARS
    from lunr.trimmer import trimmer

    # lunr's Tokenizer walks the text a character at a time and makes a Token with metadata for
    # every word (most of this function's time on a large archive); splitting on the same
    # characters gives the same pieces, and trimming and stemming each distinct piece once gives
    # the same table.
    separator = re.compile(f"[{re.escape(SEPARATOR_CHARS)}]")
    pieces: set[str] = set()
    for doc in docs:
        pieces.update(separator.split(" ".join((doc.title, doc.context, doc.text)).lower()))
    words: dict[str, str] = {}
    for piece in pieces:
        word = str(trimmer(Token(piece))) if piece else ""
        if word and word not in words and stop_word_filter(Token(word)) is not None:
            stem = str(stemmer(Token(word)))
            words[word] = "" if stem == word else stem
    return dict(sorted(words.items()))


def index_script(docs: list[SectionDoc]) -> str:
    """The lunr index, the words' stems and the sections' text as a script that sets one global
    (see module docstring)."""
    from lunr import lunr  # only when the index is (re)made

    index = None
    if docs:  # lunr cannot index nothing (a new project has no report yet); the page then lists none
        index = lunr(ref="ref", fields=[{"field_name": "title", "boost": 5}, {"field_name": "context", "boost": 2}, "text"],
                     documents=[{"ref": str(i), "title": d.title, "context": d.context, "text": d.text} for i, d in enumerate(docs)]).serialize()
    data = {"index": index, "words": vocabulary(docs),
            "docs": [{"url": d.url, "title": d.title, "context": d.context, "text": d.text} for d in docs]}
    return "window.mappaSearch = " + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + ";\n"
