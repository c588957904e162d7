"""A small static search index across all reports, built at build time.

Why not Pagefind: its runtime needs WebAssembly (a CSP of ``'wasm-unsafe-eval'``) and fetches
its index with ``fetch()``, which browsers refuse for pages opened from disk. This index is a
plain script file (``search/index.js``, loaded by ``<script src>`` under ``script-src 'self'``)
holding each page's words; ``assets/search.js`` filters the list on the search page. Without
JavaScript the search page still lists every report, so nothing is lost. The index is sorted
and free of dates, so it is byte-identical between builds.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
import html

from .model import Report, Site

SEARCH_PAGE = "search/index.html"
SEARCH_INDEX = "search/index.js"


@dataclass(frozen=True)
class Entry:
    """One searchable page: where it is (from the search page), its title and its words."""

    id: str
    url: str
    title: str
    summary: str
    words: str


_TAG = re.compile(r"<[^>]*>")


def plain_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed.

    The fragments are markdown-it's output with raw HTML off: every "<" in text is escaped and
    every tag well formed, so dropping tags is exact, and several times faster than a parser
    (this runs over every section of every report on each build).
    """
    return re.sub(r"\s+", " ", html.unescape(_TAG.sub(" ", fragment))).strip()


def words(*texts: str) -> str:
    """Distinct lower-case words, sorted: small, stable, and enough for whole-word matching."""
    found = set()
    for text in texts:
        found.update(re.findall(r"[\w'’-]+", text.lower()))
    return " ".join(sorted(w.strip("'’-") for w in found if len(w.strip("'’-")) > 1))


def report_entry(report: Report) -> Entry:
    narrative = " ".join(plain_text(s.html) for s in report.sections if s.html)
    titles = " ".join(s.title for s in report.sections)
    people = " ".join(f"{p.name} {p.role} {p.organisation}" for p in report.signatories)
    return Entry(
        id=f"{report.area.slug}-{report.year.label}",
        url=f"../{report.area.slug}/{report.year.label}/index.html",
        title=report.title,
        summary=f"The {report.ordinal} annual report, covering {report.period}.",
        words=words(report.title, report.area.short_name, titles, people, narrative),
    )


def entries(site: Site) -> list[Entry]:
    """Every report, newest year first, then by area name."""
    ordered = sorted(site.reports, key=lambda r: (-r.year.start, r.area.name))
    return [report_entry(r) for r in ordered]


def index_script(items: list[Entry]) -> str:
    """The index as a script that sets one global: loadable from disk and under a strict CSP."""
    data = [{"id": e.id, "words": e.words} for e in items]
    return "window.mappaSearchIndex = " + json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + ";\n"
