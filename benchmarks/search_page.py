"""How long a built site's search page takes in Chromium: to open with its index ready, and to
answer a query (see docs/benchmarks.md). A measurement to read, never a timed test.

    .venv/bin/python benchmarks/search_page.py [OUTPUT_FOLDER]   (default: the archive's output)

The page is opened from disk (file://), as a reader with a copy of the site would, in Debian's
/usr/bin/chromium driven by Playwright (as tests/browser do). "ready" is the time from the start
of navigation until the page's scripts have run (DOMContentLoaded: search.js runs before it and
builds the index); "scripts" is that less the same page without search.js, so it is the index
build and the first (empty) search. Each query is typed into the box and timed until the results
are on the page. Medians of RUNS page loads.
"""
from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("MAPPA_CHROMIUM", "/usr/bin/chromium")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
QUERIES = ("sexual", "offenders", "lay adviser", "registered sexual offenders", "nothingmatchesthis")

_TYPE = """query => {
  const input = document.getElementById('search-page-q');
  const start = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input'));
  return [performance.now() - start, document.querySelectorAll('#search-results li').length];
}"""
_READY = "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventStart"


def measure(output: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        # The same page without search.js, next to it, to tell the scripts' time from loading.
        root = Path(tmp)
        (root / "assets").symlink_to(output / "assets")
        (root / "search").mkdir()
        (root / "search" / "index.js").symlink_to(output / "search" / "index.js")
        page_html = (output / "search" / "index.html").read_text(encoding="utf-8")
        (root / "search" / "index.html").write_text(page_html, encoding="utf-8")
        without = page_html.replace('<script src="../assets/search.js"></script>', "")
        assert without != page_html, "the search page does not load ../assets/search.js"
        (root / "search" / "without.html").write_text(without, encoding="utf-8")
        ready, bare, queries = [], [], {q: [] for q in QUERIES}
        found: dict[str, int] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            for _ in range(RUNS):
                page = browser.new_page()
                page.goto((root / "search" / "without.html").as_uri())
                bare.append(page.evaluate(_READY))
                page.goto((root / "search" / "index.html").as_uri())
                ready.append(page.evaluate(_READY))
                for query in QUERIES:
                    took, count = page.evaluate(_TYPE, query)
                    queries[query].append(took)
                    found[query] = count
                page.close()
            browser.close()
    return {
        "index_js_mb": round((output / "search" / "index.js").stat().st_size / 1e6, 2),
        "ready_ms": round(statistics.median(ready)),
        "without_search_js_ms": round(statistics.median(bare)),
        "scripts_ms": round(statistics.median(ready) - statistics.median(bare)),
        "query_ms": {q: round(statistics.median(t), 1) for q, t in queries.items()},
        "results_shown": found,
    }


def main() -> None:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / ".work" / "archive" / "output"
    if not (output / "search" / "index.js").is_file():
        raise SystemExit(f"{output} has no search/index.js: build the site first (see docs/benchmarks.md)")
    print(json.dumps(measure(output.resolve()), indent=1))


if __name__ == "__main__":
    main()
