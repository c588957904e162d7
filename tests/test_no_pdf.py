"""`mappa build --no-pdf` after a full build: no "Download this report as a PDF" link may break.

A PDF whose inputs are unchanged is kept from the previous output; a report whose PDF would be
out of date (or was never made) has no PDF link until the next full build.
"""
from html.parser import HTMLParser

from conftest import LLR, edit
from mappa_ssg import build

PDF_LINK_TEXT = "Download this report as a PDF"


class PdfLinks(HTMLParser):
    """The href of every link whose text offers the PDF."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self._href: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None

    def handle_data(self, data):
        if self._href is not None and PDF_LINK_TEXT in data:
            self.links.append(self._href)


def pdf_links(output):
    """(page, target) of every PDF link in the output."""
    found = []
    for page in sorted(output.rglob("*.html")):
        found += [(page, page.parent / href) for href in PdfLinks(page.read_text(encoding="utf-8")).links]
    return found


def test_no_pdf_after_a_full_build_keeps_every_pdf_link_working(project):
    output = project / "output"
    assert build(project, pdf=True, jobs=1).ok
    links = pdf_links(output)
    every = len(list(output.glob("*/*/index.html")))
    assert len(links) == every > 1 and all(target.is_file() for _, target in links)
    pdfs = {p.relative_to(output): p.read_bytes() for p in output.rglob("*.pdf")}

    result = build(project, pdf=False)
    assert result.ok
    assert all(target.is_file() for _, target in pdf_links(output)) and len(pdf_links(output)) == every
    assert {p.relative_to(output): p.read_bytes() for p in output.rglob("*.pdf")} == pdfs  # the very same files

    # One report changes: its old PDF would be out of date, so its page offers none until PDFs are made.
    edit(project / f"content/{LLR}/2020-21/introduction.md", "MAPPA", "MAPPA (changed)")
    assert build(project, pdf=False).ok
    links = pdf_links(output)
    assert all(target.is_file() for _, target in links)
    offered = {page.parent.relative_to(output).as_posix() for page, _ in links}
    assert len(offered) == every - 1 and f"{LLR}/2020-21" not in offered
    assert not (output / LLR / "2020-21" / f"{LLR}-mappa-annual-report-2020-21.pdf").exists()

    # A full build brings every PDF and link back.
    assert build(project, pdf=True, jobs=1).ok
    assert len(pdf_links(output)) == every and all(target.is_file() for _, target in pdf_links(output))


def test_no_pdf_into_a_new_folder_offers_no_pdf(project, tmp_path):
    assert build(project, tmp_path / "fresh", pdf=False).ok
    assert pdf_links(tmp_path / "fresh") == [] and not list((tmp_path / "fresh").rglob("*.pdf"))
