"""Read HTML tables back into rows of text, with a real HTML parser (the standard library's)."""
from __future__ import annotations

from html.parser import HTMLParser


class Cell:
    def __init__(self, tag: str, attrs: dict[str, str | None]):
        self.tag = tag
        self.attrs = attrs
        self.text = ""
        self.hidden_depth = 0


class TableReader(HTMLParser):
    """Collects every <table id=...>: caption and rows of (tag, visible text, attrs, full text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.table: dict | None = None
        self.row: list | None = None
        self.cell: Cell | None = None
        self.in_caption = False
        self.hidden = 0
        self.aria_hidden = 0
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self.table = {"caption": "", "rows": [], "attrs": a}
            self.tables[a.get("id") or f"table{len(self.tables)}"] = self.table
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tr" and self.table is not None:
            self.row = []
            self.table["rows"].append(self.row)
        elif tag in ("th", "td") and self.row is not None:
            self.cell = Cell(tag, a)
            self.cell.full = ""
            self.row.append(self.cell)
        elif tag == "span" and self.cell is not None:
            self.stack.append(("hidden" if "visually-hidden" in (a.get("class") or "") else "aria" if a.get("aria-hidden") == "true" else "span"))

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = None
        elif tag == "caption":
            self.in_caption = False
        elif tag in ("th", "td"):
            self.cell = None
        elif tag == "span" and self.cell is not None and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if self.in_caption and self.table is not None:
            self.table["caption"] += data
        elif self.cell is not None:
            self.cell.full += data
            if "hidden" not in self.stack:
                self.cell.text += data


def read_tables(html: str) -> dict[str, dict]:
    reader = TableReader()
    reader.feed(html)
    return reader.tables
