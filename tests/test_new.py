"""`mappa new` and `mappa new-area`: starting next year's report as a new author would."""
import re
import subprocess
import sys

from click.testing import CliRunner

from conftest import LLR, edit
from mappa_ssg.cli import main

NEW = f"content/{LLR}/2021-22"


def run(*args):
    return CliRunner().invoke(main, list(args))


def todo_positions(path):
    """(line, column) of every TODO outside a comment, found independently of mappa."""
    found = set()
    for number, line in enumerate(path.read_text().split("\n"), start=1):
        code = line.split("#", 1)[0]
        found |= {(number, m.start() + 1) for m in re.finditer(r"\bTODO\b", code)}
    return found


def test_new_report_from_last_year_lists_exactly_the_unfilled_figures_then_builds(project):
    result = run("new", "-p", str(project), LLR, "2021-22")
    assert result.exit_code == 0, result.output
    assert "from 2020-21, edition 2015-16" in result.output
    report = project / NEW / "report.yaml"
    expected = todo_positions(report)
    assert len(expected) == 33  # 31 figures and the two population fields

    # A new report is a draft: each TODO is a warning (it stops nobody else's report), listed by check.
    checked = run("check", "-p", str(project))
    assert checked.exit_code == 0
    todo = [line for line in checked.output.splitlines() if "not filled in yet" in line]
    assert all(line.startswith(f"{NEW}/report.yaml:") for line in todo), todo
    assert all("warning: " in line and "not filled in yet (replace TODO with" in line for line in todo), todo
    reported = {tuple(int(n) for n in line.split(":")[1:3]) for line in todo}
    assert reported == expected
    assert f"{NEW}/report.yaml:43:15: warning: eligible.level_1, Category 1: figure not filled in yet (replace TODO with the number)" in todo
    assert f"{NEW}/report.yaml:24:21: warning: population.aged_10_and_over: not filled in yet (replace TODO with the number of people aged 10 and over in the ONS mid-year estimate, without commas)" in todo

    # Fill every figure in: the build passes, with warnings for what still needs reviewing.
    text = report.read_text()
    text = text.replace("aged_10_and_over: TODO", "aged_10_and_over: 1050000")
    text = text.replace("estimate: TODO", "estimate: ONS mid-2021 estimates, people aged 10 and over")
    report.write_text(text.replace("TODO", "5"))
    checked = run("check", "-p", str(project))
    assert checked.exit_code == 0, checked.output
    assert f"{NEW}/introduction.md:1:1: warning: marked for review: update it, then delete the line starting REVIEW:" in checked.output
    assert f"{NEW}/report.yaml:12:1: warning: signatories are exactly as in 2020-21: check each person still holds the role named" in checked.output
    assert "1 draft" in checked.output
    # Update the text, delete every REVIEW: line and mark it final: now it is published.
    for path in (project / NEW).iterdir():
        path.write_text("\n".join(line for line in path.read_text().split("\n") if not line.lstrip("# ").startswith("REVIEW:")))
    edit(report, "status: draft", "status: final")
    built = run("build", "-p", str(project), "--no-pdf")
    assert built.exit_code == 0, built.output
    page = (project / "output" / LLR / "2021-22" / "index.html").read_text()
    assert "31 March 2022" in page and "21st annual report" in page


def test_new_copies_structure_and_narrative_with_a_review_line(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    old, new = project / f"content/{LLR}/2020-21", project / NEW
    assert sorted(p.name for p in new.iterdir()) == sorted(p.name for p in old.iterdir())
    objectives = (new / "objectives.md").read_text()
    assert objectives.startswith("---\ntitle: Objectives for 2021-22\nkind: objectives\n---\n"
                                 "REVIEW: this is the 2020-21 text. Update it for 2021-22, then delete this line.\n\n")
    assert objectives.endswith((old / "objectives.md").read_text().split("---\n", 2)[2])
    report = (new / "report.yaml").read_text()
    assert "  - name: Bob Bearne\n" in report and "# REVIEW: last year's signatories (2020-21)." in report
    assert "    level_1: [TODO, TODO, -]\n" in report  # "-" where the edition says a cell cannot apply
    assert '    "no": TODO  # Notification Orders (NOs)\n' in report
    assert "rso_per_100k" not in report
    assert "\nedition: 2015-16\n" in report  # 2020-21 named its edition: the new report keeps it
    assert "  - lay-adviser\n" in report


def test_new_picks_the_edition_for_the_new_year(project):
    result = run("new", "-p", str(project), "merseyside", "2015-16")
    assert result.exit_code == 0, result.output
    assert "from 2013-14, edition 2015-16" in result.output
    report = (project / "content/merseyside/2015-16/report.yaml").read_text()
    assert "    shpo: TODO" in report and "sopo" not in report
    assert "  # MAPPA-eligible offenders on 31 March 2016 (each row: Category 1, Category 2, Category 3)\n" in report
    assert "  - four-pillars\n" in report


def test_new_never_overwrites(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    intro = project / NEW / "introduction.md"
    intro.write_text("My own words.\n")
    result = run("new", "-p", str(project), LLR, "2021-22")
    assert result.exit_code == 1
    assert result.output == (f"error: content/{LLR}/2021-22 already exists: mappa never overwrites a report "
                             "(rename or delete that folder first if you really mean to start again)\n")
    assert intro.read_text() == "My own words.\n"
    result = run("new", "-p", str(project), LLR, "2020-21")
    assert result.exit_code == 1 and "already exists" in result.output


def test_new_explains_a_wrong_area_or_year(project):
    result = run("new", "-p", str(project), "leicester", "2021-22")
    assert result.exit_code == 1
    assert result.output == (f'error: there is no area "leicester" in content/ (did you mean "{LLR}"?); '
                             'to start a new area run: mappa new-area "Area name"\n')
    result = run("new", "-p", str(project), "mersyside", "2021-22")
    assert 'did you mean "merseyside"?' in result.output
    result = run("new", "-p", str(project), LLR, "2021-23")
    assert result.exit_code == 1 and result.output == 'error: "2021-23" is not a reporting year: expected 2021-22\n'
    assert not (project / f"content/{LLR}/2021-23").exists()


def test_new_area_then_its_first_report(project):
    result = run("new-area", "-p", str(project), "Dyfed-Powys")
    assert result.exit_code == 0, result.output
    area = project / "content/dyfed-powys/area.yaml"
    assert "name: Dyfed-Powys\n" in area.read_text() and "# logo_alt:" in area.read_text()
    assert run("check", "-p", str(project)).exit_code == 0  # an area with no reports yet is valid

    again = run("new-area", "-p", str(project), "Dyfed Powys")
    assert again.exit_code == 1 and again.output == "error: content/dyfed-powys already exists: mappa never overwrites content\n"

    result = run("new", "-p", str(project), "dyfed-powys", "2023-24")
    assert result.exit_code == 0 and "from scratch (the area has no earlier report)" in result.output
    checked = run("check", "-p", str(project))
    assert checked.exit_code == 0 and "1 draft" in checked.output
    assert "signatories" not in checked.output  # an unsigned foreword is allowed
    assert "content/dyfed-powys/2023-24/introduction.md:1:1: warning: marked for review" in checked.output


def test_new_area_name_with_punctuation(project):
    result = run("new-area", "-p", str(project), "Leicester, Leicestershire & Rutland (test)")
    assert result.exit_code == 0
    text = (project / "content/leicester-leicestershire-rutland-test/area.yaml").read_text()
    assert 'name: "Leicester, Leicestershire & Rutland (test)"' in text or "name: Leicester, Leicestershire & Rutland (test)" in text
    assert run("check", "-p", str(project)).exit_code == 0


def test_help_of_new_commands_has_examples():
    for command in ("new", "new-area", "serve"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output, command
    assert "Exit status:" in run("--help").output


def test_errors_are_coloured_only_on_a_terminal(project):
    edit(project / f"content/{LLR}/2014-15/report.yaml", "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
    plain = CliRunner().invoke(main, ["check", "-p", str(project)], color=False)
    coloured = CliRunner().invoke(main, ["check", "-p", str(project)], color=True)
    assert plain.exit_code == coloured.exit_code == 1
    assert "\x1b[" not in plain.output
    assert "\x1b[31m" in coloured.output
    # The real thing: a piped stderr is not a terminal, so click leaves the colour out.
    piped = subprocess.run([sys.executable, "-m", "mappa_ssg", "check", "-p", str(project)], capture_output=True, text=True)
    assert piped.returncode == 1 and "total: 16 given" in piped.stderr and "\x1b" not in piped.stderr


def test_new_only_writes_inside_content(project, tmp_path):
    # AREA is a folder name under content/: a path cannot send the new report anywhere else,
    # even where an area.yaml is waiting.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "area.yaml").write_text("name: Elsewhere\n")
    (project / "content" / "linked").symlink_to(elsewhere)
    for area in (str(elsewhere), f"../../{elsewhere.name}", f"{LLR}/..", ".", "..", "linked", f"{LLR}/../{LLR}"):
        result = run("new", "-p", str(project), area, "2021-22")
        assert result.exit_code == 1, (area, result.output)
        assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["area.yaml"]
    assert not (project / NEW).exists() and not (project / "content" / "2021-22").exists()
