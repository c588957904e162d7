"""Browser fixtures: one chromium per test run, and the example site served under a sub-path."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from browser.kit import CHROMIUM, CHROMIUM_ARGS, Browser, Server, serve


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium, as .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield Browser(browser)
        finally:
            browser.close()


@pytest.fixture(scope="session")
def site_server(example_site: Path, chromium: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example site (HTML and PDFs, built once per run) served under SUB_PATH, and also
    answered at its published base_url inside the browser."""
    import yaml

    base_url = yaml.safe_load((example_site.parent / "content" / "site.yaml").read_text())["base_url"]
    published = base_url.rstrip("/") + "/"
    chromium.published[published] = example_site
    for server in serve(example_site, tmp_path_factory.mktemp("http")):
        server.published = published
        yield server
