"""`-o` never destroys anything mappa did not make.

mappa replaces an output folder only when it made that folder itself (the `.mappa-output` marker,
or an older build recorded in `.mappa-cache/`), or when it is empty or absent; never a folder
that is, holds or sits inside content/, templates/, overrides/, .git or the project itself.
Each refusal runs the real command line and checks every file of the project byte for byte.
"""
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import LLR
from mappa_ssg import build
from mappa_ssg.cli import main
from mappa_ssg.output import MARKER, OutputError, check_target


def tree(root: Path) -> dict[str, bytes | str]:
    """Every file (bytes), folder and symlink (its target) under ``root``, by relative path."""
    found: dict[str, bytes | str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            found[rel] = f"-> {os.readlink(path)}" if path.is_symlink() else ("dir" if path.is_dir() else path.read_bytes())
    return found


@pytest.fixture
def home(tmp_path, project):
    """A project as an author has it: in a home folder, with git, overrides and unrelated files."""
    (project / "overrides").mkdir()
    (project / "overrides" / "base.html").write_text('{% extends "base/base.html" %}\n')
    git = project / ".git"
    (git / "objects" / "ab").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "objects" / "ab" / "cdef").write_bytes(b"\x78\x01blob")
    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "holiday.jpg").write_bytes(b"\xff\xd8\xff not really a photo")
    (project / "notes.txt").write_text("a file, not a folder\n")
    (project / "link-to-content").symlink_to("content")
    (project / "link-to-git").symlink_to(project / ".git")
    (project / "link-to-templates").symlink_to("templates/")
    return tmp_path


def run(project: Path, output: str, cwd: Path):
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, ["build", "-p", str(project), "--no-pdf", "-o", output])
    finally:
        os.chdir(previous)


REFUSED = [
    # (the -o value as typed, run from the project folder unless it starts with "~")
    "content", "content/", "./content", "templates", "overrides", ".git", ".git/objects",
    f"content/{LLR}", f"content/{LLR}/2020-21", f"content/{LLR}/new-folder", "content/../content",
    "output/../templates", "templates/assets", "overrides/new",
    ".", "./", "..", "/",
    "link-to-content", "link-to-content/", "link-to-git", "link-to-templates",
    "~", "~/photos",
]


@pytest.mark.parametrize("typed", REFUSED)
def test_output_that_would_replace_sources_or_unrelated_files_is_refused(home, typed):
    project = home / "project"
    before_project, before_home = tree(project), tree(home)
    output = str(home) + typed[1:] if typed.startswith("~") else typed
    result = run(project, output, project)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "built" not in result.output and "Traceback" not in result.output
    assert tree(home) == before_home and tree(project) == before_project


def test_messages_say_what_is_wrong(home):
    project = home / "project"
    assert "is the project's content/ folder" in run(project, "content", project).output
    assert "is inside the project's .git/ folder" in run(project, ".git/objects", project).output
    assert "holds the project folder" in run(project, "..", project).output
    assert "is the project folder" in run(project, ".", project).output
    message = run(project, str(home / "photos"), project).output
    assert "was not made by mappa" in message and "holiday.jpg" in message and "empty folder" in message


def test_a_file_instead_of_a_folder_is_refused(home):
    project = home / "project"
    before = tree(project)
    result = run(project, "notes.txt", project)
    assert result.exit_code == 2 and "is a file" in result.output  # click: typed wrongly
    with pytest.raises(OutputError, match="is a file, not a folder"):
        check_target(project / "notes.txt", project)
    assert tree(project) == before


def test_sources_behind_symlinks_are_protected(tmp_path, project):
    # content/ kept elsewhere and linked in: the real folder is protected too.
    shared = tmp_path / "shared-content"
    (project / "content").rename(shared)
    (project / "content").symlink_to(shared)
    before = tree(shared)
    result = run(project, str(shared / LLR), tmp_path)
    assert result.exit_code == 1 and "inside the project's content/ folder" in result.output
    assert tree(shared) == before


def test_absent_empty_and_marked_folders_are_built(tmp_path, project):
    for name in ("absent/deeper", "empty"):
        if name == "empty":
            (tmp_path / name).mkdir()
        result = run(project, str(tmp_path / name), tmp_path)
        assert result.exit_code == 0, result.output
        assert (tmp_path / name / "index.html").is_file() and (tmp_path / name / MARKER).is_file()
    # A folder mappa made is replaced whole, by a build of this project or another one.
    (tmp_path / "empty" / "stale.html").write_text("left by hand")
    (tmp_path / "empty" / "index.html").unlink()
    assert run(project, str(tmp_path / "empty"), tmp_path).exit_code == 0
    assert not (tmp_path / "empty" / "stale.html").exists() and (tmp_path / "empty" / "index.html").is_file()


def test_the_marker_is_not_published_in_sitemap_or_search(project):
    result = build(project, pdf=False)
    assert result.ok and MARKER not in result.written
    marker = (project / "output" / MARKER).read_text()
    assert "mappa" in marker and "replace" in marker
    for name in ("sitemap.xml", "search/index.js"):
        assert MARKER not in (project / "output" / name).read_text()


def test_output_built_by_the_previous_version_is_still_replaced(project):
    # Before the marker, mappa recorded every file it wrote in .mappa-cache/: such a folder is ours.
    assert build(project, pdf=False).ok
    (project / "output" / MARKER).unlink()
    (project / "content" / LLR / "2020-21" / "local-page.md").write_text("# Changed\n\nNew text.\n")
    assert build(project, pdf=False).ok
    assert (project / "output" / MARKER).is_file()
    # ... unless someone put files there that mappa did not make: those are not ours to delete.
    (project / "output" / MARKER).unlink()
    (project / "output" / "CNAME").write_text("reports.example.org\n")
    with pytest.raises(OutputError, match="CNAME"):
        build(project, pdf=False)
    assert (project / "output" / "CNAME").read_text() == "reports.example.org\n"


def test_serve_refuses_nothing_it_made_and_keeps_its_folder(project):
    # The preview folder is an output folder like any other: a stray folder there is refused.
    stray = project / ".mappa-cache" / "serve"
    stray.mkdir(parents=True)
    (stray / "mine.txt").write_text("not mappa's")
    from mappa_ssg.serve import Preview

    preview = Preview(project, port=0, on_build=lambda result, seconds: None)
    try:
        result = preview.rebuild()
    finally:
        preview.httpd.server_close()
    assert not result.ok and "was not made by mappa" in str(result.problems[0])
    assert (stray / "mine.txt").read_text() == "not mappa's"
