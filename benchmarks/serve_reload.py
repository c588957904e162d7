"""How long from saving a Markdown file to `mappa serve` serving the new page (and a new version).

Run: .venv/bin/python benchmarks/serve_reload.py [ROUNDS]. Prints each round and the median;
asserts nothing (timings belong here, not in tests).
"""
from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from mappa_ssg.serve import Preview

REPO = Path(__file__).resolve().parent.parent
PAGE = "leicester-leicestershire-and-rutland/2020-21/index.html"
MARKDOWN = "content/leicester-leicestershire-and-rutland/2020-21/local-page.md"


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        for name in ("content", "templates"):
            shutil.copytree(REPO / name, project / name)
        preview = Preview(project, port=0, on_build=lambda result, seconds: None)
        preview.start()
        try:
            times = []
            for n in range(rounds):
                marker = f"Benchmark sentence {n}."
                path = project / MARKDOWN
                started = time.perf_counter()
                path.write_text(path.read_text() + f"\n{marker}\n")
                while marker not in urllib.request.urlopen(preview.url + PAGE).read().decode():
                    time.sleep(0.01)
                times.append(time.perf_counter() - started)
                print(f"round {n + 1}: {times[-1]:.3f} s")
            print(f"median save-to-page: {statistics.median(times):.3f} s, max {max(times):.3f} s over {rounds} rounds")
        finally:
            preview.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
