"""Drafts: what makes a report unfinished, and how that is said.

A report is a draft when its report.yaml says ``status: draft`` (what ``mappa new`` writes) or
when anything is left to do in it: a figure still ``TODO`` or a line starting ``REVIEW:``.
Each thing left to do is a warning, never an error, and the draft is kept out of the published
site (see :class:`mappa_ssg.model.Site`), so one area's unfinished report never stops the others
from being built. ``mappa build --drafts`` and ``mappa serve`` show drafts, marked "Draft".
"""
from __future__ import annotations

STATUSES = ("draft", "final")
# Written by `mappa new` at the top of text copied from last year, and before last year's
# signatories: a line starting with it makes the report a draft until the author deletes it.
REVIEW_MARK = "REVIEW:"
FIGURE, REVIEW = "figure", "review"  # the kinds of thing left to do (Problems.unfinished)


def review_line_numbers(text: str) -> list[int]:
    """The lines of ``text`` that start with REVIEW: (also after a # in YAML or Markdown)."""
    if REVIEW_MARK not in text:  # most files: no need to look at each line
        return []
    return [n for n, line in enumerate(text.split("\n"), start=1) if line.strip().lstrip("#").strip().startswith(REVIEW_MARK)]


def reasons(status: str, left_to_do: list[str]) -> tuple[str, ...]:
    """Why a report is a draft, in words; empty when it is final and nothing is left to do."""
    found = ["status: draft"] if status == "draft" else []
    for kind, one, many in ((FIGURE, "1 figure to fill in", "{n} figures to fill in"),
                            (REVIEW, "1 REVIEW: line", "{n} REVIEW: lines")):
        n = left_to_do.count(kind)
        if n:
            found.append(one if n == 1 else many.format(n=n))
    return tuple(found)


def left_out(why: tuple[str, ...], *, has_errors: bool) -> str:
    """The warning that says a draft is not published, and where it can be seen."""
    if has_errors:
        return (f"draft ({'; '.join(why)}) with errors: left out of the site, and not shown "
                "by mappa serve or mappa build --drafts until they are fixed")
    return f'draft ({"; ".join(why)}): left out of the site by mappa build; mappa serve and mappa build --drafts show it marked "Draft"'
