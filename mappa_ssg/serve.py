"""The preview server behind ``mappa serve``.

It builds the HTML (never PDFs) into ``.mappa-cache/serve/`` (never ``output/``), serves it on
the loopback interface, and rebuilds whenever watchfiles reports a saved file under content/,
templates/ or overrides/. Each served page gets one extra ``<script src>`` tag: the pages'
Content-Security-Policy allows scripts from the same origin only, so the reload script is a
file at ``/__mappa/reload.js``, never inline. It polls ``/__mappa/version`` and reloads the
page when the number changes. While the content has errors every page is replaced by a page
listing them, and the server keeps running until the author fixes them.
"""
from __future__ import annotations

import html
import json
import logging
import sys
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import watchfiles

from .output import OutputError
from .pipeline import BuildResult, build
from .problems import Problem

log = logging.getLogger("mappa_ssg")

PREFIX = "/__mappa/"
WATCHED = ("content", "templates", "overrides")
_POLL_MS = 400

RELOAD_JS = f"""\
// mappa serve: reload this page when the preview is rebuilt. Only the preview server adds it.
(function () {{
  var script = document.currentScript;
  var shown = script ? script.getAttribute("data-version") : null;
  function poll() {{
    fetch("{PREFIX}version", {{cache: "no-store"}})
      .then(function (response) {{ return response.json(); }})
      .then(function (state) {{
        if (shown !== null && String(state.version) !== shown) {{ window.location.reload(); return; }}
        window.setTimeout(poll, {_POLL_MS});
      }})
      .catch(function () {{ window.setTimeout(poll, 2000); }});
  }}
  window.setTimeout(poll, {_POLL_MS});
}})();
"""


@dataclass
class PreviewState:
    """The latest build: its number (bumped on every rebuild) and its problems if it failed."""

    version: int = 0
    problems: list[Problem] = field(default_factory=list)
    ok: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


class Preview:
    """Builds the preview and serves it; ``start()`` runs in threads, ``stop()`` ends them."""

    def __init__(self, project: Path, host: str = "127.0.0.1", port: int = 8000,
                 on_build: Callable[[BuildResult, float], None] | None = None):
        self.project = Path(project).resolve()
        self.folder = self.project / ".mappa-cache" / "serve"
        self.state = PreviewState()
        self.on_build = on_build or _log_build
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._threads: list[threading.Thread] = []
        self.httpd = _Server((host, port), _handler(self))
        self.httpd.daemon_threads = True

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def rebuild(self) -> BuildResult:
        """Build the HTML into the preview folder and publish the outcome to open pages."""
        started = time.perf_counter()
        # Held while building, so a page and its version number always come from the same build.
        with self.state.lock:
            try:
                result = build(self.project, self.folder, pdf=False, drafts=True)
            except OutputError as exc:
                result = BuildResult(problems=[Problem("output", 1, 1, str(exc))])
            self.state.version += 1
            self.state.ok = result.ok
            self.state.problems = list(result.problems)
        self.on_build(result, time.perf_counter() - started)
        return result

    def start(self) -> None:
        # Watch first, then build: a file saved during the first build still causes a rebuild.
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        self._watching.wait(timeout=10)
        self.rebuild()
        server = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        server.start()
        self._threads = [watcher, server]

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def _watch(self) -> None:
        paths = [self.project / name for name in WATCHED if (self.project / name).is_dir()]
        # step: wait this long after the last change so one save (often several events) is one
        # build. An empty batch comes every rust_timeout ms: the first one says watching has begun.
        for changes in watchfiles.watch(*paths, stop_event=self._stop, step=100, rust_timeout=200,
                                        yield_on_timeout=True, raise_interrupt=False):
            self._watching.set()
            if not changes:
                continue
            log.debug("changed: %s", ", ".join(sorted(p for _, p in changes)))
            try:
                self.rebuild()
            except Exception:  # a bug must not stop the preview: say so and keep watching
                log.exception("the preview could not be rebuilt")

    def serve_forever(self) -> None:
        """Run until Ctrl+C (the ``mappa serve`` command)."""
        self.start()
        try:
            while not self._stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def _log_build(result: BuildResult, seconds: float) -> None:
    for problem in result.problems:
        log.warning("%s", problem)


def error_page(problems: list[Problem], version: int) -> bytes:
    """The page shown in place of every page while the content has errors."""
    errors = [p for p in problems if p.severity == "error"]
    items = "\n".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in errors)
    n = len(errors)
    page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Content errors: mappa preview</title>
<link rel="stylesheet" href="/assets/style.css">
</head>
<body>
<main id="main" class="wrap">
<h1>The preview cannot be built: {n} error{'s' if n != 1 else ''}</h1>
<p>Fix each problem below (file, line, column, then what is wrong) and save the file. This page
updates by itself.</p>
<ul class="preview-errors">
{items}
</ul>
</main>
<script src="{PREFIX}reload.js" data-version="{version}" defer></script>
</body>
</html>
"""
    return page.encode("utf-8")


def inject_reload(page: bytes, version: int) -> bytes:
    tag = f'<script src="{PREFIX}reload.js" data-version="{version}" defer></script>\n'.encode()
    index = page.rfind(b"</body>")
    return page[:index] + tag + page[index:] if index >= 0 else page + tag


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: tuple) -> None:
        """A browser that closes a tab or cancels a download mid-answer is normal: no traceback
        (the base class prints one to the terminal). Anything else is one line in the log."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            log.debug("serve: %s went away: %s", client_address[0], error)
        else:
            log.warning("serve: could not answer %s: %s: %s", client_address[0], type(error).__name__, error)


def _handler(preview: Preview) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(preview.folder), **kwargs)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (the base class's name)
            log.debug("serve: " + format, *args)

        def parse_request(self) -> bool:
            # A NUL byte cannot be in a file name: the file functions raise ValueError on it.
            if not super().parse_request():
                return False
            try:
                path = unquote(urlsplit(self.path).path)
            except ValueError:  # "//[x" reads as a host name with an unclosed "[": no page has it
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad request: not a path")
                return False
            if "\0" in path:
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad request: NUL in the path")
                return False
            return True

        def list_directory(self, path: str) -> None:
            # A folder without index.html is not a page: the preview shows what a host would.
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            path = unquote(urlsplit(self.path).path)
            with preview.state.lock:
                body, content_type = self._page(path)
            if body is not None:
                return self._send(body, content_type)
            return super().do_GET()

        def _page(self, path: str) -> tuple[bytes | None, str]:
            """What only the preview serves (its own files, pages with the reload tag), else None."""
            version, ok, problems = preview.state.version, preview.state.ok, preview.state.problems
            if path == f"{PREFIX}version":
                return json.dumps({"version": version, "ok": ok}).encode(), "application/json"
            if path == f"{PREFIX}reload.js":
                return RELOAD_JS.encode(), "text/javascript; charset=utf-8"
            if path.endswith("/") or path.endswith(".html"):
                if not ok:
                    return error_page(problems, version), "text/html; charset=utf-8"
                # translate_path decodes %-escapes itself: given ``path`` (decoded already), it
                # would decode twice.
                file = Path(self.translate_path(self.path))
                try:
                    if file.is_dir():
                        file = file / "index.html"
                    if file.is_file():
                        return inject_reload(file.read_bytes(), version), "text/html; charset=utf-8"
                except OSError:  # a name too long for the disk, say: the base class answers 404
                    pass
            return None, ""

        def _send(self, body: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def end_headers(self) -> None:
            # A preview changes under the browser: never let it show a stale copy.
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

    return Handler
