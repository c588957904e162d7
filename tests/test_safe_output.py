"""Safe output: a build killed part-way leaves the previous output/ exactly as it was, and two
builds of the same content give byte-identical files (HTML, CSV, JSON, SVG, and PDFs with
SOURCE_DATE_EPOCH set)."""
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import LLR, REPO, edit
from mappa_ssg import build
from mappa_ssg import output as output_module

# Run a build in a fresh interpreter that SIGKILLs itself in the middle of writing the staged site:
# no exception handler, no finally, no cleanup runs, as when a machine loses power or a CI job
# is cancelled.
KILLED_BUILD = """
import os, signal, sys
from mappa_ssg import build, output
real_write, count = output.Staging.write, 0
def write(self, relative, content):
    global count
    count += 1
    if count == int(sys.argv[2]):
        os.kill(os.getpid(), signal.SIGKILL)
    return real_write(self, relative, content)
output.Staging.write = write
build(sys.argv[1], pdf=False)
"""


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path, deadline: float = 15) -> list[str]:
    """The ``.output.*`` folders beside output/, once the background removal of the replaced
    output (``.output.trash-*``) has had time to finish."""
    end = time.monotonic() + deadline
    while True:
        names = sorted(p.name for p in folder.iterdir() if p.name.startswith(".output."))
        if not any(".trash-" in name for name in names) or time.monotonic() > end:
            return names
        time.sleep(0.05)


def run_build(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", *args], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


@pytest.mark.parametrize("kill_at", [3, 12])
def test_build_killed_part_way_leaves_previous_output_intact(project, kill_at):
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    edit(project / "content" / LLR / "2014-15" / "introduction.md", "", "Changed after the first build.\n\n")
    killed = run_build(project, KILLED_BUILD, str(project), str(kill_at))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert snapshot(project / "output") == before
    # The staging folder the killed build left behind is beside output/, never inside it, and
    # does not stop the next build.
    staged = [p.name for p in project.iterdir() if p.name.startswith(".output.staging-")]
    assert len(staged) == 1
    assert build(project, pdf=False).ok
    assert "Changed after the first build." in (project / "output" / LLR / "2014-15" / "index.html").read_text()
    # ... and the next build removes it: a killed build's process is gone, so its folder is garbage.
    assert leftovers(project) == []


def test_error_part_way_discards_the_staging_folder(project, monkeypatch):
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    real_write = output_module.Staging.write

    def failing_write(self, relative, content):
        if relative.endswith(".svg"):
            raise OSError(28, "No space left on device")
        return real_write(self, relative, content)

    monkeypatch.setattr(output_module.Staging, "write", failing_write)
    # Change something, so the build has work to do (an unchanged project is not rebuilt at all).
    intro = project / "content" / "leicester-leicestershire-and-rutland" / "2020-21" / "introduction.md"
    intro.write_text(intro.read_text() + "\nOne more sentence.\n")
    with pytest.raises(output_module.OutputError, match="No space left"):
        build(project, pdf=False)
    assert snapshot(project / "output") == before
    assert [p.name for p in project.iterdir() if ".staging-" in p.name] == []


def test_two_builds_are_byte_identical_in_separate_processes(project, tmp_path):
    shutil.rmtree(project / "content" / "merseyside")  # fewer PDFs to render; LLR has the charts
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PYTHONHASHSEED": "1"}
    script = "import sys; from mappa_ssg import build; assert build(sys.argv[1], sys.argv[2], jobs=2).ok"
    first = run_build(project, script, str(project), str(tmp_path / "one"), env=env)
    assert first.returncode == 0, first.stderr
    shutil.rmtree(project / ".mappa-cache")  # render every PDF again, not from the cache
    second = run_build(project, script, str(project), str(tmp_path / "two"), env={**env, "PYTHONHASHSEED": "2"})
    assert second.returncode == 0, second.stderr
    one, two = snapshot(tmp_path / "one"), snapshot(tmp_path / "two")
    assert sorted(one) == sorted(two)
    kinds = {Path(name).suffix for name in one}
    assert {".html", ".csv", ".json", ".svg", ".pdf", ".js", ".xml", ".txt"} <= kinds
    assert [name for name in one if one[name] != two[name]] == []


def test_kill_between_the_two_renames_of_the_swap_is_repaired(project):
    # commit() moves output/ aside, then moves the staged folder in. Killed in between, the
    # previous output exists only as .output.previous; the next build puts it back first.
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    (project / "output").rename(project / ".output.previous")
    from mappa_ssg.output import Staging

    staging = Staging(project / "output")
    staging.discard()
    assert snapshot(project / "output") == before


def test_stale_folders_of_a_killed_build_are_cleaned_up_by_the_next(project):
    assert build(project, pdf=False).ok
    before = snapshot(project / "output")
    # A swap killed after its second rename (output/ is new, .output.previous is the old one),
    # a trash folder whose background removal was killed, and a staging folder of a dead process.
    shutil.copytree(project / "output", project / ".output.previous")
    shutil.copytree(project / "output", project / ".output.trash-abc123")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    shutil.copytree(project / "output", project / f".output.staging-{dead.stdout.strip()}-xyz")
    os.chmod(project / ".output.trash-abc123" / "assets", 0o500)  # read-only, as a careful admin might leave it
    edit(project / "content" / LLR / "2014-15" / "introduction.md", "", "Changed.\n\n")
    assert build(project, pdf=False).ok
    assert leftovers(project) == []
    assert snapshot(project / "output").keys() == before.keys()


def test_a_staging_folder_of_a_running_build_is_left_alone(project):
    # Two builds into the same folder at once: the first one's staging folder is not garbage.
    busy = project / f".output.staging-{os.getppid()}-running"
    busy.mkdir()
    (busy / "index.html").write_text("being written")
    assert build(project, pdf=False).ok
    assert (busy / "index.html").read_text() == "being written"


def test_files_written_behind_are_all_there_and_a_failure_is_raised_at_the_end(tmp_path, monkeypatch):
    """Staging.writing_behind: writes return at once, leaving the block waits for every file,
    a path is still claimed at once (a clash is raised where it happens), and a write that
    fails on a writer thread is raised when the block ends, naming its file."""
    import errno
    from mappa_ssg import output
    from mappa_ssg.output import OutputError, Staging

    staging = Staging(tmp_path / "output")
    with staging.writing_behind(threads=4):
        for i in range(300):
            staging.write(f"f{i % 7}/deep/{i}.txt", f"file {i}")
        with pytest.raises(OutputError, match="two things"):
            staging.write("f0/deep/0.txt", "again")
    assert all((staging.path / f"f{i % 7}/deep/{i}.txt").read_text() == f"file {i}" for i in range(300))

    real_write = output.os.write

    def full(fd, data):
        if b"doomed" in bytes(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(output.os, "write", full)
    with pytest.raises(OSError, match="No space") as raised:
        with staging.writing_behind(threads=4):
            for i in range(50):
                staging.write(f"g/{i}.txt", "doomed" if i == 20 else "fine")
    assert raised.value.filename.endswith("g/20.txt")
    staging.discard()
