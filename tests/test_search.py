"""Search: the sections' text written at build time, read back. The index made from it in the
browser, and its behaviour, are in tests/browser/test_search_page.py."""
import json
import re
import shutil
import subprocess
import sys

import pytest

from conftest import LLR, REPO, copy_project
from mappa_ssg import build, check
from mappa_ssg.output import OutputError
from mappa_ssg.render import Renderer, report_path
from mappa_ssg.search import index_script, page_sections, plain_text, section_cache_name, section_docs


def read_index(site):
    script = (site / "search" / "index.js").read_text(encoding="utf-8")
    assert script.startswith("window.mappaSearch = ") and script.endswith(";\n")
    return json.loads(script.removeprefix("window.mappaSearch = ").removesuffix(";\n"))


def test_plain_text_drops_tags_and_unescapes():
    assert plain_text("<p>Lay <em>adviser&#x27;s</em>\n report &amp; more</p>") == "Lay adviser's report & more"


def test_page_sections_reads_each_section_of_a_report_page(example_site):
    html = (example_site / LLR / "2014-15" / "index.html").read_text(encoding="utf-8")
    sections = page_sections(html)
    assert [s[0] for s in sections][:4] == ["introduction", "what-is-mappa", "statistics", "explanation"]
    statistics = dict((i, t) for i, _, t in sections)["statistics"]
    assert "Category 1 registered sexual offenders" in statistics
    assert "1,073" in statistics


def test_every_section_is_indexed_and_national_text_once_per_edition(example_site):
    data = read_index(example_site)
    docs = data["docs"]
    urls = [d["url"] for d in docs]
    assert len(urls) == len(set(urls))
    # Area sections of every report, national text once per edition, linked to the newest
    # report of the edition.
    site = check(REPO).site
    newest = {}
    for report in sorted(site.reports, key=lambda r: (-r.year.start, r.area.name)):
        newest.setdefault(report.edition.id, report)
    for kind in ("what-is-mappa", "explanation"):
        assert sorted(u for u in urls if u.endswith("#" + kind)) == sorted(
            f"../{r.area.slug}/{r.year.label}/index.html#{kind}" for r in newest.values())
    assert len(newest) >= 2
    assert sum(u.endswith("#statistics") for u in urls) == len(site.reports) == 6
    assert f"../{LLR}/2020-21/index.html#lay-adviser" in urls
    statistics = next(d for d in docs if d["url"] == f"../{LLR}/2014-15/index.html#statistics")
    assert statistics["title"] == "MAPPA statistics" and "1,073" in statistics["text"]
    assert "Category 1 registered sexual offenders" in statistics["text"]


def test_the_index_file_holds_the_sections_only_and_is_made_without_lunr_py(example_site, tmp_path):
    """lunr.py built the index here: most of a large archive's build time. The browser indexes
    the sections now, with one stemmer for the text and the query."""
    data = read_index(example_site)
    assert list(data) == ["docs"]
    assert all(list(d) == ["context", "text", "title", "url"] for d in data["docs"])
    code = ("import sys; sys.modules['lunr'] = None; from mappa_ssg import build; "  # any import of lunr fails
            "assert build(sys.argv[1], pdf=False).ok")
    copy_project(tmp_path)
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "output/search/index.js").read_bytes() == (example_site / "search/index.js").read_bytes()
    assert "lunr" not in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_sections_read_from_the_staged_pages_are_those_of_the_rendered_pages(example_site):
    """The index reads the report pages as written, instead of rendering each page again."""
    site = check(REPO).site
    renderer = Renderer(site, REPO)
    staged = section_docs(site, lambda r: (example_site / report_path(r)).read_text(encoding="utf-8"))
    rendered = section_docs(site, lambda r: str(renderer.report(r).content))
    assert len(staged) > 6 * 5 and staged == rendered
    assert (example_site / "search/index.js").read_text(encoding="utf-8") == index_script(staged)


def test_page_sections_skips_what_is_not_a_report_section():
    page = ('<nav><section class="toc">Contents</section></nav>'
            '<section class="section section-text" id="intro" aria-labelledby="intro-title">\n'
            '<h2 id="intro-title">Intro&shy;duction</h2>\n<p>One\n  <em>two</em></p><table><tr><td>3</td></tr></table></section>'
            '<footer>Not a section</footer>')
    assert page_sections(page) == [("intro", "Intro\u00adduction", "One two 3")]


def test_an_edited_report_gives_the_index_a_full_build_gives(project, tmp_path):
    """The index is remade from the pages of the staging folder, most of them kept from the last build."""
    assert build(project, pdf=False).ok
    intro = project / f"content/{LLR}/2020-21/introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA zygomorphic sentence added later.\n", encoding="utf-8")
    other_page = project / "output" / LLR / "2014-15/index.html"
    inode = other_page.stat().st_ino
    assert build(project, pdf=False).ok
    assert other_page.stat().st_ino == inode  # kept, not rendered again, and still indexed
    incremental = (project / "output/search/index.js").read_bytes()
    fresh = tmp_path / "fresh"
    for name in ("content", "templates"):
        shutil.copytree(project / name, fresh / name)
    assert build(fresh, pdf=False).ok
    assert incremental == (fresh / "output/search/index.js").read_bytes()
    assert "zygomorphic" in incremental.decode("utf-8")
    assert f"../{LLR}/2014-15/index.html#statistics" in incremental.decode("utf-8")


def test_search_page_lists_every_report_without_javascript_and_has_one_search_box(example_site):
    html = (example_site / "search" / "index.html").read_text(encoding="utf-8")
    ids = ["north-wales-2023-24", "cheshire-2022-23", f"{LLR}-2020-21", "merseyside-2017-18", f"{LLR}-2014-15", "merseyside-2013-14"]
    assert re.findall(r'<li data-search-id="([^"]+)"><a href="([^"]+)"', html) == [
        (i, f"../{i[:-8]}/{i[-7:]}/index.html") for i in ids]
    assert html.count('type="search"') == 1
    assert '<script src="../assets/lunr.min.js"></script>' in html
    home = (example_site / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="search/index.html" method="get">' in home


def test_after_an_edit_only_the_edited_page_is_read_for_sections_again(project, monkeypatch):
    import mappa_ssg.search as search

    read = []
    monkeypatch.setattr(search, "page_sections", lambda page: read.append(page) or page_sections(page))
    assert build(project, pdf=False, jobs=1).ok
    assert len(read) == 6
    first = (project / "output/search/index.js").read_bytes()
    # A build into another folder, with drafts (as `mappa serve` makes), keeps its own cache.
    assert build(project, project / "preview", pdf=False, jobs=1, drafts=True).ok
    read.clear()
    intro = project / f"content/{LLR}/2020-21/introduction.md"
    intro.write_text(intro.read_text(encoding="utf-8") + "\nA zygomorphic sentence added later.\n", encoding="utf-8")
    assert build(project, pdf=False, jobs=1).ok
    assert len(read) == 1 and "zygomorphic" in read[0]
    intro.write_text(intro.read_text(encoding="utf-8").replace("\nA zygomorphic sentence added later.\n", ""), encoding="utf-8")
    assert build(project, pdf=False, jobs=1).ok
    assert len(read) == 2  # the page as it was before is read again: only this build's pages are kept
    assert (project / "output/search/index.js").read_bytes() == first


def test_a_damaged_section_cache_is_made_again(project, tmp_path):
    assert build(project, pdf=False).ok
    first = (project / "output/search/index.js").read_bytes()
    cache = project / ".mappa-cache" / section_cache_name(project / "output")
    assert cache.is_file()
    cache.write_bytes(b"not a pickle")
    (project / "output/search/index.js").unlink()  # made again; the pages are kept
    assert build(project, pdf=False).ok
    assert (project / "output/search/index.js").read_bytes() == first
    assert cache.read_bytes() != b"not a pickle"


def test_sections_cached_by_a_build_that_failed_are_not_taken_for_the_pages_kept(project, monkeypatch):
    """A build that fails after its search index was made leaves the cache holding the sections
    of pages it never published; the next build keeps the previous output's pages, and indexes
    those, not the failed build's."""
    from mappa_ssg.incremental import Plan

    assert build(project, pdf=False).ok
    first = (project / "output/search/index.js").read_bytes()
    intro = project / f"content/{LLR}/2020-21/introduction.md"
    original = intro.read_text(encoding="utf-8")
    intro.write_text(original + "\nA zygomorphic sentence never published.\n", encoding="utf-8")

    def disk_full(self):  # the last step before the new output is swapped in
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(Plan, "forget", disk_full)
        with pytest.raises(OutputError):
            build(project, pdf=False)
    intro.write_text(original, encoding="utf-8")  # back as it was: the published page is kept
    other = project / "content/cheshire/2022-23/introduction.md"  # and the index has to be made again
    other.write_text(other.read_text(encoding="utf-8") + "\nA quincunx sentence added later.\n", encoding="utf-8")
    page = project / "output" / LLR / "2020-21/index.html"
    inode = page.stat().st_ino
    assert build(project, pdf=False).ok
    assert page.stat().st_ino == inode
    index = (project / "output/search/index.js").read_text(encoding="utf-8")
    assert "quincunx" in index and "zygomorphic" not in index
    assert index != first.decode("utf-8")
