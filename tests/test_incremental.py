"""Incremental builds: unchanged outputs are reused, and the result is the same as a clean build."""
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import LLR, edit
from mappa_ssg import build

INTRO = f"content/{LLR}/2020-21/introduction.md"


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_build(project: Path, tmp_path: Path, **options) -> dict[str, bytes]:
    """The same project built from nothing: a fresh copy, so no cache of any kind is used."""
    fresh = tmp_path / "fresh"
    for name in ("content", "templates"):
        shutil.copytree(project / name, fresh / name)
    assert build(fresh, **options).ok
    return files(fresh / "output")


def test_edit_rebuilds_the_same_files_as_a_clean_build(project, tmp_path):
    assert build(project, pdf=False).ok
    report_page = project / "output" / LLR / "2020-21/index.html"
    other_page = project / "output" / LLR / "2014-15/index.html"
    other_inode = other_page.stat().st_ino
    (project / INTRO).write_text((project / INTRO).read_text() + "\nA sentence added after the first build.\n")
    result = build(project, pdf=False)
    assert result.ok
    assert "A sentence added after the first build." in report_page.read_text()
    # The unchanged report's page was taken from the previous output, not rendered again.
    assert other_page.stat().st_ino == other_inode
    assert files(project / "output") == clean_build(project, tmp_path, pdf=False)


def test_template_change_rebuilds_every_page(project, tmp_path):
    assert build(project, pdf=False).ok
    edit(project / "templates/base.html", "<body>", '<body class="changed">')
    assert build(project, pdf=False).ok
    pages = [p for p in (project / "output").rglob("*.html")]
    assert len(pages) >= 6 and all('<body class="changed">' in p.read_text() for p in pages)
    assert files(project / "output") == clean_build(project, tmp_path, pdf=False)


def test_noop_rebuild_touches_nothing_and_replays_the_result(project):
    first = build(project, pdf=False)
    assert first.ok
    output_inode = (project / "output").stat().st_ino
    again = build(project, pdf=False)
    assert again.ok and again.site is None
    assert again.written == first.written and again.problems == first.problems
    assert (project / "output").stat().st_ino == output_inode, "output/ was replaced although nothing changed"


def test_noop_replays_warnings_and_strict_still_fails(project):
    (project / f"content/{LLR}/2020-21/notes.md").write_text("Some notes.\n")
    first = build(project, pdf=False)
    assert first.ok and [str(p) for p in first.warnings] == [
        f'content/{LLR}/2020-21/notes.md:1:1: warning: not in the report: add "notes" to sections in report.yaml, or delete the file']
    assert [str(p) for p in build(project, pdf=False).warnings] == [str(p) for p in first.warnings]
    assert not build(project, pdf=False, strict=True).ok


def test_a_deleted_output_file_is_made_again(project):
    assert build(project, pdf=False).ok
    (project / "output/index.html").unlink()
    assert build(project, pdf=False).ok
    assert (project / "output/index.html").is_file()


def test_edit_renders_only_that_reports_pdf(project, tmp_path):
    assert build(project, pdf=True, jobs=1).ok
    before = files(project / "output")
    (project / INTRO).write_text((project / INTRO).read_text() + "\nOne more sentence.\n")
    result = build(project, pdf=True, jobs=1)
    assert result.ok and (result.pdfs_rendered, result.pdfs_reused) == (1, 6)
    after = files(project / "output")
    changed = {p for p in after if after[p] != before.get(p)}
    # The search index holds every report's text, so it changes too.
    assert changed == {f"{LLR}/2020-21/index.html", f"{LLR}/2020-21/{LLR}-mappa-annual-report-2020-21.pdf", "search/index.js"}


def test_html_build_never_imports_weasyprint(project):
    code = ("import sys; from mappa_ssg import build; assert build(sys.argv[1], pdf=False).ok; "
            "assert 'weasyprint' not in sys.modules, 'weasyprint was imported'")
    proc = subprocess.run([sys.executable, "-c", code, str(project)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def _compiled_by_name(monkeypatch) -> list[str]:
    """The names of the template files Jinja compiles from here on (not the national texts,
    which are compiled from strings in every build)."""
    import jinja2

    compiled: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        if name is not None:
            compiled.append(name)
        return compile_(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_templates_compiled_by_one_build_are_loaded_by_the_next(project, monkeypatch, tmp_path):
    compiled = _compiled_by_name(monkeypatch)
    assert build(project, pdf=False, jobs=1).ok
    assert "report.html" in compiled and "base.html" in compiled
    assert list((project / ".mappa-cache").glob("templates-*/__jinja2_*.cache"))
    compiled.clear()
    edit(project / INTRO, "\n", "\nAn edit, so the pages are made again.\n")
    edit(project / "templates/area.html", "</h1>", " (edited)</h1>")
    assert build(project, pdf=False, jobs=1).ok
    assert compiled == ["area.html"], "only the edited template is compiled again"
    assert "(edited)</h1>" in (project / "output" / LLR / "index.html").read_text()
    assert files(project / "output") == clean_build(project, tmp_path, pdf=False)


def test_a_template_cache_that_cannot_be_written_only_loses_the_head_start(project, monkeypatch, tmp_path):
    import jinja2

    def full_disk(self, bucket):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    assert build(project, pdf=False).ok
    monkeypatch.undo()
    # The cache's folder cannot even be made: a file is where it would go.
    shutil.rmtree(project / ".mappa-cache")
    (project / ".mappa-cache").mkdir()
    (project / "output").rename(tmp_path / "first")
    for language in ("en-GB", "cy"):
        from mappa_ssg.render import _compiled_folder

        Path(_compiled_folder(project / ".mappa-cache", language)).write_text("not a folder")
    assert build(project, pdf=False).ok
    assert files(project / "output") == files(tmp_path / "first")


def test_a_damaged_compiled_template_is_compiled_again(project, tmp_path):
    assert build(project, pdf=False).ok
    first = files(project / "output")
    cached = list((project / ".mappa-cache").glob("templates-*/__jinja2_*.cache"))
    assert cached
    from jinja2.bccache import bc_magic

    for path in cached:  # Jinja's header kept, the rest garbage: as a disk fault might leave it
        path.write_bytes(path.read_bytes()[:len(bc_magic)] + b"\x00damaged")
    (project / "output").rename(tmp_path / "first")
    assert build(project, pdf=False).ok
    assert files(project / "output") == first
