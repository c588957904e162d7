"""Completes the table structure WeasyPrint writes into a tagged (PDF/UA-1) PDF.

WeasyPrint 70 tags table cells as /TH and /TD, gives every /TH an /ID and lists those IDs in
each /TD's /Headers, but it writes no /Scope on header cells and no /IDTree to look the IDs up,
and it ties a group heading (a full-width ``<th scope="rowgroup">``) to no data cell at all.
Screen readers that follow /Scope (and checkers such as ``pdfua``) then cannot tell which
heading a figure belongs to. :func:`complete_structure` fixes that on the pydyf objects, as a
``write_pdf`` finisher, so the PDF is written once and no second PDF library is needed at run
time.

The rules, all read off the structure tree itself:
- a /TH in a /THead row heads a column (``/Scope /Column``); any other /TH heads its row;
- a /TBody whose first row holds a single /TH (a group heading such as "Breach of licence")
  adds that heading's ID to the /Headers of every /TD in the group;
- every /ID is registered in the structure tree root's /IDTree (PDF 1.7, 14.7.2);
- a cell whose HTML holds visually hidden words (the "not applicable" of a "-" cell) gets them
  as its /ActualText. pdf.css draws none of that hidden text, so a text extractor reads "-" while
  a screen reader says "not applicable" (PDF 1.7, 14.9.4).
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf


def complete_structure(document: Any, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: add /Scope, group /Headers and the /IDTree (see module docstring)."""
    objects = pdf.objects
    root = _deref(objects, pdf.catalog.get("StructTreeRoot"))
    if root is None:
        return
    ids: dict[str, bytes] = {}
    for element in _walk(objects, root):
        role = element.get("S")
        if role == "/TH":
            row = _deref(objects, element.get("P"))
            group = _deref(objects, row.get("P")) if row is not None else None
            in_head = group is not None and group.get("S") == "/THead"
            element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = "/Column" if in_head else "/Row"
        elif role == "/TBody":
            _link_group_heading(objects, element)
        identifier = element.get("ID")
        if isinstance(identifier, pydyf.String):
            ids[identifier.string] = element.reference
    _spell_out_hidden_text(document)
    if ids:
        # A name tree's keys must be sorted; one leaf holds them all (a report has a few hundred).
        names = pydyf.Array()
        for key in sorted(ids):
            names.extend((pydyf.String(key), ids[key]))
        id_tree = pydyf.Dictionary({"Names": names})
        pdf.add_object(id_tree)
        root["IDTree"] = id_tree.reference


def _spell_out_hidden_text(document: Any) -> None:
    """Give a table cell with visually hidden words those words as its /ActualText.

    WeasyPrint keeps each cell's structure element on its box (``box.mark``) after tagging; the
    box still knows its HTML element, whose hidden children pdf.css leaves undrawn.
    """
    for page in document.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "mark", None)
            if not isinstance(element, pydyf.Dictionary) or box.element is None:
                continue
            hidden = " ".join("".join(child.itertext()).strip() for child in box.element
                              if "visually-hidden" in (child.get("class") or "").split())
            if hidden.strip():
                element["ActualText"] = pydyf.String(hidden.strip())


def _link_group_heading(objects: list[Any], body: pydyf.Dictionary) -> None:
    rows = [row for row in _children(objects, body) if row.get("S") == "/TR"]
    if not rows:
        return
    first = list(_children(objects, rows[0]))
    if len(first) != 1 or first[0].get("S") != "/TH" or not isinstance(first[0].get("ID"), pydyf.String):
        return
    heading = pydyf.String(first[0]["ID"].string)
    for row in rows[1:]:
        for cell in _children(objects, row):
            if cell.get("S") == "/TD":
                attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                attributes.setdefault("Headers", pydyf.Array()).insert(0, heading)


def _walk(objects: list[Any], element: pydyf.Dictionary) -> Iterator[pydyf.Dictionary]:
    """Every structure element under ``element``, depth first (iterative: trees can be deep)."""
    stack = list(reversed(list(_children(objects, element))))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(_children(objects, current))))


def _children(objects: list[Any], element: pydyf.Dictionary) -> Iterator[pydyf.Dictionary]:
    kids = element.get("K")
    for kid in kids if isinstance(kids, (list, tuple)) else (kids,):
        child = _deref(objects, kid)
        if child is not None and child.get("Type") == "/StructElem":
            yield child


def _deref(objects: list[Any], value: object) -> pydyf.Dictionary | None:
    """The dictionary an indirect reference (``b"12 0 R"``) points at; None for anything else."""
    if isinstance(value, pydyf.Dictionary):
        return value
    if isinstance(value, bytes) and value.endswith(b" R"):
        target = objects[int(value.split()[0])]
        return target if isinstance(target, pydyf.Dictionary) else None
    return None
