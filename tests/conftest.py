"""Shared fixtures: a throw-away copy of the example project, and one example build per run."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mappa_ssg import build

REPO = Path(__file__).resolve().parent.parent
LLR = "leicester-leicestershire-and-rutland"


def copy_project(target: Path) -> Path:
    """A copy of the example project (content and templates) that a test may change freely."""
    for name in ("content", "templates"):
        shutil.copytree(REPO / name, target / name)
    return target


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built once (HTML and PDFs) for tests that only read it."""
    root = copy_project(tmp_path_factory.mktemp("example"))
    result = build(root, pdf=True, jobs=2)
    assert result.ok, [str(p) for p in result.problems]
    return root / "output"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a content file, failing loudly if the text is not there."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= count, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def interruptible() -> None:
    """``preexec_fn`` for a command a test stops with Ctrl-C (SIGINT): the signal's default
    action back, for when the tests themselves run with SIGINT ignored (a non-interactive shell
    ignores it in the jobs it starts in the background, and a program inherits that, so Python
    would never raise KeyboardInterrupt in it)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)
