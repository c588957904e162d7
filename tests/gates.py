"""Shared by the quality-gate tests: print their figures where a reader of the test run sees them."""
from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
_started: set[int] = set()  # figures.txt is started afresh by the first figure of each test run


def say(config: pytest.Config, line: str) -> None:
    """Show ``line`` in the test run's output (even without -s) and keep it in tests/artifacts/figures.txt."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(f"\n[quality gate] {line}")
    ARTIFACTS.mkdir(exist_ok=True)
    mode = "a" if id(config) in _started else "w"
    _started.add(id(config))
    with open(ARTIFACTS / "figures.txt", mode, encoding="utf-8") as out:
        out.write(line + "\n")
