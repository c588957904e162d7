"""How the PDFs break into pages (issue 12, item 9), read back from every example PDF.

Page 5 of every PDF held only a two-line spill-over of "What is MAPPA?", and a chart sat on one
page with its table on the next. Checked here: no near-empty page (but the cover, the contents
and the last page), no heading left at the foot of a page, and each chart with its table.
"""
from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest

from test_pdf import REPORTS, pdf_path

MIN_LINES = 12  # lines of text on every page but the cover, the contents and the last
HEADINGS = ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/Caption")


def page_texts(path) -> list[str]:
    """Each page's text, without the running header (area, then "MAPPA annual report YEAR")
    and the "Page n of N" footer."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in text.split("\f")[:-1]:
        lines = page.splitlines()
        header = next((i for i, line in enumerate(lines[:4]) if re.fullmatch(r"MAPPA annual report \d{4}-\d{2}", line)), None)
        if header is not None:
            del lines[: header + 1]
        pages.append("\n".join(line for line in lines if not re.fullmatch(r"Page \d+ of \d+", line)))
    return pages


def body_lines(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.strip()]


@pytest.mark.parametrize("area, year", REPORTS)
def test_no_page_is_near_empty(example_site, area, year):
    pages = page_texts(pdf_path(example_site, area, year))
    short = {n: body_lines(text) for n, text in enumerate(pages, start=1)
             if 2 < n < len(pages) and len(body_lines(text)) < MIN_LINES}
    assert not short, short


def content_pages(pdf: pikepdf.Pdf) -> list[tuple[str, int]]:
    """(structure type, page number) of every tagged element that holds content, in reading order."""
    number = {page.obj.objgen: n for n, page in enumerate(pdf.pages, start=1)}
    found: list[tuple[str, int]] = []

    def walk(element, inherited: int) -> None:
        page = number.get(element.Pg.objgen, inherited) if "/Pg" in element else inherited
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        if any(isinstance(k, int) or (isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR") for k in kids):
            found.append((str(element.S), page))
        for kid in kids:
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                walk(kid, page)

    walk(pdf.Root.StructTreeRoot.K[0] if isinstance(pdf.Root.StructTreeRoot.K, pikepdf.Array) else pdf.Root.StructTreeRoot.K, 0)
    return found


@pytest.mark.parametrize("area, year", REPORTS)
def test_no_heading_is_left_at_the_foot_of_a_page(example_site, area, year):
    """What follows a heading or a caption in reading order starts on the heading's page."""
    with pikepdf.open(pdf_path(example_site, area, year)) as pdf:
        items = content_pages(pdf)
    assert len(items) > 100
    orphans = [(kind, page, following) for (kind, page), (_, following) in zip(items, items[1:])
               if kind in HEADINGS and following != page]
    assert not orphans, orphans


@pytest.mark.parametrize("area, year", REPORTS)
def test_each_chart_is_on_the_page_of_its_table(example_site, area, year):
    pages = page_texts(pdf_path(example_site, area, year))
    flat = [re.sub(r"\s+", " ", page) for page in pages]
    web_page = (example_site / area / year / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r'<caption class="visually-hidden" id="caption-chart-[^"]+">([^<]+): the figures in the chart</caption>', web_page)
    for title in charts:
        with_caption = [n for n, page in enumerate(flat, 1) if re.search(re.escape(title) + r", \d{4}-\d{2} to \d{4}-\d{2}", page)]
        with_table = [n for n, page in enumerate(flat, 1) if f"{title}: the figures in the chart" in page]
        assert with_caption == with_table and len(with_table) == 1, (title, with_caption, with_table)
    assert len(charts) == (2 if year == "2020-21" else 0)  # an area's second report has charts
