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

import hashlib
import html
import json
import pickle
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .incremental import atomic_write
from .model import Report, Site

SEARCH_PAGE = "search/index.html"
SEARCH_INDEX = "search/index.js"
NATIONAL_KINDS = ("what-is-mappa", "explanation")  # edition text: indexed once per edition
_CACHE_FORMAT = 1


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


class SectionCache:
    """The sections of report pages by a digest of each page's bytes, kept between builds in
    ``path`` (none: kept for this build only).

    Keyed by the bytes, not by what the page is made from, so a cached entry is right whatever
    changed: after an edit to one report only its page is read again (a third of a second saved
    on a 420-report archive)."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.entries: dict[str, list[tuple[str, str, str]]] = {}
        if path is not None:
            try:
                with open(path, "rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("format") == (_CACHE_FORMAT, __version__):
                    self.entries = stored["entries"]
            except Exception:  # a missing, old or damaged cache is simply made again
                self.entries = {}
        self._loaded = set(self.entries)

    def sections(self, pages: list[str | bytes]) -> list[list[tuple[str, str, str]]]:
        """:func:`page_sections` of each page, in order.

        Read in this process: on worker processes the results' way back cost more than the
        reading saved (420 pages, 2 cores).
        """
        raw = [page.encode("utf-8") if isinstance(page, str) else page for page in pages]
        keys = [hashlib.sha1(page).hexdigest() for page in raw]
        for key, page in zip(keys, raw):
            if key not in self.entries:
                self.entries[key] = page_sections(page.decode("utf-8"))
        self.entries = {key: self.entries[key] for key in keys}  # only this build's pages are kept
        return [self.entries[key] for key in keys]

    def save(self) -> None:
        if self.path is not None and set(self.entries) != self._loaded:
            atomic_write(self.path, pickle.dumps({"format": (_CACHE_FORMAT, __version__), "entries": self.entries},
                                                 pickle.HIGHEST_PROTOCOL))


def section_cache_name(output: Path) -> str:
    """The file name, in .mappa-cache/, of the section cache of builds into ``output``."""
    return f"search-sections-{hashlib.sha1(str(output).encode('utf-8')).hexdigest()[:16]}.pickle"


def _report_url(report: Report) -> str:
    return f"../{report.area.slug}/{report.year.label}/index.html"


def entries(site: Site) -> list[Entry]:
    """Every report, newest year first, then by area name."""
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    return [Entry(f"{r.area.slug}-{r.year.label}", _report_url(r), r.title,
                  f"The {r.ordinal} annual report, covering {r.period}.") for r in ordered]


def section_docs(site: Site, page_html: Callable[[Report], str | bytes], cache: SectionCache | None = None) -> list[SectionDoc]:
    """Every section to search, newest report first; national text once per edition.

    ``page_html(report)`` gives a report's page; its sections come from ``cache`` when the page
    is as it was at the last build.
    """
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    national_host: dict[str, Report] = {}
    for report in ordered:  # the newest report of each edition carries its national text
        national_host.setdefault(report.edition.id, report)
    pages = (cache or SectionCache()).sections([page_html(r) for r in ordered])
    docs: list[SectionDoc] = []
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
