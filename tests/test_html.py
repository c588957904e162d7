"""The built HTML, parsed: every seed figure in its cell, accessible tables, relative links."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import LLR
from htmltables import read_tables
from seed_figures import SEEDS, shown


def report_html(site: Path, area: str, year: str) -> str:
    return (site / area / year / "index.html").read_text(encoding="utf-8")


def test_pages_exist(example_site):
    expected = {"index.html", f"{LLR}/index.html", "merseyside/index.html", f"{LLR}/2014-15/index.html",
                f"{LLR}/2020-21/index.html", "merseyside/2013-14/index.html"}
    pages = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")}
    assert expected <= pages
    assert len(list(example_site.rglob("*.pdf"))) == 7  # six reports, one also in Welsh


@pytest.mark.parametrize("area, year", list(SEEDS))
def test_every_seed_figure_is_in_the_right_cell(example_site, area, year):
    tables = read_tables(report_html(example_site, area, year))
    for table_id, rows in SEEDS[(area, year)].items():
        table = tables[f"table-{table_id}"]
        group = None
        body = []
        for row in table["rows"]:
            if len(row) == 1 and row[0].attrs.get("scope") == "rowgroup":
                group = row[0].text.strip()
                continue
            if row[0].attrs.get("scope") == "col":
                continue
            body.append((group, row[0].text.strip(), [c.text.strip() for c in row[1:]]))
        assert body == [(g, label, [shown(c) for c in cells]) for g, label, cells in rows], table_id


def test_table_markup_is_accessible(example_site):
    tables = read_tables(report_html(example_site, LLR, "2014-15"))
    eligible = tables["table-eligible"]
    assert eligible["caption"] == "MAPPA-eligible offenders on 31 March 2015"
    header = eligible["rows"][0]
    assert [c.attrs.get("scope") for c in header] == ["col"] * 5
    # A label is set as its name over its description ("Category 1" / "registered sexual offenders").
    assert [c.text for c in header][1:] == ["Category 1 registered sexual offenders", "Category 2 violent offenders",
                                             "Category 3 other dangerous offenders", "Total"]
    for row in eligible["rows"][1:]:
        assert row[0].tag == "th" and row[0].attrs.get("scope") == "row"
    na = eligible["rows"][1][3]
    assert na.text.strip() == "-" and "not applicable" in na.full


@pytest.mark.parametrize("area, year", list(SEEDS))
def test_a_table_with_a_dash_has_a_key_saying_what_it_means(example_site, area, year):
    """Item 8 of issue 12: "-" was never explained. The key follows each table that has one, only those."""
    html = report_html(example_site, area, year)
    key = '<p class="table-key"><span class="key-symbol">-</span> not applicable: '
    tables = {i: t for i, t in read_tables(html).items() if i.startswith("table-")}
    assert len(tables) >= 6
    for table_id, table in tables.items():
        has_dash = any(c.tag == "td" and c.text.strip() == "-" for row in table["rows"] for c in row)
        after = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[1].lstrip().removeprefix("</div>").lstrip()
        assert after.startswith(key) == has_dash, (table_id, after[:120])


def test_level_1_share_and_dates_are_derived(example_site):
    html = report_html(example_site, LLR, "2014-15")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "99% of them this year" in text
    assert "x%" not in text
    assert "31 March 2015" in text and "1 April 2014 to 31 March 2015" in text
    assert "14th annual report" in text
    later = re.sub(r"<[^>]+>", " ", report_html(example_site, LLR, "2020-21"))
    assert "31 March 2021" in later and "31 March 2020" not in later  # the seed's copy-paste slip cannot happen
    assert "20th annual report" in re.sub(r"\s+", " ", later)


def test_sections_in_order_with_kinds(example_site):
    html = report_html(example_site, LLR, "2020-21")
    ids = re.findall(r'<section class="section section-([\w-]+)" id="([\w-]+)"', html)
    assert [i for _, i in ids][:4] == ["introduction", "what-is-mappa", "statistics", "explanation"]
    kinds = {kind for kind, _ in ids}
    assert {"case-study", "lay-adviser", "objectives", "useful-links"} <= kinds
    assert html.count('class="signature"') >= 4  # three signatories and the lay adviser


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") == "canonical"):
                self.links.append(a[key])


def test_internal_links_are_relative_and_resolve(example_site):
    for page in example_site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if link.startswith(("http://", "https://", "mailto:", "tel:")):
                continue
            if page.name == "404.html" and page.parent == example_site:
                continue  # served at any address: its links start at the host's root (test_sitefiles.py)
            assert not link.startswith("/"), f"{page}: absolute link {link}"
            target = link.split("#")[0]
            if target:
                assert (page.parent / target).resolve().exists(), f"{page}: broken link {link}"


def test_pdf_is_linked_from_report_page(example_site):
    html = report_html(example_site, "merseyside", "2013-14")
    assert 'href="merseyside-mappa-annual-report-2013-14.pdf"' in html
