"""Markdown cannot inject HTML or script; content paths cannot leave the project; no file can
make checking take minutes."""
import os
import subprocess
import sys

import pytest

from conftest import LLR, REPO, edit
from mappa_ssg import build, check

LOCAL = f"content/{LLR}/2014-15/local-page.md"


def test_raw_html_and_script_are_shown_as_text(project):
    (project / LOCAL).write_text(
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
        "[click](javascript:alert(3)) [ok](https://example.org)\n\n<div onclick=\"x()\">div</div>\n\n"
        "{{ site.title }} {% if true %}jinja{% endif %}\n")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    html = (project / f"output/{LLR}/2014-15/index.html").read_text()
    section = html.split('id="local-page"')[1].split("</section>")[0]
    assert "<script" not in section and "<img" not in section and "<div" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section
    assert 'href="javascript:' not in section
    assert '<a href="https://example.org" rel="noopener">ok</a>' in section
    assert "{{ site.title }}" in section and "{% if true %}" in section


def test_yaml_text_is_escaped(project):
    edit(project / f"content/{LLR}/area.yaml", "name: Leicester, Leicestershire and Rutland", 'name: "Leicester <b>bold</b> & co"')
    result = build(project, pdf=False)
    assert result.ok
    html = (project / f"output/{LLR}/2014-15/index.html").read_text()
    assert "Leicester &lt;b&gt;bold&lt;/b&gt; &amp; co" in html and "<b>bold" not in html


def test_images_outside_content_and_remote_images_are_refused(project):
    (project / "secret.png").write_bytes(b"not really")
    (project / LOCAL).write_text("![a secret](../../../../secret.png)\n\n![remote](https://example.org/x.png)\n\n![](photo.png)\n")
    errors = [str(p) for p in check(project).errors]
    assert f'{LOCAL}:1:1: image "../../../../secret.png" points outside the content folder' in errors
    assert f'{LOCAL}:3:1: image "https://example.org/x.png" is not a file in the report folder: pages may not load anything from other sites' in errors
    assert f'{LOCAL}:5:1: image "photo.png" has no description: write ![what the image shows](photo.png)' in errors


def test_image_inside_report_folder_is_copied(project):
    (project / f"content/{LLR}/2014-15/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n fake")
    (project / LOCAL).write_text("Text.\n\n![Staff at a MAPPA meeting](photo.png)\n")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    assert (project / f"output/{LLR}/2014-15/photo.png").read_bytes() == b"\x89PNG\r\n\x1a\n fake"
    assert 'src="photo.png" alt="Staff at a MAPPA meeting"' in (project / f"output/{LLR}/2014-15/index.html").read_text()


# -- pathological Markdown (issue 11, item 10) ---------------------------------------------------
def test_a_megabyte_of_brackets_is_refused_quickly_with_its_line(project):
    # markdown-it-py rescans the rest of a paragraph for each "[": this file took 35 s to check.
    # Timing belongs in the benchmark; a generous bound here only stops a hang passing as a test.
    intro = project / "content" / LLR / "2020-21" / "introduction.md"
    intro.write_text("Some text first.\n\n" + "[" * 990_000 + "\n", encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)],
                             capture_output=True, text=True, timeout=10, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert checked.returncode == 1, checked.stderr
    assert (f"content/{LLR}/2020-21/introduction.md:3:1: too many of the characters [ * _ < ` | ~ to check in time "
            "(this paragraph has the most)") in checked.stdout + checked.stderr


@pytest.mark.parametrize("unit", ["[", "![", "*_", "[a](", "<", "`a", "|a"])
def test_markup_up_to_the_budget_is_parsed_and_beyond_it_refused(unit):
    # The cost model: blocks' markup characters times their lengths, summed over the file.
    from mappa_ssg.markdown import MARKUP_BUDGET, too_complex

    def cost(text):
        return sum(sum(b.count(c) for c in "[*_<`|~") * len(b) for b in text.split("\n\n"))

    n = 1
    while cost(unit * (n + 1)) <= MARKUP_BUDGET:
        n += 1
    assert too_complex(unit * n) is None
    assert too_complex("A first paragraph.\n\n" + unit * (n + 1)) == (2, cost(unit * (n + 1)) + cost("A first paragraph."))


def test_fenced_code_and_ordinary_links_do_not_count_against_the_budget():
    from mappa_ssg.markdown import too_complex

    links = " ".join(f"[partner {i}](https://example.org/{i})" for i in range(60))
    assert too_complex(("A paragraph with many links: " + links + "\n\n") * 20) is None
    assert too_complex("```\n" + "[*_" * 100_000 + "\n```\n\nText after the code.") is None
