"""The search page in chromium, opened from disk (file://) under the pages' own CSP, as a reader
would use it (issue 12, item 11): whole reports searched, one result per section with a snippet
and a link to the section, English stemming, one search box, and a list of reports without
JavaScript."""
from __future__ import annotations

import re

import pytest

from conftest import LLR

REPORTS = {f"{LLR}/2014-15", f"{LLR}/2020-21", "merseyside/2013-14", "merseyside/2017-18", "cheshire/2022-23", "north-wales/2023-24"}


def search(chromium, site_server, query: str, **options) -> dict:
    context = chromium.context(**options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((site_server.root / "search" / "index.html").as_uri() + "?q=" + query.replace(" ", "+"))
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


def test_a_word_the_two_stemmers_disagree_on_is_still_found(chromium, site_server):
    """lunr.py stems "lay" to "lai", lunr.js leaves it: the index's own stems are used."""
    found = search(chromium, site_server, "lay")
    assert f"../{LLR}/2020-21/index.html#lay-adviser" in [r["href"] for r in found["results"]]
