"""Faults while writing (disk full, no permission, read-only disk) and the output's permissions.

Each fault gives one line `error: ...`, exit status 1, no traceback, and the previous output
exactly as it was. Faults are made for real where the machine allows (a small tmpfs mounted for
the test, a build bound by file permissions even as root) and by making
the operating system calls fail otherwise, so each stage of writing is covered either way.
"""
import errno
import multiprocessing
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import LLR, REPO, edit, interruptible
from mappa_ssg import build
from mappa_ssg import output as output_module
from mappa_ssg import pdf as pdf_module
from mappa_ssg.cli import main
from test_safe_output import leftovers, snapshot

INTRO = f"content/{LLR}/2014-15/introduction.md"


def cli(*args: str, umask: int | None = None, limited: bool = False) -> subprocess.CompletedProcess:
    """The real `mappa` command in a fresh process, optionally with a umask, or (``limited``)
    bound by file permissions: root ignores them, so as root it runs without the capabilities
    that let it (it stays the owner of its files, as an ordinary user is)."""
    prefix = []
    if limited and os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("needs setpriv (util-linux) to run a build bound by file permissions as root")
        caps = "-dac_override,-dac_read_search,-fowner,-linux_immutable"
        prefix = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}"]
    return subprocess.run([*prefix, sys.executable, "-m", "mappa_ssg", *args], capture_output=True, text=True,
                          umask=-1 if umask is None else umask, env={**os.environ, "PYTHONPATH": str(REPO)})


def one_error_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in text, text
    return lines[0]


# -- permissions (umask) ---------------------------------------------------------------------

def modes(folder: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"folders": {oct(stat.S_IMODE(folder.stat().st_mode))}, "files": set()}
    for path in folder.rglob("*"):
        found["folders" if path.is_dir() else "files"].add(oct(stat.S_IMODE(path.stat().st_mode)))
    return found


@pytest.mark.parametrize("umask, pdf", [(0o022, False), (0o027, True)])
def test_output_honours_the_umask(project, umask, pdf):
    if pdf:
        shutil.rmtree(project / "content" / "merseyside")  # fewer PDFs to render
    proc = cli("build", "-p", str(project), "--jobs", "1", *([] if pdf else ["--no-pdf"]), umask=umask)
    assert proc.returncode == 0, proc.stderr
    output = project / "output"
    assert modes(output) == {"folders": {oct(0o777 & ~umask)}, "files": {oct(0o666 & ~umask)}}
    if pdf:
        assert list(output.rglob("*.pdf"))


def test_files_reused_from_a_build_with_another_umask_get_this_ones(project):
    assert cli("build", "-p", str(project), "--no-pdf", umask=0o077).returncode == 0
    edit(project / INTRO, "", "Changed.\n\n")  # one page changes; the others are reused (hard links)
    assert cli("build", "-p", str(project), "--no-pdf", umask=0o022).returncode == 0
    assert modes(project / "output") == {"folders": {"0o755"}, "files": {"0o644"}}


# -- faults made by failing the system calls (any machine) -----------------------------------

def fail(code: int, real, when=lambda args: ".mappa-cache" not in args):
    """``real`` (an os-level call), made to fail with ``code`` when ``when(its arguments)``."""
    def call(*args, **kwargs):
        if when(" ".join(map(str, args))):
            raise OSError(code, os.strerror(code), str(args[0]))
        return real(*args, **kwargs)
    return call


STAGES = {
    # where the fault strikes: (what to replace, which call)
    "writing a page": (output_module.os, "write"),
    "copying a file": (output_module.shutil, "copyfile"),
    "making the staging folder": (output_module.os, "mkdir"),
    "swapping the new output in": (output_module.os, "replace"),
}


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
@pytest.mark.parametrize("stage", sorted(STAGES))
def test_a_fault_while_writing_is_one_line_and_keeps_the_output(project, monkeypatch, stage, code):
    runner = CliRunner()
    assert runner.invoke(main, ["build", "-p", str(project), "--no-pdf"]).exit_code == 0
    before = snapshot(project / "output")
    edit(project / INTRO, "", "Changed.\n\n")
    target, name = STAGES[stage]
    monkeypatch.setattr(target, name, fail(code, getattr(target, name)))
    result = runner.invoke(main, ["build", "-p", str(project), "--no-pdf"])
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    line = one_error_line(result.output)
    assert os.strerror(code) in line and "output" in line and "unchanged" in line
    assert snapshot(project / "output") == before
    assert leftovers(project) == []
    # The fault is gone: the next build works and takes the change.
    assert runner.invoke(main, ["build", "-p", str(project), "--no-pdf"]).exit_code == 0
    assert "Changed." in (project / "output" / LLR / "2014-15" / "index.html").read_text()


@pytest.mark.parametrize("jobs", ["1", "2"])  # in this process; on PDF workers (pdf.Printers)
def test_a_fault_while_rendering_pdfs_is_one_line(project, monkeypatch, jobs):
    shutil.rmtree(project / "content" / "merseyside")  # fewer PDFs to render
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    monkeypatch.setattr(pdf_module.Printer, "render", fail(errno.ENOSPC, pdf_module.Printer.render, lambda args: True))
    result = CliRunner().invoke(main, ["build", "-p", str(project), "--jobs", jobs])
    assert result.exit_code == 1, result.output
    assert "No space left on device" in one_error_line(result.output)
    assert snapshot(project / "output") == before
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("death, said", [("exit", "exit status 137"), ("kill", "killed by signal 9")])
def test_a_pdf_worker_that_dies_is_one_line_and_keeps_the_output(project, monkeypatch, death, said):
    """A PDF worker ended from outside (the kernel's out-of-memory killer, say) stops the build
    with one line, not a traceback; the other workers are stopped and the output is as it was."""
    import signal

    shutil.rmtree(project / "content" / "merseyside")
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    end = (lambda: os._exit(137)) if death == "exit" else (lambda: os.kill(os.getpid(), signal.SIGKILL))
    monkeypatch.setattr(pdf_module.Printer, "render", lambda self, job: end())
    result = CliRunner().invoke(main, ["build", "-p", str(project), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert f"a PDF worker stopped ({said}: killed, or out of memory?)" in one_error_line(result.output)
    assert snapshot(project / "output") == before
    assert leftovers(project) == []
    assert multiprocessing.active_children() == []


def test_a_build_record_that_cannot_be_saved_does_not_stop_the_build(project, monkeypatch):
    # The record of what was built (.mappa-cache/manifest-*.json) only saves time. Once the new
    # output is in place, failing to save it is a warning, and the next build trusts no old record.
    assert build(project, pdf=False).ok
    monkeypatch.setattr(output_module.os, "replace", fail(errno.EROFS, os.replace, lambda args: "manifest-" in args))
    edit(project / INTRO, "", "Changed.\n\n")
    assert build(project, pdf=False).ok
    monkeypatch.undo()
    edit(project / INTRO, "Changed.\n\n", "")
    assert build(project, pdf=False).ok
    assert "Changed." not in (project / "output" / LLR / "2014-15" / "index.html").read_text()


# -- faults made for real: a small disk, a read-only disk, permissions -----------------------

@pytest.fixture
def disk():
    """A fresh tmpfs mounted for this test; skipped where mounting is not allowed.
    ``disk.remount(options)`` changes its size or makes it read-only."""
    mount = Path(tempfile.mkdtemp(prefix="mappa-disk-"))
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True, text=True)
    if proc.returncode != 0:
        mount.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")

    class Disk:
        path = mount

        @staticmethod
        def remount(options: str) -> None:
            subprocess.run(["mount", "-o", f"remount,{options}", str(mount)], check=True)

        @staticmethod
        def used() -> int:
            info = os.statvfs(mount)
            return (info.f_blocks - info.f_bfree) * info.f_frsize

    try:
        yield Disk
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)
        mount.rmdir()


def test_disk_full_for_real(project, disk):
    site = disk.path / "site"
    assert cli("build", "-p", str(project), "--no-pdf", "-o", str(site)).returncode == 0
    before = snapshot(site)
    # Room for half a site more: a build that changes every page cannot fit beside the old one.
    disk.remount(f"size={disk.used() * 3 // 2}")
    edit(project / "templates" / "assets" / "style.css", "", "/* changed */\n")
    edit(project / "templates" / "base.html", "<main", "<!-- changed -->\n<main")
    proc = cli("build", "-p", str(project), "--no-pdf", "-o", str(site))
    assert proc.returncode == 1, proc.stderr
    assert "No space left on device" in one_error_line(proc.stderr)
    assert snapshot(site) == before
    assert leftovers(disk.path) == []
    disk.remount("size=16m")
    assert cli("build", "-p", str(project), "--no-pdf", "-o", str(site)).returncode == 0


def test_read_only_disk_for_real(project, disk):
    site = disk.path / "site"
    assert cli("build", "-p", str(project), "--no-pdf", "-o", str(site)).returncode == 0
    before = snapshot(site)
    disk.remount("ro")
    edit(project / INTRO, "", "Changed.\n\n")
    proc = cli("build", "-p", str(project), "--no-pdf", "-o", str(site))
    assert proc.returncode == 1
    assert "Read-only file system" in one_error_line(proc.stderr)
    assert snapshot(site) == before
    disk.remount("rw")
    assert cli("build", "-p", str(project), "--no-pdf", "-o", str(site)).returncode == 0


@pytest.fixture
def unprivileged(project):
    """The project, and `mappa` bound by file permissions (see ``cli``)."""
    return project, lambda *args: cli(*args, limited=True)


def read_only(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(stat.S_IMODE(path.stat().st_mode) & ~0o222)


def test_read_only_output_is_replaced_and_never_jams_later_builds(unprivileged):
    project, mappa = unprivileged
    assert mappa("build", "-p", str(project), "--no-pdf").returncode == 0
    read_only(project / "output")
    for change in ("First change.", "Second change."):
        edit(project / INTRO, "", f"{change}\n\n")
        proc = mappa("build", "-p", str(project), "--no-pdf")
        assert proc.returncode == 0, proc.stderr
        assert change in (project / "output" / LLR / "2014-15" / "index.html").read_text()
        assert leftovers(project) == []
        read_only(project / "output")


def test_folder_the_user_may_not_write_is_one_line(unprivileged, tmp_path):
    project, mappa = unprivileged
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o555)
    proc = mappa("build", "-p", str(project), "--no-pdf", "-o", str(shared / "site"))
    assert proc.returncode == 1
    assert "Permission denied" in one_error_line(proc.stderr)
    assert not (shared / "site").exists()


@pytest.mark.parametrize("stage", ["pages", "pdfs"])
def test_ctrl_c_stops_the_build_with_one_line_and_keeps_the_output(project, stage):
    """Ctrl-C reaches every process of the terminal's group at once. The build stops with one
    line and status 130, no traceback from it or from any worker, the previous output exactly
    as it was, nothing left beside it and no worker left running."""
    import signal
    import time

    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    edit(project / INTRO, "", "Changed.\n\n")
    args = [sys.executable, "-m", "mappa_ssg", "build", "-p", str(project), "--jobs", "2"]
    proc = subprocess.Popen(args + (["--no-pdf"] if stage == "pages" else []), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, preexec_fn=interruptible)
    # Interrupted once the staging folder exists (pages), or once the PDF stage has begun.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        staged = list(project.glob(".output.staging-*"))
        if staged and (stage == "pages" or list(staged[0].rglob("*/*/*.csv"))):
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    time.sleep(0.1 if stage == "pdfs" else 0)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines() == [f"interrupted: {project / 'output'} is unchanged"], err
    assert snapshot(project / "output") == before
    assert leftovers(project) == []
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)  # no worker of the build is left in its process group
