"""Search: the index made at build time (lunr), read back. Its behaviour in a browser is in
tests/browser/test_search_page.py."""
import json
import re

from conftest import LLR, REPO
from mappa_ssg import check
from mappa_ssg.search import page_sections, plain_text


def read_index(site):
    script = (site / "search" / "index.js").read_text(encoding="utf-8")
    assert script.startswith("window.mappaSearch = ") and script.endswith(";\n")
    return json.loads(script.removeprefix("window.mappaSearch = ").removesuffix(";\n"))


def test_plain_text_drops_tags_and_unescapes():
    assert plain_text("<p>Lay <em>adviser&#x27;s</em>\n report &amp; more</p>") == "Lay adviser's report & more"


def test_page_sections_reads_each_section_of_a_report_page(example_site):
    html = (example_site / LLR / "2014-15" / "index.html").read_text(encoding="utf-8")
    sections = page_sections(html)
    assert [s[0] for s in sections][:4] == ["introduction", "what-is-mappa", "statistics", "explanation"]
    statistics = dict((i, t) for i, _, t in sections)["statistics"]
    assert "Category 1 registered sexual offenders" in statistics
    assert "1,073" in statistics


def test_every_section_is_indexed_and_national_text_once_per_edition(example_site):
    data = read_index(example_site)
    docs = data["docs"]
    urls = [d["url"] for d in docs]
    assert len(urls) == len(set(urls))
    # Area sections of every report, national text once per edition, linked to the newest
    # report of the edition.
    site = check(REPO).site
    newest = {}
    for report in sorted(site.reports, key=lambda r: (-r.year.start, r.area.name)):
        newest.setdefault(report.edition.id, report)
    for kind in ("what-is-mappa", "explanation"):
        assert sorted(u for u in urls if u.endswith("#" + kind)) == sorted(
            f"../{r.area.slug}/{r.year.label}/index.html#{kind}" for r in newest.values())
    assert len(newest) >= 2
    assert sum(u.endswith("#statistics") for u in urls) == len(site.reports) == 6
    assert f"../{LLR}/2020-21/index.html#lay-adviser" in urls
    assert data["index"]["version"] == "2.3.9" and data["index"]["fields"] == ["title", "context", "text"]
    # Stemmed terms: "offenders" is held as "offend".
    terms = [t for t, _ in data["index"]["invertedIndex"]]
    assert "offend" in terms and "offenders" not in terms


def test_search_page_lists_every_report_without_javascript_and_has_one_search_box(example_site):
    html = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    ids = ["north-wales-2023-24", "cheshire-2022-23", f"{LLR}-2020-21", "merseyside-2017-18", f"{LLR}-2014-15", "merseyside-2013-14"]
    assert re.findall(r'<li data-search-id="([^"]+)"><a href="([^"]+)"', html) == [
        (i, f"../{i[:-8]}/{i[-7:]}/index.html") for i in ids]
    assert html.count('type="search"') == 1
    assert '<script src="../assets/lunr.min.js"></script>' in html
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="search/index.html" method="get">' in home
