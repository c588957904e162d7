"""The files a static host and search engines look for: sitemap.xml, robots.txt, 404.html.

Pure functions of the site's settings and the list of pages, so they are deterministic (no
dates: a sitemap ``lastmod`` would change on every build).
"""
from __future__ import annotations

from xml.sax.saxutils import escape

NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"


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
