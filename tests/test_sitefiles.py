"""Files a static host needs: sitemap.xml, robots.txt, 404.html, and the accessibility statement."""
import re

import pytest
import xml.etree.ElementTree as ET

from conftest import edit
from mappa_ssg import check
from mappa_ssg.sitefiles import page_url, robots_txt, sitemap_xml

BASE = "https://example.org/mappa/"
SITE_YAML = "content/site.yaml"


def test_page_urls_end_folders_with_a_slash():
    assert page_url(BASE, "index.html") == BASE
    assert page_url(BASE, "merseyside/2013-14/index.html") == BASE + "merseyside/2013-14/"
    assert page_url(BASE, "404.html") == BASE + "404.html"


def test_sitemap_lists_every_page_but_the_404_in_order():
    xml = sitemap_xml(BASE, ["b/index.html", "index.html", "404.html", "a/x.csv", "a/index.html"])
    locs = [e.text for e in ET.fromstring(xml).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == [BASE, BASE + "a/", BASE + "b/"]


def test_robots_points_to_the_sitemap():
    assert robots_txt(BASE) == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_built_sitemap_has_every_html_page(example_site):
    pages = {p.relative_to(example_site).as_posix() for p in example_site.rglob("*.html")} - {"404.html"}
    xml = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert sorted(re.findall(r"<loc>([^<]+)</loc>", xml)) == sorted(page_url(BASE, p) for p in pages)
    assert (example_site / "robots.txt").read_text().endswith(f"Sitemap: {BASE}sitemap.xml\n")


def test_404_page_links_start_at_the_host_root_so_it_works_at_any_depth(example_site):
    html = (example_site / "404.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'(?:href|src|action)="([^"]+)"', html)
    assert 'href="/mappa/assets/style.css"' in html
    assert [h for h in hrefs if not h.startswith(("/mappa/", "#", BASE + "404.html"))] == []  # canonical: a name
    assert "<h1>Page not found</h1>" in html


def test_accessibility_statement_comes_from_site_yaml(example_site):
    html = (example_site / "accessibility" / "index.html").read_text(encoding="utf-8")
    assert "partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA" in html
    assert "last checked for accessibility on 2025-03-31" in html
    assert "<li>The charts are pictures whose labels a screen reader cannot reach;" in html
    assert 'href="mailto:mappa-site@example.org"' in html and "telephone 0100 000 0000" in html
    assert 'href="../accessibility/index.html">Accessibility statement</a>' in \
        (example_site / "overview" / "index.html").read_text(encoding="utf-8")


def test_accessibility_settings_are_checked_with_positions(project):
    edit(project / SITE_YAML, "status: partial ", "status: partly  ")
    edit(project / SITE_YAML, "reviewed: 2025-03-31", "reviewed: 31/03/2025")
    edit(project / SITE_YAML, "  contact_phone:", "  colour: blue\n  contact_phone:")
    lines = (project / SITE_YAML).read_text().splitlines()
    at = {key: next(i for i, line in enumerate(lines, 1) if line.strip().startswith(key + ":")) for key in ("status", "reviewed", "colour")}
    errors = [str(p) for p in check(project).errors]
    assert errors == [
        f'{SITE_YAML}:{at["status"]}:11: accessibility.status should be one of full, partial, not, not "partly" (did you mean "partial"?)',
        f'{SITE_YAML}:{at["reviewed"]}:13: accessibility.reviewed should be a date like 2025-03-31, not "31/03/2025"',
        f'{SITE_YAML}:{at["colour"]}:3: accessibility: unknown key "colour"',
    ]


@pytest.mark.parametrize("value", ["https://[example.org/mappa/", "https://example.org]/", "http://[::1/"])
def test_a_base_url_with_an_unmatched_bracket_is_refused_not_a_traceback(value):
    # urllib reads "[" as the start of an IPv6 address and raises ValueError when it never closes
    # (found by tests/test_fuzz.py).
    from mappa_ssg.sitefiles import is_base_url

    assert is_base_url(value) is False


def test_every_page_names_its_own_icon_so_a_browser_never_asks_the_host_root(example_site):
    """Without <link rel="icon"> a browser asks for /favicon.ico at the host's root: a 404 for a
    site published under a sub-path (CI caught Chromium doing it). Every page names the site's
    own icon, relative to itself (the 404 page from base_url's path), and the file is there."""
    from urllib.parse import urljoin, urlsplit

    pages = sorted(p for p in example_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        relative = page.relative_to(example_site).as_posix()
        icons = re.findall(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.read_text(encoding="utf-8"))
        assert len(icons) == 1, relative
        target = urlsplit(urljoin(BASE + relative, icons[0])).path
        assert target.startswith(urlsplit(BASE).path), (relative, icons[0])
        assert (example_site / target[len(urlsplit(BASE).path):]).is_file(), (relative, icons[0])
    svg = (example_site / "assets" / "favicon.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "<script" not in svg
