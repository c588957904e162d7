"""Hostile content in every field: the build refuses it with a position, or renders it as text.

The browser half (no script runs, no dialog opens) is in tests/browser/test_hostile_pages.py.
"""
from __future__ import annotations

import html
import os
from html.parser import HTMLParser
import re
from pathlib import Path

import pytest

from conftest import LLR, copy_project, edit
from gates import say
from hostile import FIELDS, FORMATTED, PAYLOADS, make_project, try_payload
from mappa_ssg import build, check

# Elements and attributes content must never be able to add. The theme uses none of them, apart
# from its own search form (checked by where it sends the reader) and its own script files.
FORBIDDEN_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta-refresh"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset"}


class _Scan(HTMLParser):
    """Collects every tag, attribute and text run of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.bad: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        own_script = tag == "script" and re.fullmatch(r"index\.js|(\.\./)*assets/(search|lunr\.min)\.js", dict(attrs).get("src") or "")
        if tag in FORBIDDEN_TAGS and not own_script:
            self.bad.append(f"<{tag}>")
        if tag == "form" and not re.fullmatch(r"((\.\./)*search/)?index\.html|/([^ ]+/)?search/(index\.html)?", dict(attrs).get("action") or ""):
            self.bad.append(f"<form action={dict(attrs).get('action')}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.bad.append(f"<{tag} {name}=...>")
            if name in URL_ATTRIBUTES and value.startswith(("javascript:", "data:text", "vbscript:")):
                self.bad.append(f"<{tag} {name}={value[:30]}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config):
    results = {}
    for label, payload in PAYLOADS.items():
        root = make_project(tmp_path_factory.mktemp("hostile") / "project")
        results[label] = try_payload(root, payload)
    rendered = sum(len(o.rendered) for o in results.values())
    refused = sum(len(o.refused) for o in results.values())
    say(pytestconfig, f"hostile content: {len(PAYLOADS)} payloads x {len(FIELDS)} fields = {len(PAYLOADS) * len(FIELDS)} placements: "
                      f"{rendered} rendered as text, {refused} refused with path:line:col problems, "
                      f"{sum(o.builds for o in results.values())} builds")
    return results


@pytest.mark.parametrize("label", PAYLOADS)
def test_output_has_no_script_handlers_or_dangerous_urls(outcomes, label):
    outcome = outcomes[label]
    pages = sorted(outcome.output.rglob("*.html"))
    kinds = {p.relative_to(outcome.output).as_posix() for p in pages}
    assert {"index.html", "search/index.html", "overview/index.html"} <= kinds
    for page in pages:
        found = scan(page)
        assert found.bad == [], (page.name, found.bad)
        # The only scripts are the site's own files (the search page's); none comes from content.
        html = re.sub(r'<script src="(index\.js|(\.\./)*assets/(search|lunr\.min)\.js)"></script>', "", page.read_text(encoding="utf-8"))
        assert "<script" not in html.lower()


@pytest.mark.parametrize("label", PAYLOADS)
def test_every_field_is_rendered_as_text_or_refused_with_a_position(outcomes, label):
    outcome = outcomes[label]
    payload = PAYLOADS[label]
    assert FORMATTED <= set(outcome.refused), sorted(FORMATTED - set(outcome.refused))
    for problems in outcome.refused.values():
        assert problems and all(p.split(":")[1].isdigit() for p in problems)
    # The site title is shown as the home page's heading, exactly as written.
    if ("content/site.yaml", ("title",)) in outcome.rendered:
        home = scan(outcome.output / "index.html")
        assert payload.strip() in "".join(home.text), label


def test_template_syntax_is_shown_never_run(outcomes):
    for label in ("template expression", "template statement"):
        outcome = outcomes[label]
        assert set(outcome.refused) == FORMATTED, outcome.refused  # just text: refused only where a format is required
        text = "".join("".join(scan(p).text) for p in outcome.output.rglob("*.html"))
        assert "1337" not in text, label  # 7*191 was not worked out
        assert "LOOPEDLOOPED" not in text, label  # the loop did not run
        assert PAYLOADS[label].split(" ")[0] in text
    report = (outcomes["template expression"].output / f"{LLR}/2020-21/index.html").read_text(encoding="utf-8")
    assert report.count("{{ 7*191 }}") >= len(FIELDS) - 8  # shown in (nearly) every field on the report page


def test_hidden_text_direction_characters_are_refused_everywhere(outcomes):
    outcome = outcomes["right-to-left override"]
    yaml_fields = [f for f in FIELDS if f[1] != ("body",)]
    assert set(yaml_fields) <= set(outcome.refused), [f for f in yaml_fields if f not in outcome.refused]
    messages = [m for problems in outcome.refused.values() for m in problems]
    assert any(m.endswith("contains a hidden text-direction control character: remove it") for m in messages)


def test_markdown_bodies_with_hostile_html_still_build(outcomes):
    for label, outcome in outcomes.items():
        bodies = [f for f in outcome.refused if f[1] == ("body",)]
        assert not bodies, (label, {f: outcome.refused[f] for f in bodies})


# -- paths in content that leave the content folder ----------------------------------------------
def test_logo_outside_the_content_folder_is_refused(project):
    (project / "secret.png").write_bytes(b"\x89PNG not yours")
    area = project / f"content/{LLR}/area.yaml"
    edit(area, "short_name: LLR", "short_name: LLR\nlogo: ../../secret.png\nlogo_alt: A secret")
    errors = [str(p) for p in check(project).errors]
    assert errors == [f'content/{LLR}/area.yaml:4:7: logo "../../secret.png" points outside the content folder']


@pytest.mark.parametrize("logo", ["/etc/passwd", "C:\\secret.png", "..\\..\\secret.png", "logo.png\x00.txt"])
def test_absolute_and_odd_logo_paths_are_refused(project, logo):
    area = project / f"content/{LLR}/area.yaml"
    quoted = logo.replace("\\", "\\\\").replace("\x00", "\\0")  # as a double-quoted YAML string
    edit(area, "short_name: LLR", f'short_name: LLR\nlogo: "{quoted}"\nlogo_alt: A logo')
    errors = [str(p) for p in check(project).errors]
    assert len(errors) == 1 and errors[0].startswith(f"content/{LLR}/area.yaml:4:7: logo ") and "points outside the content folder" in errors[0], errors


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links on this system")
def test_logo_symlink_leading_outside_is_refused(project):
    (project / "secret.png").write_bytes(b"\x89PNG not yours")
    (project / f"content/{LLR}/logo.png").symlink_to(project / "secret.png")
    edit(project / f"content/{LLR}/area.yaml", "short_name: LLR", "short_name: LLR\nlogo: logo.png\nlogo_alt: A logo")
    errors = [str(p) for p in check(project).errors]
    assert errors == [f'content/{LLR}/area.yaml:4:7: logo "logo.png" points outside the content folder']


def test_image_symlink_leading_outside_is_refused(project):
    (project / "secret.png").write_bytes(b"\x89PNG not yours")
    folder = project / f"content/{LLR}/2014-15"
    (folder / "photo.png").symlink_to(project / "secret.png")
    (folder / "local-page.md").write_text("Text.\n\n![A photo](photo.png)\n", encoding="utf-8")
    errors = [str(p) for p in check(project).errors]
    assert errors == [f'content/{LLR}/2014-15/local-page.md:3:1: image "photo.png" points outside the content folder']


def test_symlink_inside_the_content_folder_is_followed(project):
    """A link that stays inside content/ is fine: the file is copied, not the link."""
    folder = project / f"content/{LLR}/2014-15"
    (project / f"content/{LLR}/shared.png").write_bytes(b"\x89PNG\r\n\x1a\n shared")
    (folder / "photo.png").symlink_to(project / f"content/{LLR}/shared.png")
    (folder / "local-page.md").write_text("Text.\n\n![A photo](photo.png)\n", encoding="utf-8")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    copied = project / f"output/{LLR}/2014-15/shared.png"
    assert copied.read_bytes() == b"\x89PNG\r\n\x1a\n shared" and not copied.is_symlink()


def test_entities_are_not_decoded_into_markup(outcomes):
    report = (outcomes["HTML entities"].output / f"{LLR}/2020-21/index.html").read_text(encoding="utf-8")
    assert "<b>bold</b>" not in report
    assert "&amp;lt;script&amp;gt;" in report  # a YAML field: the author's "&lt;" is shown as "&lt;", not as "<"
    assert "&lt;script&gt;alert(&quot;entity&quot;)" in report  # Markdown: the entity becomes the character, escaped
