"""The PDFs, read back: every seed figure in the text, page numbers, metadata."""
import re

import pytest
from pypdf import PdfReader

from conftest import LLR
from seed_figures import SEEDS, shown


def pdf_path(site, area, year):
    return site / area / year / f"{area}-mappa-annual-report-{year}.pdf"


def pdf_text(path) -> str:
    reader = PdfReader(path)
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("area, year", list(SEEDS))
def test_every_figure_row_appears_in_pdf_text(example_site, area, year):
    text = re.sub(r"[ \t]+", " ", pdf_text(pdf_path(example_site, area, year)))
    for table_id, rows in SEEDS[(area, year)].items():
        for _, label, cells in rows:
            figures = " ".join(shown(c) for c in cells)
            # A row reads as its label, then its figures in order, on one line.
            assert re.search(re.escape(label.split(" ")[-1]) + r"\s*" + re.escape(figures), text), (table_id, label, figures)


def test_pdf_has_page_numbers_dates_and_share(example_site):
    path = pdf_path(example_site, LLR, "2014-15")
    reader = PdfReader(path)
    n = len(reader.pages)
    assert n >= 6
    text = pdf_text(path)
    assert f"Page 2 of {n}" in text and f"Page {n} of {n}" in text
    assert "Page 1 of" not in text  # no footer on the cover
    assert "99% of them this year" in re.sub(r"\s+", " ", text)
    assert "1 April 2014 to 31 March 2015" in re.sub(r"\s+", " ", text)
    assert reader.metadata.title == "Leicester, Leicestershire and Rutland MAPPA annual report 2014-15"


REPORTS = [(LLR, "2014-15"), (LLR, "2020-21"), ("merseyside", "2013-14")]


def section_titles(area, year) -> list[str]:
    from mappa_ssg import check
    from conftest import REPO

    site = check(REPO).site
    report = next(r for r in site.reports if r.area.slug == area and r.year.label == year)
    return [s.title for s in report.sections]


@pytest.mark.parametrize("area, year", REPORTS)
def test_contents_page_numbers_lead_to_each_section(example_site, area, year):
    reader = PdfReader(pdf_path(example_site, area, year))
    contents = reader.pages[1].extract_text()
    for title in section_titles(area, year):
        match = re.search(re.escape(title) + r"[ .]*?(\d+)\n", contents)
        assert match, f"{title!r} not in the contents page"
        page = int(match.group(1))
        # The section's heading is the first text on its page under the running header, or
        # (for a section that follows on) somewhere on that page.
        assert title in reader.pages[page - 1].extract_text(), (title, page)


@pytest.mark.parametrize("area, year", REPORTS)
def test_one_outline_entry_per_section_in_order(example_site, area, year):
    reader = PdfReader(pdf_path(example_site, area, year))
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top_level == section_titles(area, year)


@pytest.mark.parametrize("area, year", REPORTS)
def test_running_header_and_footer_on_every_page_but_the_cover(example_site, area, year):
    reader = PdfReader(pdf_path(example_site, area, year))
    name = "Merseyside" if area == "merseyside" else "Leicester, Leicestershire and Rutland"
    n = len(reader.pages)
    cover = reader.pages[0].extract_text()
    # The cover's title, spelled as everywhere else (issue 12, item 10); no running header.
    assert "Page 1" not in cover and re.sub(r"\s+", " ", cover).count(f"MAPPA annual report {year}") == 1
    for number, page in enumerate(reader.pages[1:], start=2):
        text = page.extract_text()
        assert f"{name} MAPPA annual report {year}" in text.replace("\n", " "), number
        assert f"Page {number} of {n}" in text, number


@pytest.mark.parametrize("area, year", REPORTS)
def test_metadata_title_author_subject_keywords_dates(example_site, area, year):
    meta = PdfReader(pdf_path(example_site, area, year)).metadata
    name = "Merseyside" if area == "merseyside" else "Leicester, Leicestershire and Rutland"
    assert meta.title == f"{name} MAPPA annual report {year}"
    assert meta.author == f"{name} MAPPA Strategic Management Board"
    assert meta.subject.startswith("The ") and f"MAPPA annual report for {name}, covering 1 April" in meta.subject
    assert meta.get("/Keywords") == f"MAPPA, annual report, {name}, {year}, public protection"
    assert meta.get("/Creator", "").startswith("mappa-ssg ")
    assert re.fullmatch(r"D:\d{14}Z", meta.get("/CreationDate")) and meta.get("/ModDate") == meta.get("/CreationDate")
