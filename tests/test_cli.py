"""The command line: exit codes, messages, and that a failed build leaves output/ alone."""
import subprocess
import sys

from click.testing import CliRunner

from conftest import LLR, REPO, edit
from mappa_ssg import __version__
from mappa_ssg.cli import main

REPORT = f"content/{LLR}/2014-15/report.yaml"


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_check_ok(project):
    result = run("check", "-p", str(project))
    assert result.exit_code == 0, result.output
    assert "ok: 4 areas, 6 reports, 0 warnings" in result.output


def test_disagreeing_total_fails_check_and_build_and_keeps_output(project):
    assert run("build", "-p", str(project), "--no-pdf").exit_code == 0
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    edit(project / REPORT, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
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
    assert proc.stderr.startswith(f"{REPORT}:1:14: YAML syntax")


def test_help_has_examples():
    for command in ("build", "check"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output


def test_options_work_after_the_command_and_before_it(project):
    for args in (["build", "-v", "--no-pdf", "-p", str(project)], ["-v", "build", "--no-pdf", "-p", str(project)],
                 ["build", "--verbose", "--no-pdf", "-p", str(project)]):
        proc = subprocess.run([sys.executable, "-m", "mappa_ssg", *args], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        # The library's log, shown by -v: a build, then replays of it.
        assert "built " in proc.stderr or "nothing changed since the last build" in proc.stderr, args
    quiet = subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)], capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == ""
    for command in ("check", "new", "new-area", "serve", "init"):
        assert "--verbose" in run(command, "--help").output, command


def test_no_color_is_honoured(project):
    edit(project / REPORT, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
    coloured = CliRunner().invoke(main, ["check", "-p", str(project)], color=True)
    assert "\x1b[31m" in coloured.output
    for value in ("1", "true"):
        plain = CliRunner().invoke(main, ["check", "-p", str(project)], color=True, env={"NO_COLOR": value})
        assert plain.exit_code == 1 and "total: 16 given" in plain.output and "\x1b[" not in plain.output
    # An empty NO_COLOR does not count (no-color.org).
    assert "\x1b[31m" in CliRunner().invoke(main, ["check", "-p", str(project)], color=True, env={"NO_COLOR": ""}).output


def test_version():
    for flag in ("--version", "-V"):
        proc = subprocess.run([sys.executable, "-m", "mappa_ssg", flag], capture_output=True, text=True)
        assert proc.returncode == 0 and proc.stdout == "mappa, version 0.1.0\n"


def test_init_makes_an_empty_project_that_builds(tmp_path):
    folder = tmp_path / "north-wales-mappa"
    result = CliRunner().invoke(main, ["init", str(folder), "--title", "North Wales MAPPA reports"])
    assert result.exit_code == 0, result.output
    assert (folder / "templates/editions/2015-16/edition.yaml").is_file()
    assert "title: North Wales MAPPA reports\n" in (folder / "content/site.yaml").read_text()
    assert "output/" in (folder / ".gitignore").read_text().split()
    assert run("check", "-p", str(folder)).output == "ok: 0 areas, 0 reports, 0 warnings\n"
    assert run("new-area", "-p", str(folder), "North Wales").exit_code == 0
    assert run("build", "-p", str(folder), "--no-pdf").exit_code == 0
    assert "North Wales" in (folder / "output/index.html").read_text()
    # Never over anything that exists.
    again = CliRunner().invoke(main, ["init", str(folder)])
    assert again.exit_code == 1 and "is not an empty folder" in again.output
    assert "title: North Wales MAPPA reports\n" in (folder / "content/site.yaml").read_text()


def test_new_suggests_the_area_meant(project):
    for typed, meant in (("leicster", "leicester-leicestershire-and-rutland"), ("leicester-leicestershire-and-rutlnd", "leicester-leicestershire-and-rutland"),
                         ("merseysid", "merseyside"), ("Merseyside", "merseyside")):
        result = run("new", "-p", str(project), typed, "2021-22")
        assert result.exit_code == 1 and f'(did you mean "{meant}"?)' in result.output, (typed, result.output)


def test_every_command_has_a_make_target_and_the_test_target_installs_what_tests_need():
    makefile = (REPO / "Makefile").read_text()
    targets = {line.split(":")[0] for line in makefile.splitlines() if line and line[0].isalpha() and ":" in line}
    for command in set(main.commands) - {"init", "build"}:  # init makes a project elsewhere; build is `make site`
        assert command in targets, command
    assert {"site", "html", "drafts", "test"} <= targets
    dry = subprocess.run(["make", "-n", "-C", str(REPO), "new", "AREA=merseyside", "YEAR=2014-15"], capture_output=True, text=True)
    assert '.venv/bin/mappa new "merseyside" "2014-15"' in dry.stdout
    assert "test: $(STAMP) test-deps" in makefile and "sh scripts/test-deps.sh" in makefile
    assert (REPO / ".ci/run").read_text().rstrip().endswith("\nmake test")


def test_test_deps_says_exactly_what_to_install_when_it_cannot():
    proc = subprocess.run(["/bin/sh", str(REPO / "scripts/test-deps.sh")], capture_output=True, text=True, env={"PATH": "/nonexistent"})
    assert proc.returncode == 1
    assert "sudo apt-get install --no-install-recommends" in proc.stderr and "poppler-utils" in proc.stderr and "nodejs" in proc.stderr


def test_no_color_in_a_real_terminal(project):
    """The real thing: mappa in a pseudo-terminal colours its errors unless NO_COLOR is set."""
    import os
    import pty

    edit(project / REPORT, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")

    def in_terminal(env):
        leader, follower = pty.openpty()
        proc = subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)],
                              stdout=follower, stderr=follower, env={**os.environ, **env})
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal's other end is closed: all read
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        return proc.returncode, b"".join(chunks).decode()

    code, coloured = in_terminal({"NO_COLOR": ""})  # empty: not set, says no-color.org
    assert code == 1 and "\x1b[31m" in coloured and "total: 16 given" in coloured
    code, plain = in_terminal({"NO_COLOR": "1"})
    assert code == 1 and "total: 16 given" in plain and "\x1b[" not in plain


def test_the_command_ends_at_once_with_its_status_and_all_it_printed(project):
    """mappa ends its own process once a command is done (cli.run, skipping Python's slow
    clean-up): the status and every line still come through pipes, the usual way."""
    mappa = [sys.executable, "-m", "mappa_ssg"]
    built = subprocess.run([*mappa, "build", "-p", str(project), "--no-pdf"], capture_output=True, text=True)
    assert built.returncode == 0 and built.stdout.startswith("built ") and built.stdout.endswith("\n"), built
    edit(project / REPORT, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
    failed = subprocess.run([*mappa, "build", "-p", str(project), "--no-pdf"], capture_output=True, text=True)
    assert failed.returncode == 1 and failed.stderr.endswith("1 error: nothing was written\n"), failed
    wrong = subprocess.run([*mappa, "nonsense"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "No such command 'nonsense'" in wrong.stderr
    script = subprocess.run([sys.executable, str(REPO / "build.py"), "--version"], capture_output=True, text=True)
    assert script.returncode == 0 and script.stdout == f"mappa, version {__version__}\n"


def test_a_reader_that_goes_away_gets_no_traceback(project):
    """``mappa check | head -1``: the rest of the output has nowhere to go, which is not an error
    worth a traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "mappa_ssg", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before it writes, as often as not
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert "Traceback" not in err and "Exception ignored" not in err, err
