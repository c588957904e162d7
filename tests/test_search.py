"""Search: a static index of every report; the search page lists all reports without JavaScript
and filters them with it (checked in Debian's Chromium, under the pages' CSP, from disk)."""
import json
import re
import subprocess

import pytest

from conftest import LLR
from mappa_ssg.search import words

CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by .ci/run


def test_words_are_distinct_sorted_and_lower_case():
    assert words("Lay Adviser's report", "the lay adviser") == "adviser adviser's lay report the"


def test_index_has_every_report_and_page_lists_them_without_javascript(example_site):
    script = (example_site / "search" / "index.js").read_text(encoding="utf-8")
    assert script.startswith("window.mappaSearchIndex = ") and script.endswith(";\n")
    index = json.loads(script.removeprefix("window.mappaSearchIndex = ").removesuffix(";\n"))
    ids = [e["id"] for e in index]
    assert ids == ["north-wales-2023-24", "cheshire-2022-23", f"{LLR}-2020-21", "merseyside-2017-18", f"{LLR}-2014-15", "merseyside-2013-14"]
    html = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'<li data-search-id="([^"]+)"><a href="([^"]+)"', html) == [
        (i, f"../{i[:-8]}/{i[-7:]}/index.html") for i in ids]
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="search/index.html" method="get">' in home


@pytest.mark.parametrize("query, shown", [("lay adviser", ["cheshire-2022-23", f"{LLR}-2020-21"]),
                                          ("merseyside", ["merseyside-2017-18", "merseyside-2013-14"]),
                                          ("nothingmatchesthis", [])])
def test_search_filters_reports_in_a_real_browser(example_site, query, shown):
    url = (example_site / "search" / "index.html").as_uri() + "?q=" + query.replace(" ", "+")
    dom = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=3000",
                          "--dump-dom", url], capture_output=True, text=True, timeout=60).stdout
    visible = re.findall(r'<li data-search-id="([^"]+)">', dom)  # hidden items carry hidden=""
    assert visible == shown
    status = re.search(r'<p id="search-status" role="status">([^<]*)</p>', dom).group(1)
    assert status == (f"No report contains every word of “{query}”." if not shown else
                      f"1 report contains “{query}”." if len(shown) == 1 else f"{len(shown)} reports contain “{query}”.")
