"""Browser test kit: Debian's chromium driven by Playwright, and the built site served over http.

The browser is /usr/bin/chromium (installed by .ci/run), never one downloaded by Playwright.
The site is served under a sub-path, so every link has to be relative to work; requests to
anywhere but the local server are blocked and counted, because the pages must load nothing
from other sites.
"""
from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]

CHROMIUM = Path(os.environ.get("MAPPA_CHROMIUM", "/usr/bin/chromium"))
# Playwright gives each launch a fresh temporary profile (user-data-dir) of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SUB_PATH = "/some/sub/path/"
AREAS = frozenset(p.parent.name for p in (REPO / "content").glob("*/area.yaml"))
# Page kinds the example site must have. Add a kind here when a new kind of page is built;
# every *.html page is checked whether or not its kind is listed.
REQUIRED_KINDS = ("home", "area", "report", "report-translation", "overview", "data", "search", "accessibility", "404")


def page_kind(relative: str) -> str:
    """What kind of page an output path is: home, area, report, or its own name (404, overview...)."""
    parts = relative.split("/")
    if relative == "index.html":
        return "home"
    if len(parts) == 2 and parts[0] in AREAS and parts[1] == "index.html":
        return "area"
    if len(parts) == 3 and parts[0] in AREAS and re.fullmatch(r"\d{4}-\d{2}", parts[1]) and parts[2] == "index.html":
        return "report"
    if len(parts) == 4 and parts[0] in AREAS and re.fullmatch(r"\d{4}-\d{2}", parts[1]) and parts[3] == "index.html":
        return "report-translation"  # a report in another language (content/<area>/<year>/<language>/)
    return re.sub(r"/index$", "", relative.removesuffix(".html"))


@dataclass
class Server:
    """The built site served over http from 127.0.0.1 under SUB_PATH."""

    base: str                      # http://127.0.0.1:PORT/some/sub/path/
    root: Path                     # the output folder
    statuses: list[tuple[str, int]] = field(default_factory=list)
    published: str = ""            # the site's base_url, answered inside the browser (Browser.published)

    def pages(self) -> list[str]:
        """Every HTML page of the site, relative to the output folder, in a stable order."""
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    def url(self, relative: str) -> str:
        # The 404 page is served by a host at whatever address was asked for, so it links by
        # base_url; it is opened at the published address, as a reader would meet it.
        if relative == "404.html" and self.published:
            return self.published + "no/such/page"
        return self.base + relative


def serve(root: Path, scratch: Path) -> Iterator[Server]:
    """Serve ``root`` at SUB_PATH until the generator is closed."""
    docroot = scratch / "docroot"
    mount = docroot / SUB_PATH.strip("/")
    mount.parent.mkdir(parents=True)
    mount.symlink_to(root, target_is_directory=True)
    statuses: list[tuple[str, int]] = []

    class Handler(SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-") -> None:  # record instead of printing
            statuses.append((self.path, int(code) if str(code).isdigit() else 0))

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(docroot)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_port}{SUB_PATH}", root, statuses)
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass
class Browser:
    """A launched chromium; ``blocked`` lists requests the pages tried to make to other sites."""

    browser: object
    blocked: list[str] = field(default_factory=list)
    # base_url -> output folder: requests to the site's own published address are answered from
    # the built files, as the real host would (the 404 page links by base_url: it is served at
    # any address, so relative links cannot work there).
    published: dict[str, Path] = field(default_factory=dict)

    def context(self, width: int = 1280, height: int = 900, **options: object):
        context = self.browser.new_context(viewport={"width": width, "height": height}, **options)
        context.route("**/*", self._only_local)
        return context

    def _only_local(self, route) -> None:
        url = route.request.url
        if url.startswith(("http://127.0.0.1:", "file://", "data:", "about:")):
            route.continue_()
            return
        for base, root in self.published.items():
            if url.startswith(base):
                relative = url[len(base):].split("#")[0].split("?")[0] or "index.html"
                target = (root / relative).resolve()
                if target.is_dir():
                    target = target / "index.html"
                if target.is_file() and target.is_relative_to(root.resolve()):
                    route.fulfill(path=str(target))
                else:  # as a static host does: its 404 page, with status 404
                    route.fulfill(status=404, path=str(root / "404.html"))
                return
        else:
            self.blocked.append(url)
            route.abort()
