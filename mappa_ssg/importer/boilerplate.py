"""Recognising the national text of an edition in a report, so that it is left out.

The edition supplies "What is MAPPA?" and the explanation of the tables in its own words,
so a report's copy of them is not imported. A paragraph counts as national when most of its
content words are in one passage (one to three neighbouring paragraphs) of the edition's
text; headings are compared with the edition's headings. Nothing here lists sentences of
any particular report.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..editions import BOILERPLATE, Edition
from .words import containment, word_set

THRESHOLD = 0.5


@dataclass(frozen=True)
class Boilerplate:
    passages: tuple[frozenset[str], ...]
    headings: tuple[str, ...]

    def score(self, paragraph: str) -> float:
        return max((containment(paragraph, p) for p in self.passages), default=0.0)

    def is_national(self, paragraph: str) -> bool:
        return self.score(paragraph) >= THRESHOLD


def _plain(fragment: str) -> str:
    fragment = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", fragment, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _source(path: Path, templates: Path, depth: int) -> str:
    """A boilerplate template with the templates it includes or extends (an edition that
    changes nothing says so by including the earlier edition's file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return ""
    if depth < 5:
        for other in re.findall(r"\{%-?\s*(?:include|extends)\s+[\"']([^\"']+)[\"']", text):
            target = (templates / other).resolve()
            if target.is_relative_to(templates.resolve()):
                text += "\n" + _source(target, templates, depth + 1)
    return text


def load_boilerplate(edition: Edition) -> Boilerplate:
    paragraphs: list[str] = []
    headings: list[str] = []
    for name in BOILERPLATE:
        source = _source(Path(edition.folder) / name, Path(edition.folder).parent.parent, 0)
        headings += [_plain(h) for h in re.findall(r"<(?:h\d|dt)[^>]*>(.*?)</(?:h\d|dt)>", source, flags=re.S)]
        paragraphs += [p for p in (_plain(x) for x in re.findall(r"<(?:p|li|dd|dt|h\d)[^>]*>(.*?)</(?:p|li|dd|dt|h\d)>", source, flags=re.S)) if p]
    passages = []
    for size in (1, 2, 3):
        for start in range(0, max(0, len(paragraphs) - size + 1)):
            passages.append(word_set(" ".join(paragraphs[start:start + size])))
    # Every report names where all reports are published; the edition says it in its own words.
    passages.append(word_set("All MAPPA annual reports for England and Wales are published online at www.gov.uk www.justice.gov.uk"))
    return Boilerplate(tuple(passages), tuple(h for h in headings if h))
