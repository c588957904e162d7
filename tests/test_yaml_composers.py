"""libyaml's C composer and PyYAML's pure-Python one give the same nodes, positions and messages.

The C composer is used when PyYAML was built with libyaml (its wheels are) because it is many
times faster on a large archive; the pure one is the fallback, and still parses every document
libyaml refuses (for its wording of the error) or that nests too deep for libyaml's recursion.
"""
from pathlib import Path

import pytest
import yaml

from mappa_ssg import yamlsource
from mappa_ssg.problems import Problems

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_YAML = sorted(p for p in (REPO / "content").rglob("*.yaml")) + sorted((REPO / "mappa_ssg").rglob("*.yaml"))

BAD_YAML = [
    "a: 1\nb 2\nc: 3\n",
    'a: 1\nb: "hello\nc: 3\n',
    "a: 1\nb: [1, 2\nc: 3\n",
    "a: 1\nb: {x: 1\nc: 3\n",
    "a:\n  b: 1\n c: 2\n",
    "a: 1\nb: see: here\n",
    "level_1: -\n",
    "a:\n\tb: 1\n",
    "a: 1\nb: 2\na: 3\n",
    "a: !!python/object/apply:os.system ['echo hi']\n",
    "a: &x [1, 2]\nb: *x\nc: *nowhere\n",
    "<<: {a: 1}\nb: 2\n",
    "? [a, b]\n: c\n",
    'a: "\\ud800"\n',
    "a: !!bool maybe\nb: !!map x\n",
    "a: 2025-02-30\nb: 0123\nc: 1e999\nd: .nan\ne: no\n",
    "[" * 150 + "]" * 150,
    "- " * 120 + "x\n",
    "a: 'unterminated\n",
    "%YAML 1.1\n---\na: 1\n---\nb: 2\n",
    "\ufeffa: 1\n",
    "",
    "# only a comment\n",
]


def load_both(monkeypatch, text: str):
    results = []
    for loader in (yaml.CSafeLoader, None):
        monkeypatch.setattr(yamlsource, "_FAST_LOADER", loader)
        problems = Problems()
        node = yamlsource.load_yaml("x.yaml", text, problems)
        results.append((node, [str(p) for p in problems]))
    return results


def test_this_machine_has_the_c_composer():
    # Without it the comparisons below would compare the pure composer with itself.
    assert yaml.__with_libyaml__ and yamlsource._FAST_LOADER is yaml.CSafeLoader


@pytest.mark.parametrize("path", EXAMPLE_YAML, ids=lambda p: p.relative_to(REPO).as_posix())
def test_the_example_content_loads_the_same_through_both(monkeypatch, path):
    fast, pure = load_both(monkeypatch, path.read_text(encoding="utf-8"))
    assert fast == pure and fast[0] is not None


@pytest.mark.parametrize("text", BAD_YAML)
def test_bad_yaml_gets_the_same_nodes_and_messages_through_both(monkeypatch, text):
    fast, pure = load_both(monkeypatch, text)
    assert fast == pure
