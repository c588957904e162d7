"""Fields that reach files other programs read (robots.txt, sitemap, CSV, 404 page) cannot
change what those files say: issue 11, items 6 and 7."""
import csv
import io
import re

import pytest

from conftest import LLR, edit
from mappa_ssg import build, check
from mappa_ssg.opendata import spreadsheet_safe

SITE_YAML = "content/site.yaml"
AREA_YAML = f"content/{LLR}/area.yaml"


@pytest.mark.parametrize("url", [
    "https://example.org/mappa/\nDisallow: /",
    "https://example.org/mappa/ Disallow",
    "https://example.org/mappa/\rx",
    "ftp://example.org/",
    "https:///nohost",
    "https://example.org/?q=1",
    "https://example.org/#top",
    "https://user:secret@example.org/",
    "javascript://example.org/%0aalert(1)",
])
def test_base_url_must_be_one_absolute_web_address(project, url):
    text = (project / SITE_YAML).read_text(encoding="utf-8")
    quoted = '"' + url.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + '"'
    (project / SITE_YAML).write_text(text.replace("https://example.org/mappa/", quoted, 1), encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("base_url:"))
    errors = [str(p) for p in check(project).errors]
    assert errors == [f"{SITE_YAML}:{line}:11: base_url should be one web address like https://www.example.org/mappa/ "
                      "(http or https, a host name, no spaces, no ? or #)"], errors


def test_robots_txt_has_only_its_own_lines(project):
    result = build(project, pdf=False)
    assert result.ok
    robots = (project / "output" / "robots.txt").read_text(encoding="utf-8")
    assert robots == "User-agent: *\nAllow: /\n\nSitemap: https://example.org/mappa/sitemap.xml\n"


def test_404_page_makes_no_request_to_another_host(example_site):
    html = (example_site / "404.html").read_text(encoding="utf-8")
    # What a browser loads by itself: stylesheets, scripts, images (a canonical link is only a name).
    loaded = re.findall(r'<link rel="stylesheet" href="([^"]+)"|\bsrc="([^"]+)"', html)
    loaded = [a or b for a, b in loaded]
    assert loaded and all(url.startswith("/mappa/") for url in loaded if not url.startswith("#")), loaded
    assert '<link rel="stylesheet" href="/mappa/assets/style.css">' in html
    links = re.findall(r'<a\b[^>]*href="([^"]+)"', html)
    assert "/mappa/overview/" in links and "/mappa/search/" in links
    assert not [u for u in loaded + links if u.startswith(("http:", "https:", "//"))]


@pytest.mark.parametrize("cell, expected", [
    ("=HYPERLINK(\"http://x\",\"y\")", "'=HYPERLINK(\"http://x\",\"y\")"),
    ("+1", "'+1"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("Merseyside", "Merseyside"), ("", ""), (12, 12), (0, 0), ("not applicable", "not applicable"),
])
def test_spreadsheet_safe_cells(cell, expected):
    assert spreadsheet_safe(cell) == expected


def test_formula_in_an_area_name_is_not_a_formula_in_any_csv(project):
    edit(project / AREA_YAML, "name: Leicester", "name: =HYPERLINK(\"http://evil.example\",\"Leicester\") Leicester")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    files = [project / "output" / "data" / "mappa-statistics-all-areas.csv",
             *sorted((project / "output" / LLR).rglob("*.csv"))]
    assert len(files) == 3
    for path in files:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        names = {r["area_name"] for r in rows if r["area"] == LLR}
        assert names == {"'=HYPERLINK(\"http://evil.example\",\"Leicester\") Leicester, Leicestershire and Rutland"}, names
        # Every cell a spreadsheet would read as a formula has been neutralised; figures stay figures.
        for row in rows:
            assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in row.values()), row
            assert row["value"] == "not applicable" or row["value"].isdigit(), row
