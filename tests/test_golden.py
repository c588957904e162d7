"""Golden HTML: the LLR 2014-15 report page must match tests/golden/ exactly.

After an intended change to templates or boilerplate, regenerate with `make golden` and
review the diff before committing.
"""
import os
from pathlib import Path

import pytest

from conftest import LLR

GOLDEN = Path(__file__).parent / "golden"
PAGES = [f"{LLR}/2014-15/index.html", f"{LLR}/index.html", "index.html"]


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(example_site, page):
    built = (example_site / page).read_text(encoding="utf-8")
    golden = GOLDEN / page
    if os.environ.get("MAPPA_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(built, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden}: run `make golden`"
    assert built == golden.read_text(encoding="utf-8"), f"{page} differs from its golden file: run `make golden` if the change is intended"
