"""The report's publication date and its one spelling of the title (issue 12, item 10)."""
import re
import subprocess

import pytest
from pypdf import PdfReader

from conftest import LLR, edit
from mappa_ssg import check
from test_pdf import pdf_path

REPORT_2014 = f"content/{LLR}/2014-15/report.yaml"
REPORTS = [(LLR, "2014-15", "29 October 2015"), (LLR, "2020-21", "28 October 2021"), ("merseyside", "2013-14", "30 October 2014")]


@pytest.mark.parametrize("area, year, published", REPORTS)
def test_publication_date_on_the_report_page_and_the_pdf_cover(example_site, area, year, published):
    html = (example_site / area / year / "index.html").read_text(encoding="utf-8")
    iso = re.search(r'<p class="published">Published <time datetime="(\d{4}-\d{2}-\d{2})">([^<]+)</time></p>', html)
    assert iso and iso.group(2) == published
    cover = PdfReader(pdf_path(example_site, area, year)).pages[0].extract_text()
    assert f"Published {published}" in cover


def test_a_publication_date_before_the_reporting_year_or_not_a_date_is_an_error(project):
    path = project / REPORT_2014
    edit(path, "publication_date: 2015-10-29", "publication_date: 2014-03-31")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("publication_date"))
    assert [str(p) for p in check(project).problems] == [
        f"{REPORT_2014}:{line}:19: publication_date 2014-03-31 is before the reporting year 2014-15 began (1 April 2014): "
        "a report is published during or after its year"]
    edit(path, "publication_date: 2014-03-31", "publication_date: October 2015")
    assert [str(p) for p in check(project).problems] == [
        f'{REPORT_2014}:{line}:19: publication_date should be a date like 2015-10-31, not "October 2015"']


def test_without_a_publication_date_nothing_is_shown(project):
    edit(project / REPORT_2014, "publication_date: 2015-10-29\n", "")
    result = check(project)
    assert result.ok
    report = next(r for r in result.site.reports if r.year.label == "2014-15")
    assert report.publication_date is None and report.publication_date_text == ""


@pytest.mark.parametrize("area, year, published", REPORTS)
def test_the_title_is_spelled_one_way_on_the_page_in_the_pdf_and_its_metadata(example_site, area, year, published):
    short = f"MAPPA annual report {year}"
    html = (example_site / area / year / "index.html").read_text(encoding="utf-8")
    name = re.search(r'<p class="kicker">([^<]+)</p>', html).group(1)
    assert re.search(r"<title>([^<]+) – ", html).group(1) == f"{name} {short}"
    assert re.search(r"<h1>([^<]+)</h1>", html).group(1) == short
    path = pdf_path(example_site, area, year)
    reader = PdfReader(path)
    assert reader.metadata.title == f"{name} {short}"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    assert re.sub(r"\s+", " ", pages[0]).count(short) == 1  # the cover
    assert all(short in page.splitlines()[:3] for page in pages[1:])  # the running header
    spellings = set(re.findall(r"MAPPA annual reports?|MAPPA Annual Reports?", text + html, re.I))
    assert {s for s in spellings if s.lower() == "mappa annual report"} == {"MAPPA annual report"}, spellings
