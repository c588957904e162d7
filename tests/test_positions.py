"""Values YAML cannot turn into numbers or dates are reported where they are, in the author's
words: issue 11, item 8."""
from conftest import LLR, edit
from mappa_ssg import check
from mappa_ssg.problems import Problems
from mappa_ssg.yamlsource import load_yaml

REPORT = f"content/{LLR}/2014-15/report.yaml"
SITE_YAML = "content/site.yaml"


def errors(project):
    return [str(p) for p in check(project).errors]


def line_col(project, rel, needle):
    for number, line in enumerate((project / rel).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_a_5000_digit_number_is_reported_where_it_is(project):
    edit(project / REPORT, "breach_of_notification: 52", "breach_of_notification: " + "9" * 5000)
    line, col = line_col(project, REPORT, "9999")
    assert errors(project) == [f"{REPORT}:{line}:{col}: breach_of_notification: a number with 5000 digits is not a possible count (0 to 10,000,000)"]


def test_a_huge_number_elsewhere_is_reported_where_it_is(project):
    edit(project / REPORT, "aged_10_and_over: 914800", "aged_10_and_over: " + "1" * 4500)
    line, col = line_col(project, REPORT, "1111")
    assert errors(project) == [f"{REPORT}:{line}:{col}: population.aged_10_and_over should be a whole number, not a number with 4500 digits"]


def test_an_impossible_date_is_reported_where_it_is(project):
    edit(project / SITE_YAML, "reviewed: 2025-03-31", "reviewed: 2025-02-30")
    line, col = line_col(project, SITE_YAML, "2025-02-30")
    assert errors(project) == [f'{SITE_YAML}:{line}:{col}: accessibility.reviewed should be a date like 2025-03-31, not "2025-02-30"']


def test_impossible_dates_and_times_keep_their_text_and_position():
    problems = Problems()
    root = load_yaml("x.yaml", "a: 1\nwhen: 2025-02-30\nat: 2025-13-01 10:00:00\nbig: " + "7" * 4400 + "\n", problems)
    assert list(problems) == []
    assert root.get("when").value == "2025-02-30" and (root.get("when").where.line, root.get("when").where.col) == (2, 7)
    assert root.get("at").value == "2025-13-01 10:00:00" and root.get("at").where.line == 3
    assert root.get("big").value == "7" * 4400 and root.get("big").where.line == 4


def test_a_quoted_number_gets_a_hint_that_fits(project):
    edit(project / REPORT, "level_2: [7, 1, 3, total: 11]", 'level_2: ["7", 1, 3, total: 11]')
    line, col = line_col(project, REPORT, '"7"')
    assert errors(project) == [f'{REPORT}:{line}:{col}: eligible.level_2, Category 1: should be a whole number, not "7" (write 7 without quotes)']


def test_a_number_with_commas_still_gets_the_commas_hint(project):
    edit(project / REPORT, "breach_of_notification: 52", 'breach_of_notification: "1,052"')
    line, col = line_col(project, REPORT, '"1,052"')
    assert errors(project) == [f'{REPORT}:{line}:{col}: breach_of_notification: should be a whole number, not "1,052" (write 1052 without commas)']


def test_a_date_in_a_cell_is_shown_as_written(project):
    edit(project / REPORT, "breach_of_notification: 52", "breach_of_notification: 2015-03-31")
    line, col = line_col(project, REPORT, "2015-03-31")
    message = errors(project)
    assert message == [f"{REPORT}:{line}:{col}: breach_of_notification: should be a whole number, not a date (2015-03-31)"]
    assert "datetime" not in message[0]


def test_a_leading_zero_gets_its_own_hint(project):
    edit(project / REPORT, "level_2: [7, 1, 3, total: 11]", "level_2: [07, 1, 08, total: 11]")
    line, col = line_col(project, REPORT, "08")
    assert errors(project) == [f'{REPORT}:{line}:{col}: eligible.level_2, Category 3: should be a whole number, not "08" (write 8 without the leading 0)']
