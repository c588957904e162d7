"""Link check over the built site: every link, image, CSV and PDF resolves from wherever output/
is copied, and nothing is fetched from outside the site (no CDN, no inline code under the CSP)."""
import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

BASE_URL = "https://example.org/mappa/"
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'")
# Attributes that make a browser fetch something, by tag.
RESOURCES = {"img": "src", "script": "src", "link": "href", "source": "src", "iframe": "src", "video": "src",
             "audio": "src", "embed": "src", "object": "data", "input": "src"}


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.resources, self.ids, self.problems, self.alternates = [], [], set(), [], []
        self.title, self.description, self.csp = "", None, None
        self._in_title = self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if "style" in a or tag == "style":
            self.problems.append(f"inline style on <{tag}>")
        if any(k.startswith("on") for k in a):
            self.problems.append(f"inline event handler on <{tag}>")
        if tag == "script" and not a.get("src"):
            self.problems.append("inline <script>")
        if tag == "title":
            self._in_title = True
        if tag == "meta" and a.get("name") == "description":
            self.description = a.get("content")
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical = a["href"]
            return
        if tag == "link" and a.get("rel") == "alternate":  # a language version: metadata, not a request
            self.alternates.append(a["href"])
            return
        if tag in RESOURCES and a.get(RESOURCES[tag]):
            self.resources.append(a[RESOURCES[tag]])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "form" and a.get("action"):
            self.links.append(a["action"])

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def check_site(site: Path) -> dict[str, int]:
    """Every problem in the built site, and counts of what was checked."""
    broken, external, other = [], [], []
    pages = {p.relative_to(site).as_posix(): parse(p) for p in sorted(site.rglob("*.html"))}
    checked = 0

    def resolve(page_path: str, link: str) -> None:
        nonlocal checked
        checked += 1
        parts = urlsplit(link)
        if link.startswith("#"):
            if parts.fragment not in pages[page_path].ids:
                broken.append(f"{page_path}: {link} (no id {parts.fragment})")
            return
        if page_path == "404.html":
            # Served at any depth: its links must start at the host's root, under base_url's path.
            if parts.scheme or parts.netloc or not link.startswith(urlsplit(BASE_URL).path):
                broken.append(f"404.html: {link} is not under base_url's path")
                return
            target = unquote(parts.path)[len(urlsplit(BASE_URL).path):]
            target = target + "index.html" if target == "" or target.endswith("/") else target
        else:
            assert not parts.scheme and not link.startswith("/"), f"{page_path}: {link}"
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path))) if parts.path else page_path
        if not (site / target).is_file():
            broken.append(f"{page_path}: {link}")
        elif parts.fragment and target.endswith(".html") and parts.fragment not in pages[target].ids:
            broken.append(f"{page_path}: {link} (no id {parts.fragment})")

    for path, page in pages.items():
        other += [f"{path}: {p}" for p in page.problems]
        if page.csp != CSP:
            other.append(f"{path}: Content-Security-Policy is {page.csp!r}")
        for resource in page.resources:
            if urlsplit(resource).scheme in ("http", "https") or resource.startswith("//"):
                external.append(f"{path}: {resource}")
                continue
            resolve(path, resource)
        for link in page.alternates:  # full addresses under base_url, of pages that exist
            if not link.startswith(BASE_URL) or not (site / link[len(BASE_URL):] / "index.html").is_file():
                broken.append(f"{path}: alternate {link}")
        for link in page.links:
            if link.startswith(("mailto:", "tel:")) or urlsplit(link).scheme in ("http", "https"):
                continue  # leaving the site by a reader's choice is not a request the page makes
            resolve(path, link)
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(([^)]*)\)|@import", css.read_text(encoding="utf-8")):
            external.append(f"{css.name}: url({url})")
    for svg in site.rglob("*.svg"):
        external += [f"{svg.name}: {h}" for h in re.findall(r'href="(?!#)([^"]*)"', svg.read_text(encoding="utf-8"))]
    assert broken == [] and external == [] and other == [], (broken, external, other)
    return {"pages": len(pages), "links": checked}


def test_zero_broken_links_and_zero_external_requests(example_site):
    counts = check_site(example_site)
    assert counts["pages"] >= 11 and counts["links"] > 100


def test_site_works_from_any_sub_path(example_site, tmp_path):
    copy = tmp_path / "any" / "host" / "path"
    shutil.copytree(example_site, copy)
    check_site(copy)


def test_link_check_finds_a_broken_link(example_site, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(example_site, copy)
    (copy / "data" / "mappa-statistics-all-areas.csv").unlink()
    with pytest.raises(AssertionError, match="mappa-statistics-all-areas.csv"):
        check_site(copy)


def test_every_page_has_its_own_title_and_description(example_site):
    pages = {p.relative_to(example_site).as_posix(): parse(p) for p in example_site.rglob("*.html")}
    titles = [p.title for p in pages.values()]
    assert len(set(titles)) == len(titles), titles
    assert all(p.description for p in pages.values())
    assert pages["overview/index.html"].title.startswith("National overview")
    assert pages["leicester-leicestershire-and-rutland/2020-21/index.html"].canonical == \
        BASE_URL + "leicester-leicestershire-and-rutland/2020-21/"


# -- relative links worked out on the strings (render.relative) ------------------------------
from hypothesis import given, strategies as st  # noqa: E402

from mappa_ssg.render import relative  # noqa: E402

_PART = st.sampled_from(["a", "b", "2014-15", "cy", "index.html", ".", "..", ""])


@given(st.lists(_PART, max_size=4).map("/".join), st.lists(_PART, max_size=4).map("/".join), st.booleans())
def test_relative_links_are_what_posixpath_relpath_gives(page, target, absolute):
    page = ("/" + page) if absolute else page
    assert relative.__wrapped__(page, target or "index.html") == posixpath.relpath(target or "index.html", posixpath.dirname(page) or ".")
