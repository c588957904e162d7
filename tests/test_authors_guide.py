"""The authors' guide cannot drift: every example file in it is built, every error shown is real.

Examples are fenced blocks whose info string names a file: ```yaml file=content/site.yaml.
`append` adds the block to a file an earlier example wrote; `mistake` replaces a file with a
broken one, and the next ```text expect block is exactly what `mappa check` then prints.
"""
import shutil

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from conftest import REPO
from mappa_ssg import build
from mappa_ssg.cli import main

GUIDE = REPO / "docs" / "authors-guide.md"
# The smallest valid PNG (1 x 1 pixel), standing in for the logo the guide tells authors to add.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def blocks():
    """(words of the info string, content) of every fenced block in the guide, in order."""
    tokens = MarkdownIt("commonmark").parse(GUIDE.read_text(encoding="utf-8"))
    return [(t.info.split(), t.content) for t in tokens if t.type == "fence"]


def attrs(words):
    return dict(w.split("=", 1) for w in words[1:] if "=" in w), set(w for w in words[1:] if "=" not in w)


@pytest.fixture
def guide_project(tmp_path):
    project = tmp_path / "guide"
    shutil.copytree(REPO / "templates", project / "templates")
    for words, content in blocks():
        named, flags = attrs(words)
        if "file" not in named or "mistake" in flags:
            continue
        path = project / named["file"]
        path.parent.mkdir(parents=True, exist_ok=True)
        if "append" in flags:
            assert path.is_file(), f"{named['file']} is appended to before the guide writes it"
            path.write_text(path.read_text() + content)
        else:
            assert not path.exists(), f"the guide writes {named['file']} twice"
            path.write_text(content)
    (project / "content/example-area/logo.png").write_bytes(PNG)
    return project


def test_guide_has_examples_of_every_file():
    files = {attrs(words)[0].get("file") for words, _ in blocks()}
    for name in ("site.yaml", "area.yaml", "report.yaml", "introduction.md", "case-study.md", "lay-adviser.md", "objectives.md"):
        assert any(f and f.endswith(name) for f in files), name


def test_guide_examples_check_and_build_without_a_warning(guide_project):
    result = CliRunner().invoke(main, ["check", "-p", str(guide_project), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 1 areas, 1 reports, 0 warnings\n"
    built = build(guide_project, pdf=False)
    assert built.ok, [str(p) for p in built.problems]
    page = (guide_project / "output/example-area/2021-22/index.html").read_text()
    for text in ("Case study: a shared plan", "Jo Example", "Recruit a second lay adviser.", "MAPPA in Example Area",
                 'alt="Example Area Strategic Management Board"', "31 March 2022"):
        assert text in page, text
    assert (guide_project / "output/example-area/logo.png").is_file()


def test_guide_error_example_prints_exactly_what_the_guide_says(guide_project):
    found = blocks()
    mistakes = [i for i, (words, _) in enumerate(found) if "mistake" in attrs(words)[1]]
    assert mistakes, "the guide has no error example"
    for index in mistakes:
        words, content = found[index]
        (guide_project / attrs(words)[0]["file"]).write_text(content)
        expect = next(c for w, c in found[index + 1:] if w[:1] == ["text"] and "expect" in w)
        result = CliRunner().invoke(main, ["check", "-p", str(guide_project)])
        assert result.exit_code == 1
        assert result.output == expect
