"""Content cannot make mappa read outside the project, wait forever or crash: issue 11, item 2.

Real links, a real named pipe and /dev/zero; commands that could hang run in a subprocess with
a time limit, so a regression fails the test instead of stopping the suite.
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LLR
from mappa_ssg import build, check

YEAR = f"content/{LLR}/2014-15"
OUTSIDE = "only files inside it are read; copy the file in instead"


def errors(project):
    return [str(p) for p in check(project).errors]


def run_check(project: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """`mappa check` in a separate process: a hang becomes a TimeoutExpired, a crash a traceback."""
    return subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)],
                          capture_output=True, text=True, timeout=timeout)


def replace_with_link(path: Path, target: str | Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
    path.symlink_to(target)


def test_markdown_linked_to_etc_passwd_is_refused_and_not_published(project):
    replace_with_link(project / YEAR / "local-page.md", "/etc/passwd")
    result = build(project, pdf=False)
    assert [str(p) for p in result.errors] == [
        f"{YEAR}/local-page.md:1:1: is a link to a file outside the content folder (/etc/passwd): {OUTSIDE}"]
    assert not (project / "output").exists()


def test_yaml_linked_to_a_file_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere" / "area.yaml"
    outside.parent.mkdir()
    shutil.copy(project / "content" / LLR / "area.yaml", outside)
    replace_with_link(project / "content" / LLR / "area.yaml", outside)
    assert errors(project) == [f"content/{LLR}/area.yaml:1:1: is a link to a file outside the content folder ({outside}): {OUTSIDE}"]


def test_linked_year_and_area_folders_outside_are_refused(project, tmp_path):
    year_copy = tmp_path / "elsewhere-year"
    shutil.copytree(project / YEAR, year_copy)
    replace_with_link(project / YEAR, year_copy)
    area_copy = tmp_path / "elsewhere-area"
    shutil.copytree(project / "content" / "merseyside", area_copy)
    replace_with_link(project / "content" / "merseyside", area_copy)
    assert errors(project) == [
        f"content/{LLR}/2014-15:1:1: is a link to a folder outside the content folder ({year_copy}): "
        "only files inside it are read; copy the folder in instead",
        f"content/merseyside:1:1: is a link to a folder outside the content folder ({area_copy}): "
        "only files inside it are read; copy the folder in instead",
    ]


def test_links_that_stay_inside_the_content_folder_are_followed(project):
    shutil.move(project / YEAR / "local-page.md", project / "content" / "shared-local-page.md")
    (project / YEAR / "local-page.md").symlink_to("../../shared-local-page.md")
    assert errors(project) == []


def test_a_link_loop_is_a_problem_not_a_hang(project):
    page = project / YEAR / "local-page.md"
    replace_with_link(page, "local-page.md")
    (project / "content" / LLR / "2099-00").symlink_to("2099-00")  # a folder loop too
    proc = run_check(project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout + proc.stderr
    assert f"{YEAR}/local-page.md:1:1: is a link that leads back to itself (a loop): replace it with the real file or folder" in out
    assert f"content/{LLR}/2099-00:1:1: is a link that leads back to itself (a loop): replace it with the real file or folder" in out


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(project):
    for rel in (f"{YEAR}/local-page.md", "content/site.yaml", f"content/merseyside/2013-14/report.yaml"):
        (project / rel).unlink()
        os.mkfifo(project / rel)
    proc = run_check(project)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    out = proc.stdout + proc.stderr
    for rel in (f"{YEAR}/local-page.md", "content/site.yaml", f"content/merseyside/2013-14/report.yaml"):
        assert f"{rel}:1:1: is not a file (a named pipe): only ordinary files are read" in out, out


def test_dev_zero_is_refused_before_reading(project):
    replace_with_link(project / YEAR / "report.yaml", "/dev/zero")
    proc = run_check(project, timeout=60)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert f"{YEAR}/report.yaml:1:1: is a link to a file outside the content folder (/dev/zero): {OUTSIDE}" in proc.stdout + proc.stderr


def test_a_folder_named_like_a_markdown_file_is_refused(project):
    (project / YEAR / "local-page.md").unlink()
    (project / YEAR / "local-page.md").mkdir()
    assert f"{YEAR}/local-page.md:1:1: is not a file (a folder): only ordinary files are read" in errors(project)


def test_a_link_to_the_whole_disk_is_not_walked(project):
    # Hidden folders are skipped by the loader, but the change detector (incremental.py) looks
    # at every file: it must not follow a link out of the project either.
    (project / "content" / ".everything").symlink_to("/")
    proc = subprocess.run([sys.executable, "-m", "mappa_ssg", "build", "--no-pdf", "-p", str(project)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mappa_new_never_copies_in_a_file_from_outside(project):
    from click.testing import CliRunner

    from mappa_ssg.cli import main

    (project / "content" / LLR / "2020-21" / "notes.txt").symlink_to("/etc/passwd")
    result = CliRunner().invoke(main, ["new", "-p", str(project), LLR, "2021-22"])
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.output == (f"error: content/{LLR}/2020-21/notes.txt is a link to a file outside the content folder (/etc/passwd): "
                             f"{OUTSIDE}\n")
    assert not (project / "content" / LLR / "2021-22").exists()


def test_a_template_override_linked_outside_is_a_problem_not_page_text(project):
    (project / "overrides").mkdir()
    (project / "overrides" / "home.html").symlink_to("/etc/passwd")
    result = build(project, pdf=False)
    assert [str(p) for p in result.errors] == [
        "overrides/home.html:1:1: template error: is a link to a file outside the overrides folder (/etc/passwd): "
        f"{OUTSIDE}"]
    assert not (project / "output").exists()


def test_a_template_override_that_is_a_pipe_does_not_hang_the_build(project):
    (project / "overrides").mkdir()
    os.mkfifo(project / "overrides" / "home.html")
    proc = subprocess.run([sys.executable, "-m", "mappa_ssg", "build", "--no-pdf", "-p", str(project)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert "overrides/home.html:1:1: template error: is not a file (a named pipe): only ordinary files are read" in proc.stdout + proc.stderr


def test_edition_files_linked_outside_are_refused(project, tmp_path):
    editions = project / "templates" / "editions"
    first = sorted(p for p in editions.iterdir() if p.is_dir())[0]
    outside = tmp_path / "outside-edition"
    shutil.copytree(first, outside)
    (editions / "9999-00").symlink_to(outside)
    problems = errors(project)
    assert f"templates/editions/9999-00:1:1: is a link to a folder outside the templates folder ({outside}): " \
           "only files inside it are read; copy the folder in instead" in problems, problems
    (editions / "9999-00").unlink()
    boilerplate = next(p for p in sorted(first.iterdir()) if p.suffix == ".html")
    replace_with_link(boilerplate, "/etc/passwd")
    result = build(project, pdf=False)
    rel = boilerplate.relative_to(project).as_posix()
    assert [str(p) for p in result.errors] == [
        f"{rel}:1:1: template error: is a link to a file outside the templates folder (/etc/passwd): {OUTSIDE}"], result.errors


def test_the_quick_real_path_and_path_resolve_agree(tmp_path, monkeypatch):
    # Linux names a file's real path when it is opened with O_PATH (one system call instead of
    # one per folder); elsewhere Path.resolve is asked. Both must accept and refuse the same files
    # with the same words, the second also for every problem the first hands over to it.
    from mappa_ssg import sources

    root = tmp_path / "content"
    (root / "area").mkdir(parents=True)
    (root / "area" / "file.md").write_text("text")
    (tmp_path / "outside.md").write_text("secret")
    links = {"inside": "area/file.md", "outside": "../outside.md", "broken": "area/gone.md", "loop": "loop",
             "folder-link": "area", "etc": "/etc/passwd", "zero": "/dev/zero"}
    for name, target in links.items():
        (root / name).symlink_to(target)
    os.mkfifo(root / "pipe")
    paths = [root / "area" / "file.md", root / "area" / ".." / "area" / "file.md", root / "missing.md", root / "pipe",
             *(root / name for name in links), root / "folder-link" / "file.md"]

    def outcome(path):
        try:
            return "read", sources.read_bytes(path, root)
        except sources.Unreadable as exc:
            return "refused", str(exc)

    quick = [outcome(p) for p in paths]
    monkeypatch.setattr(sources, "_O_PATH", None)
    assert quick == [outcome(p) for p in paths]
    assert [kind for kind, _ in quick].count("read") == 4
