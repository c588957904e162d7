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
