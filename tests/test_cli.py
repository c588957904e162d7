"""The command line: exit codes, messages, and that a failed build leaves output/ alone."""
import subprocess
import sys

from click.testing import CliRunner

from conftest import LLR, REPO, edit
from mappa_ssg.cli import main

REPORT = f"content/{LLR}/2014-15/report.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_check_ok(project):
    result = run("check", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "ok: 2 areas, 3 reports, 0 warnings" in result.output


def test_disagreeing_total_fails_check_and_build_and_keeps_output(project):
    assert run("build", "-p", str(project), "--no-pdf").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    edit(project / REPORT, "[7, 1, 3, 11]", "[7, 1, 3, 16]")
    for args in (("check",), ("build", "--no-pdf")):
        result = run(*args, "-p", str(project))
        assert result.exit_code == 1
        assert f"{REPORT}:" in result.output and "total: 16 given, but the figures in the row add up to 11" in result.output
        assert "Traceback" not in result.output
    after = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    assert after == before
    assert not list(project.glob(".output.*")), "staging folder left behind"


def test_output_folder_holding_sources_is_refused(project):
    result = run("build", "-p", str(project), "-o", str(project), "--no-pdf")
    assert result.exit_code == 1 and "is the project folder" in result.output
    assert (project / "content").is_dir()


def test_build_py_runs_the_cli_with_no_arguments(project):
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "-p", str(project), "--no-pdf"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert (project / "output/index.html").is_file()
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "check" in proc.stdout and "build" in proc.stdout


def test_broken_yaml_exit_1_without_traceback(project):
    (project / REPORT).write_text("signatories: [\n")
    proc = subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"{REPORT}:2:1: YAML syntax")


def test_help_has_examples():
    for command in ("build", "check"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output
