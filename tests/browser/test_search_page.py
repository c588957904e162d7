"""The search page in chromium, opened from disk (file://) under the pages' own CSP, as a reader
would use it (issue 12, item 11): whole reports searched, one result per section with a snippet
and a link to the section, English stemming, one search box, and a list of reports without
JavaScript."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import LLR

REPORTS = {f"{LLR}/2014-15", f"{LLR}/2020-21", "merseyside/2013-14", "merseyside/2017-18", "cheshire/2022-23", "north-wales/2023-24"}


def search(chromium, site_server, query: str, root: Path | None = None, **options) -> dict:
    """Open the search page of ``root`` (default: the example site) with ``?q=query``."""
    root = root or site_server.root
    context = chromium.context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((root / "search" / "index.html").as_uri() + "?q=" + query.replace(" ", "+"))
    found = page.evaluate("""() => ({
        status: document.getElementById('search-status').textContent,
        results: [...document.querySelectorAll('#search-results:not([hidden]) li')].map(li => ({
            href: li.querySelector('a').getAttribute('href'), title: li.querySelector('a').textContent,
            context: li.querySelector('.meta').textContent, snippet: li.querySelector('.snippet').textContent,
            marked: [...li.querySelectorAll('.snippet mark')].map(m => m.textContent)})),
        reports: [...document.querySelectorAll('#search-reports:not([hidden]) li a')].map(a => a.getAttribute('href')),
        boxes: document.querySelectorAll('input[type=search]').length})""")
    context.close()
    found["errors"] = errors
    return found


def report_of(href: str) -> str:
    return re.sub(r"^\.\./|/index\.html(#.*)?$", "", href)


def test_a_word_in_every_report_finds_every_report_section_by_section(chromium, site_server):
    """"sexual" found 1 of 3 reports: only area-written text was indexed."""
    found = search(chromium, site_server, "sexual")
    assert not found["errors"], found["errors"]
    assert {report_of(r["href"]) for r in found["results"]} == REPORTS
    assert found["reports"] == []  # the list of reports gives way to the results
    statistics = [r for r in found["results"] if r["href"].endswith("#statistics")]
    assert len(statistics) == len(REPORTS) and all(r["title"] == "MAPPA statistics" for r in statistics)
    for result in found["results"]:
        assert result["marked"] and all(m.lower().startswith("sexual") for m in result["marked"]), result
        assert result["snippet"] and len(result["snippet"].split()) <= 40
    assert re.fullmatch(r"\d+ sections contain every word of “sexual”\.", found["status"])


def test_each_result_links_to_its_section(chromium, site_server):
    found = search(chromium, site_server, "lay adviser")
    hrefs = [r["href"] for r in found["results"]]
    assert f"../{LLR}/2020-21/index.html#lay-adviser" in hrefs
    for href in hrefs:
        page, anchor = href.removeprefix("../").split("#")
        html = (site_server.root / page).read_text(encoding="utf-8")
        assert f'<section class="section section-' in html and f'id="{anchor}"' in html, href


@pytest.mark.parametrize("query, same_as", [("offenders", "offender"), ("managing", "managed")])
def test_words_are_matched_by_their_stem(chromium, site_server, query, same_as):
    one, other = search(chromium, site_server, query), search(chromium, site_server, same_as)
    assert one["results"] and [r["href"] for r in one["results"]] == [r["href"] for r in other["results"]]


def test_national_text_is_found_once_per_edition(chromium, site_server):
    found = search(chromium, site_server, "ViSOR")
    national = [r for r in found["results"] if r["href"].endswith("#what-is-mappa")]
    assert 2 <= len(national) < len(REPORTS)  # once per edition, not once per report
    assert all(r["context"].startswith("National text of the template") for r in national)


def test_no_match_and_too_common_words_say_so(chromium, site_server):
    nothing = search(chromium, site_server, "nothingmatchesthis")
    assert nothing["results"] == [] and nothing["status"] == "No section of any report contains every word of “nothingmatchesthis”."
    common = search(chromium, site_server, "the")
    assert common["results"] == [] and len(common["reports"]) == len(REPORTS)


def test_without_javascript_the_page_lists_every_report_and_one_search_box(chromium, site_server):
    found = search(chromium, site_server, "sexual", java_script_enabled=False)
    assert {report_of(h) for h in found["reports"]} == REPORTS
    assert found["results"] == [] and found["boxes"] == 1


def test_every_page_has_one_search_box(chromium, site_server):
    context = chromium.context()
    page = context.new_page()
    counts = {}
    for relative in site_server.pages():
        page.goto(site_server.url(relative))
        counts[relative] = page.locator("input[type=search]").count()
    context.close()
    assert set(counts.values()) == {1}, counts


def test_a_word_the_two_stemmers_disagreed_on_is_found(chromium, site_server):
    """lunr.py stemmed "lay" to "lai" for the index, lunr.js leaves it: the browser now stems the
    sections and the query with one stemmer."""
    found = search(chromium, site_server, "lay")
    assert f"../{LLR}/2020-21/index.html#lay-adviser" in [r["href"] for r in found["results"]]


def site_with_sections(site_server, folder: Path, docs: list[dict]) -> Path:
    """The example site's search page and assets, with ``docs`` as the sections to search."""
    shutil.copytree(site_server.root / "assets", folder / "assets")
    (folder / "search").mkdir()
    shutil.copy(site_server.root / "search" / "index.html", folder / "search" / "index.html")
    (folder / "search" / "index.js").write_text("window.mappaSearch = " + json.dumps({"docs": docs}) + ";\n", encoding="utf-8")
    return folder


def section(n: int, title: str, text: str, context: str = "A report") -> dict:
    return {"url": f"../r/index.html#s{n}", "title": title, "context": context, "text": text}


def test_results_hold_every_word_ranked_with_title_and_report_name_counting_more(chromium, site_server, tmp_path):
    filler = " ".join(["words"] * 60)
    root = site_with_sections(site_server, tmp_path, [
        section(0, "Family", "The offender found housing with the family of the offender; another offender too."),
        section(1, "Offenders", "Housing was found."),
        section(2, "Other", f"An offender and housing, among {filler}."),
        section(3, "Offenders", "No word of the second kind here."),
        section(4, "Other", "Housing, once.", context="Offender report"),
        section(5, "Other", f"An offender, housing, {filler} and another offender."),
    ])
    found = search(chromium, site_server, "offenders housing", root=root)
    assert not found["errors"], found["errors"]
    # Section 3 lacks "housing"; a word in the title counts most, then in the report's name,
    # then many times in a short text, then in a long text; twice in a long text beats once.
    assert [r["href"][-2:] for r in found["results"]] == ["s1", "s4", "s0", "s5", "s2"]
    assert found["status"] == "5 sections contain every word of “offenders housing”."
    assert found["results"][2]["marked"] == ["offender", "housing", "offender;", "offender"]


def test_a_hyphenated_word_is_found_and_marked_by_either_part(chromium, site_server, tmp_path):
    root = site_with_sections(site_server, tmp_path, [section(0, "Working together", "A multi-agency panel met.")])
    found = search(chromium, site_server, "agencies", root=root)
    assert [r["marked"] for r in found["results"]] == [["multi-agency"]]
    assert search(chromium, site_server, "the of", root=root)["results"] == []


def test_a_site_with_no_report_yet_searches_nothing_without_error(chromium, site_server, tmp_path):
    found = search(chromium, site_server, "sexual", root=site_with_sections(site_server, tmp_path, []))
    assert not found["errors"], found["errors"]
    assert found["results"] == [] and found["status"] == "No section of any report contains every word of “sexual”."
