"""The files a static host and search engines look for: sitemap.xml, robots.txt, 404.html.

Pure functions of the site's settings and the list of pages, so they are deterministic (no
dates: a sitemap ``lastmod`` would change on every build).
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


BASE_URL_MESSAGE = ("base_url should be one web address like https://www.example.org/mappa/ "
                    "(http or https, a host name, no spaces, no ? or #)")
# Printable ASCII without spaces: base_url is written verbatim into robots.txt, the sitemap and
# every page's canonical link, so a newline or a space in it would add lines or attributes there.
_URL_CHARACTERS = re.compile(r"[!-~]+")


def is_base_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) address on one line, with a host and no query."""
    if not _URL_CHARACTERS.fullmatch(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # a "[" that never closes reads as a broken IPv6 address
        return False
    return (parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc
            and not parts.query and not parts.fragment and "?" not in value and "#" not in value)


def site_path(base_url: str) -> str:
    """The path part of base_url ("/mappa/"): links from it reach the same host whatever it is."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def page_url(base_url: str, path: str) -> str:
    """The public address of an output page: folders end in /, as the canonical links do."""
    if path == "index.html" or path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return base_url + path


def sitemap_xml(base_url: str, pages: list[str]) -> str:
    """Every HTML page except the 404 page, in path order."""
    urls = sorted(page_url(base_url, p) for p in pages if p.endswith(".html") and p != NOT_FOUND)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> str:
    # Crawlers read robots.txt only at a host's root: when the site lives in a sub-folder the
    # host's own robots.txt should carry the Sitemap line (see README).
    return f"User-agent: *\nAllow: /\n\nSitemap: {base_url}{SITEMAP}\n"
