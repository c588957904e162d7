"""Warnings for likely mistakes: each one, its exact message and position, and --strict."""
import shutil

import pytest

from conftest import LLR, edit
from mappa_ssg import check
from mappa_ssg.lint import CheckSettings, change_share, is_suspicious

LAST = f"content/{LLR}/2020-21"
THIS = f"content/{LLR}/2021-22"


@pytest.fixture
def next_year(project):
    """2021-22 as an unchanged copy of 2020-21: valid, and comparable with the year before."""
    shutil.copytree(project / LAST, project / THIS)
    return project


def where(project, needle: str, within: str | None = None) -> str:
    """"line:col" of ``within`` (or ``needle``) on the first line of the new report holding ``needle``."""
    lines = (project / THIS / "report.yaml").read_text().splitlines()
    number = next(i for i, line in enumerate(lines, 1) if needle in line)
    return f"{number}:{lines[number - 1].index(within or needle) + 1}"


def messages(project, strict=False):
    result = check(project, strict=strict)
    return result, [str(p) for p in result.problems]


def test_example_content_has_no_warnings(project):
    result, found = messages(project)
    assert result.ok and found == []


def test_unchanged_signatories(next_year):
    result, found = messages(next_year)
    assert result.ok
    assert found == [f"{THIS}/report.yaml:{where(next_year, 'signatories:')}: warning: signatories are exactly as in 2020-21: check each person still holds the role named"]
    edit(next_year / THIS / "report.yaml", "name: James Donaldson", "name: Jane Example")
    assert messages(next_year)[1] == []


def test_a_figure_that_moves_more_than_the_set_share(next_year):
    edit(next_year / THIS / "report.yaml", "name: James Donaldson", "name: Jane Example")
    edit(next_year / THIS / "report.yaml", "shpo: 76", "shpo: 200")
    edit(next_year / THIS / "report.yaml", "shpo_foreign_travel: 0", "shpo_foreign_travel: 12")
    edit(next_year / THIS / "report.yaml", "sro_breach: 0", "sro_breach: 7")  # both under 10: ignored
    edit(next_year / THIS / "report.yaml", "level_2: [1, 0, 1, total: 2]", "level_2: [1, 0, 1, total: 2]")
    result, found = messages(next_year)
    assert result.ok
    assert found == [
        f"{THIS}/report.yaml:{where(next_year, 'shpo: 200', '200')}: warning: orders.shpo: 200 this year, 76 in 2020-21 (up 163%): a change of more than 50%, check the figure",
        f"{THIS}/report.yaml:{where(next_year, 'shpo_foreign_travel: 12', '12')}: warning: orders.shpo_foreign_travel: 12 this year, 0 in 2020-21 (from 0): a change of more than 50%, check the figure",
    ]
    # In a grid the warning points at the cell: Level 1, Category 2 of the eligible table.
    report = next_year / THIS / "report.yaml"
    edit(report, "level_1: [1196, 344, 0, total: 1540]", "level_1: [1196, 144, 0, total: 1340]")
    edit(report, "total:   [1203, 350, 1, total: 1554]", "total:   [1203, 150, 1, total: 1354]")
    found = messages(next_year)[1]
    assert f"{THIS}/report.yaml:{where(next_year, 'level_1: [1196, 144', '144')}: warning: eligible.level_1, Category 2: 144 this year, 344 in 2020-21 (down 58%): a change of more than 50%, check the figure" in found


def test_the_share_is_set_in_site_yaml(next_year):
    edit(next_year / THIS / "report.yaml", "shpo: 76", "shpo: 200")
    site = next_year / "content/site.yaml"
    site.write_text(site.read_text() + "checks:\n  max_change: 2\n  min_count: 20\n")
    assert not [m for m in messages(next_year)[1] if "orders.shpo" in m]
    site.write_text(site.read_text().replace("max_change: 2", "max_change: lots"))
    result, found = messages(next_year)
    assert not result.ok
    line = site.read_text().splitlines().index("  max_change: lots") + 1
    assert f'content/site.yaml:{line}:15: checks.max_change should be a share such as 0.5 (for 50%), not "lots"' in found


def test_a_year_after_the_reporting_year(next_year):
    page = next_year / THIS / "local-page.md"
    page.write_text(page.read_text() + "\nBy 2023 we expect to finish, as planned in 2022 and in 2022-23.\nCall 0116 2023 4567 or see 2019-2025 (£2,024).\n")
    found = [m for m in messages(next_year)[1] if "local-page" in m]
    assert found == [
        f'{THIS}/local-page.md:32:4: warning: "2023" is after the end of the reporting year (1 April 2021 to 31 March 2022): check the year',
        f'{THIS}/local-page.md:32:56: warning: "2022-23" is after the end of the reporting year (1 April 2021 to 31 March 2022): check the year',
        f'{THIS}/local-page.md:33:33: warning: "2025" is after the end of the reporting year (1 April 2021 to 31 March 2022): check the year',
    ]


def test_objectives_may_name_the_year_ahead(project):
    objectives = project / LAST / "objectives.md"
    objectives.write_text(objectives.read_text() + "- Review all of this by March 2022.\n")
    assert messages(project)[1] == []


def test_review_line_left_in(project):
    intro = project / LAST / "introduction.md"
    intro.write_text("REVIEW: update this.\n\n" + intro.read_text())
    result, found = messages(project)
    assert result.ok
    assert found == [f"{LAST}/introduction.md:1:1: warning: marked for review: update it, then delete the line starting REVIEW:",
                     f'{LAST}/report.yaml:1:1: warning: draft (1 REVIEW: line): left out of the site by mappa build; mappa serve and mappa build --drafts show it marked "Draft"']
    assert not messages(project, strict=True)[0].ok


def test_empty_and_heading_only_sections(project):
    (project / LAST / "case-study.md").write_text("---\ntitle: A case study\nkind: case-study\n---\n\n")
    (project / LAST / "agencies.md").write_text("## Agencies\n\n### Partners\n")
    result, found = messages(project)
    assert result.ok
    assert found == [
        f"{LAST}/agencies.md:1:1: warning: this section has headings but no text under them",
        f"{LAST}/case-study.md:1:1: warning: this section is empty",
    ]
    strict, found = messages(project, strict=True)
    assert not strict.ok and len(strict.errors) == 2
    assert found[0] == f"{LAST}/agencies.md:1:1: this section has headings but no text under them"


@pytest.mark.parametrize("before, after, suspicious", [
    (100, 151, True), (100, 150, False), (100, 49, True), (100, 50, False),
    (2, 9, False), (0, 9, False), (0, 10, True), (9, 30, True), (30, 9, True), (0, 0, False),
])
def test_is_suspicious(before, after, suspicious):
    assert is_suspicious(before, after, CheckSettings(max_change=0.5, min_count=10)) is suspicious


def test_change_share():
    assert change_share(80, 100) == 0.25 and change_share(0, 0) == 0.0 and change_share(0, 1) == float("inf")


def test_an_unsigned_or_board_signed_foreword_is_not_a_person_to_check(next_year):
    for signatories in ("signatories: []\n", "signatories:\n  - body: Example MAPPA Strategic Management Board\n"):
        for folder in (LAST, THIS):
            path = next_year / folder / "report.yaml"
            text = path.read_text()
            start = text.index("signatories:")
            end = text.index("\n\n", start)
            path.write_text(text[:start] + signatories + text[end + 1:])
        result, found = messages(next_year)
        assert result.ok and not any("signatories are exactly as in" in m for m in found), found


def test_late_years_are_found_in_the_whole_text_as_they_were_line_by_line():
    # The check used to run the pattern on each line; it now runs once over the file. A year at
    # the end of a line followed by a line starting with a digit must still count, and the
    # positions must be the same.
    import re

    from mappa_ssg.lint import _late_years
    from mappa_ssg.problems import Problems
    from mappa_ssg.years import ReportingYear

    text = ("By 2030\n5 people were seen; 2031-32 and 2031-33\n\n  2040 £2050 2060% 0116 2070 4567\n"
            "2080\n\t2090 1\n2100-01\n1999 and 2015/16, 2023/24\n2024 \n7\n")
    year = ReportingYear.parse("2021-22")
    old_pattern = re.compile(r"(?<![\d£$.,])(?<!\d )((?:19|20)\d{2})(?:[-/](\d{2}))?(?![\d%]|\s\d)")
    expected = []
    for number, line in enumerate(text.split("\n"), start=1):
        for match in old_pattern.finditer(line):
            value = int(match.group(1))
            if match.group(2) is not None:
                if (value + 1) % 100 != int(match.group(2)):
                    continue
                value += 1
            if value > year.start + 1:
                expected.append((number, match.start() + 1, match.group(0)))
    problems = Problems()
    _late_years(year, "x.md", text, problems)
    found = [(p.line, p.col, p.message.split('"')[1]) for p in problems]
    assert found == expected and len(found) == 6
