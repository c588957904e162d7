"""`mappa serve`: a real server on 127.0.0.1, a real HTTP client, real file edits.

Loops wait for a change with a deadline, so a slow machine makes a test slower, not flaky; the
time from save to new page is measured in benchmarks/serve_reload.py, not asserted here.
"""
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from conftest import LLR, interruptible
from mappa_ssg.problems import Problem
from mappa_ssg.serve import Preview, error_page

PAGE = f"{LLR}/2020-21/index.html"
MARKDOWN = f"content/{LLR}/2020-21/local-page.md"
REPORT = f"content/{LLR}/2020-21/report.yaml"
DEADLINE = 15  # seconds: generous, only reached when something is broken


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.headers, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8")


def wait_for(url, text):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        body = get(url)[2]
        if text in body:
            return body
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared at {url}; last page:\n{body[:2000]}")


def version(base):
    return json.loads(get(base + "__mappa/version")[2])


@pytest.fixture
def server(project):
    """`mappa serve` in a subprocess on a free port; stopped with Ctrl+C at the end."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mappa_ssg", "serve", "-p", str(project), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, preexec_fn=interruptible)
    try:
        line = proc.stdout.readline()  # "previewing ... at http://127.0.0.1:PORT/ (Ctrl+C to stop)"
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        assert match, line + proc.stderr.read() if proc.poll() is not None else line
        yield proc, match.group(1)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_edit_rebuilds_and_signals_reload_broken_yaml_shows_errors_and_server_survives(project, server):
    proc, base = server
    status, headers, page = get(base + PAGE)
    assert status == 200 and headers["Cache-Control"] == "no-store"
    first = version(base)
    assert first == {"version": first["version"], "ok": True}
    assert f'<script src="/__mappa/reload.js" data-version="{first["version"]}" defer></script>\n</body>' in page
    assert "script-src 'self'" in page  # the pages' policy: why the reload script is a file

    status, headers, script = get(base + "__mappa/reload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert 'fetch("/__mappa/version"' in script and "window.location.reload()" in script

    # 1. Save a Markdown file: the page changes and the version moves on.
    markdown = project / MARKDOWN
    original = markdown.read_text()
    markdown.write_text(original + "\nA sentence added while previewing.\n")
    page = wait_for(base + PAGE, "A sentence added while previewing.")
    second = version(base)
    assert second["version"] > first["version"] and second["ok"] is True
    assert f'data-version="{second["version"]}"' in page

    # 2. Break the YAML: every page lists the error, the server keeps running.
    report = project / REPORT
    good = report.read_text()
    report.write_text("signatories: [\n")
    page = wait_for(base + PAGE, "The preview cannot be built")
    assert f"<code>{REPORT}:1:14: YAML syntax:" in page
    assert version(base)["ok"] is False
    assert get(base + "index.html")[2].count("The preview cannot be built: 1 error<") == 1
    assert proc.poll() is None

    # 3. Fix it: the page is back.
    report.write_text(good)
    wait_for(base + PAGE, "A sentence added while previewing.")
    assert version(base)["ok"] is True
    assert get(base + "assets/style.css")[0] == 200

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=DEADLINE) == 0
    terminal = proc.stderr.read()
    assert f"{REPORT}:1:14: YAML syntax:" in terminal and "1 error" in terminal
    assert "built in" in terminal and "Traceback" not in terminal
    assert (project / ".mappa-cache/serve/index.html").is_file()
    assert not (project / "output").exists()  # the preview never touches output/


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the reload script")
def test_reload_script_reloads_the_page_when_the_site_is_rebuilt(project, tmp_path):
    """Run the served reload.js (in node, with a stand-in page) against the live server."""
    preview = Preview(project, port=0, on_build=lambda result, seconds: None)
    preview.start()
    try:
        base = preview.url
        (tmp_path / "reload.js").write_text(get(base + "__mappa/reload.js")[2])
        (tmp_path / "page.js").write_text(PAGE_STAND_IN)
        node = subprocess.Popen(["node", str(tmp_path / "page.js"), base, str(version(base)["version"]), str(tmp_path / "reload.js")],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        assert node.poll() is None, node.communicate()  # nothing changed: no reload
        markdown = project / MARKDOWN
        markdown.write_text(markdown.read_text() + "\nAnother sentence.\n")
        out, err = node.communicate(timeout=DEADLINE)
        assert node.returncode == 0 and out.strip() == "reloaded", (out, err)
    finally:
        preview.stop()


PAGE_STAND_IN = """
// A stand-in for a browser page: just what reload.js uses, with fetch made absolute.
const [base, shown, script] = process.argv.slice(2);
const realFetch = fetch;
globalThis.fetch = (url, options) => realFetch(new URL(url, base), options);
globalThis.document = {currentScript: {getAttribute: (name) => (name === "data-version" ? shown : null)}};
globalThis.window = {setTimeout, location: {reload() { console.log("reloaded"); process.exit(0); }}};
setTimeout(() => { console.log("no reload"); process.exit(1); }, 15000);
eval(require("fs").readFileSync(script, "utf8"));
"""


def test_error_page_escapes_messages():
    page = error_page([Problem("content/a.md", 3, 1, "<script>alert(1)</script>")], 7).decode()
    assert "<code>content/a.md:3:1: &lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    assert "<script>alert" not in page and 'data-version="7"' in page


def test_only_the_preview_folder_is_served(project):
    preview = Preview(project, port=0, on_build=lambda result, seconds: None)
    preview.start()
    try:
        assert preview.url.startswith("http://127.0.0.1:")
        for path in ("../content/site.yaml", "%2e%2e/content/site.yaml", "content/site.yaml"):
            assert get(preview.url + path)[0] == 404, path
    finally:
        preview.stop()


def raw(base: str, request: bytes) -> bytes:
    """Send ``request`` as typed (no client library tidies it) and return the whole answer."""
    address = urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=DEADLINE) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def status_of(base: str, method: str, path: str) -> int:
    answer = raw(base, f"{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode("latin-1"))
    assert answer, f"no answer at all to {method} {path}"
    return int(answer.split(b" ", 2)[1])


def test_odd_requests_get_quiet_answers_and_no_listings(project, server):
    proc, base = server
    for path in ("/%00/index.html", "/%00", "/assets/%00style.css", "/index.html%00.png", "/%2500/../%00",
                 "/%2500/", "/%2500.html", "//[x", "//[x/", "/[::1/index.html", "/" + "x" * 300 + "/", "/" + "y" * 300 + ".html"):
        for method in ("GET", "HEAD"):
            assert status_of(base, method, path) in (400, 404), (method, path)
    for path in ("/assets/", f"/{LLR}/2020-21/../../assets/", "/no-such-folder/", "/%2e%2e/assets/"):
        for method in ("GET", "HEAD"):
            assert status_of(base, method, path) == 404, (method, path)
    status, _, body = get(base + "assets")  # redirected to /assets/, which is not listed either
    assert status == 404 and "Directory listing" not in body and "style.css" not in body

    # Clients that go away early (a closed tab, a cancelled download): sometimes before the
    # request is read, sometimes while the answer is being written.
    for n in range(30):
        sock = socket.create_connection((urlsplit(base).hostname, urlsplit(base).port))
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not a polite close
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1024)
        if n % 3:
            sock.sendall(f"GET /search/index.js HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        if n % 3 == 2:
            sock.recv(10)
        sock.close()
    assert get(base + PAGE)[0] == 200  # still serving

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=DEADLINE) == 0
    terminal = proc.stderr.read()
    for noise in ("Traceback", "Exception occurred", "BrokenPipe", "ConnectionReset", "ValueError"):
        assert noise not in terminal, terminal
