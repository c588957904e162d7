"""Headings must nest and say something: issue 11, item 11 (warnings; errors with --strict)."""
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from conftest import LLR
from mappa_ssg import build, check
from mappa_ssg.headings import Heading, heading_problems
from mappa_ssg.markdown import render_markdown
from mappa_ssg.problems import Problems

PAGE = f"content/{LLR}/2014-15/local-page.md"


def warnings_for(body: str, first_line: int = 1) -> list[str]:
    """The heading warnings for ``body``, from the headings of the parse that renders it."""
    rendered = render_markdown("x.md", body, first_line, Path("."), Path("."), Problems())
    problems = Problems()
    heading_problems("x.md", rendered.headings, problems)
    return [str(p) for p in problems]


def headings_from_a_second_parse(body: str, first_line: int) -> list[Heading]:
    """How the headings were found before the lint shared the rendering parse: a block-level
    parse of its own (kept here to show the one-parse lint finds the same headings)."""
    parser = MarkdownIt("commonmark")
    parser.core.ruler.disable(["inline", "text_join"])
    tokens = parser.parse(body)
    return [Heading(int(t.tag[1]), first_line + t.map[0], bool(tokens[i + 1].content.strip()))
            for i, t in enumerate(tokens) if t.type == "heading_open"]


BAD_HEADINGS = [
    "# Title\n\ntext\n\n###### Deep\n",
    "### Too deep to start\n",
    "# Title\n\n##\n\ntext\n\n## \n",
    "## Two\n#### Four\n# One\n### Three\n",
    "Underlined\n==========\n\n#### Deep\n\nAlso\n---\n\n###### #\n",
    "- # in a list\n- ##### deeper\n\n> ### quoted\n>\n> #\n",
    "```\n# fenced\n```\n\n    # indented code\n\n#### real\n",
    "# *emphasis* and `code`\n\n###   ###\n\n#5 not a heading\n\n\\# escaped\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n#### after a table\n",
    "# \u00a0\n\n## Caf\u00e9 &amp; tea\n\n#### [link](https://example.org)\n",
]


@pytest.mark.parametrize("body", BAD_HEADINGS)
def test_the_rendering_parse_finds_the_headings_a_second_parse_found(body):
    rendered = render_markdown("x.md", body, 3, Path("."), Path("."), Problems())
    assert rendered.headings == headings_from_a_second_parse(body, 3)
    assert rendered.headings  # each sample has headings to check


def test_headings_that_nest_are_quiet():
    assert warnings_for("# One\n\ntext\n\n## Two\n\n### Three\n\n# Back up\n\n## Down again\n") == []
    assert warnings_for("## Starts at two\n\n### Three\n\nUnderlined\n==========\n") == []
    assert warnings_for("```\n# not a heading\n\n###### nor this\n```\n\n    #### indented code\n") == []


def test_a_skipped_level_is_a_warning_at_its_line_in_the_authors_levels():
    assert warnings_for("# Title\n\ntext\n\n###### Deep\n", first_line=4) == [
        "x.md:8:1: warning: heading level skipped: ###### after a # heading; use ## so the headings nest "
        "(screen readers and the PDF's bookmarks follow them)"]
    assert warnings_for("### Too deep to start\n") == [
        "x.md:1:1: warning: heading level skipped: ### at the start of the section; use ## so the headings nest "
        "(screen readers and the PDF's bookmarks follow them)"]


def test_an_empty_heading_is_a_warning():
    assert warnings_for("# Title\n\n##\n\ntext\n\n## \n") == [
        "x.md:3:1: warning: empty heading (## with no text): write the heading or delete the line",
        "x.md:7:1: warning: empty heading (## with no text): write the heading or delete the line",
    ]


def test_headings_in_content_are_checked_and_strict_makes_them_errors(project):
    path = project / PAGE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n# A heading\n\n###### Far too deep\n\nText.\n\n##\n\nMore text.\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    deep = lines.index("###### Far too deep") + 1
    empty = len(lines) - lines[::-1].index("##")
    expected = [
        f"{PAGE}:{deep}:1: heading level skipped: ###### after a # heading; use ## so the headings nest "
        "(screen readers and the PDF's bookmarks follow them)",
        f"{PAGE}:{empty}:1: empty heading (## with no text): write the heading or delete the line",
    ]
    result = check(project)
    assert result.ok and [str(p).replace("warning: ", "") for p in result.warnings] == expected
    strict = build(project, pdf=False, strict=True)
    assert not strict.ok and [str(p) for p in strict.errors] == expected
    assert not (project / "output").exists()
