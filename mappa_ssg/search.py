"""Search across every report, section by section: the sections' text here, the index in the browser.

What is indexed: every section of every report page as a reader sees it (narrative, tables,
signatures, contacts), so "sexual" finds the statistics of every report. The sections are read
from the report pages as they were staged (written or kept from the previous output), so a page
is never rendered twice and an incremental build gives the index a full build gives. The national
text of an edition ("What is MAPPA?", the explanation of the tables) is the same in every report
of that edition, so it is indexed once per edition, linked to the newest report that prints it.

Why the index is made in the browser (as MkDocs' default search does): an index made here (with
lunr.py) took most of a large archive's build time, and was rebuilt whole whenever one report
changed. ``search/index.js`` carries only the sections' text; ``assets/search.js`` indexes it when
the search page opens, with lunr.js's tokenizer, stop words and English Porter stemmer
(``assets/lunr.min.js``) for the text and for what the reader types alike, so "offenders" finds
"offender", and ranks the sections that hold every word typed (BM25, a word in a section's title
or report counting more). The index file is a plain script (loaded by ``<script src>``), so it
works from disk (file://) and under the pages' CSP (``script-src 'self'``, no WebAssembly).
Pagefind was not chosen: its runtime needs WebAssembly (a CSP with ``'wasm-unsafe-eval'``) and
loads its index with ``fetch()``, which browsers refuse for pages opened from disk. Without
JavaScript the search page lists every report. The file holds no dates and is made in a fixed
order, so builds are byte-identical.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from .model import Report, Site
from .parallel import map_in_order

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
# The opening of a section of a report page (templates/report.html) and its heading. Sections
# are never nested, and raw HTML in Markdown is off, so a section ends at the first "</section>".
_SECTION_HEAD = re.compile(r'<section class="[^"]*" id="(?P<id>[^"]+)"[^>]*>\s*<h2[^>]*>(?P<title>.*?)</h2>', re.S)


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed.

    The fragments are our templates' and markdown-it's output with raw HTML off: every "<" in
    text is escaped and every tag well formed, so dropping tags is exact, and several times
    faster than a parser.
    """
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def page_sections(page_html: str) -> list[tuple[str, str, str]]:
    """(id, title, text) of every section of a rendered report page, in order."""
    # Cut at each "</section>" first: a pattern that ran on to the end of every section was
    # a third of the time on a large archive.
    found = []
    for part in page_html.split("</section>")[:-1]:
        head = _SECTION_HEAD.search(part)
        if head:
            found.append((head["id"], plain_text(head["title"]), plain_text(part[head.end():])))
    return found


def _report_url(report: Report) -> str:
    return f"../{report.area.slug}/{report.year.label}/index.html"


def entries(site: Site) -> list[Entry]:
    """Every report, newest year first, then by area name."""
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    return [Entry(f"{r.area.slug}-{r.year.label}", _report_url(r), r.title,
                  f"The {r.ordinal} annual report, covering {r.period}.") for r in ordered]


def section_docs(site: Site, page_html: Callable[[Report], str], jobs: int | None = 1) -> list[SectionDoc]:
    """Every section to search, newest report first; national text once per edition.

    ``page_html(report)`` gives a report's page; the pages are read on ``jobs`` processes.
    """
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    national_host: dict[str, Report] = {}
    for report in ordered:  # the newest report of each edition carries its national text
        national_host.setdefault(report.edition.id, report)
    docs: list[SectionDoc] = []
    pages = map_in_order(lambda report: page_sections(page_html(report)), ordered, jobs)
    for report, sections in zip(ordered, pages):
        kinds = {s.id: s.kind for s in report.sections}
        hosts_national = national_host[report.edition.id] is report
        for section_id, title, text in sections:
            national = kinds.get(section_id) in NATIONAL_KINDS
            if national and not hosts_national:
                continue
            context = (f"National text of the template “{report.edition.name}”, as printed in {report.title}"
                       if national else report.title)
            docs.append(SectionDoc(f"{_report_url(report)}#{section_id}", title, context, text))
    return docs


def index_script(docs: list[SectionDoc]) -> str:
    """The sections as a script that sets one global (the browser indexes them: see module docstring)."""
    data = {"docs": [{"url": d.url, "title": d.title, "context": d.context, "text": d.text} for d in docs]}
    return "window.mappaSearch = " + json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + ";\n"
