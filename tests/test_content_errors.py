"""Content mistakes: every one reported as path:line:col: message, all at once."""
from pathlib import Path

from conftest import LLR, edit
from mappa_ssg import build, check

REPORT_2014 = f"content/{LLR}/2014-15/report.yaml"


def messages(result):
    return [str(p) for p in result.problems if p.severity == "error"]


def line_of(project: Path, rel: str, needle: str) -> int:
    for number, line in enumerate((project / rel).read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_example_content_has_no_problems(project):
    result = check(project)
    assert result.ok, messages(result)
    assert [str(p) for p in result.problems] == []
    assert len(result.site.reports) == 6 and len(result.site.areas) == 4


def test_row_total_that_disagrees_names_file_line_and_expected_total(project):
    edit(project / REPORT_2014, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
    line = line_of(project, REPORT_2014, "[7, 1, 3, total: 16]")
    col = (project / REPORT_2014).read_text().splitlines()[line - 1].index("16") + 1
    assert messages(check(project)) == [f"{REPORT_2014}:{line}:{col}: eligible.level_2: total: 16 given, but the figures in the row add up to 11"]


def test_changed_figure_breaks_the_stated_totals(project):
    edit(project / REPORT_2014, "[798, 275, -", "[799, 275, -")
    errors = messages(check(project))
    assert any("eligible.level_1: total: 1073 given, but the figures in the row add up to 1074" in e for e in errors)
    assert any("eligible.total (Category 1): 805 given, but the column adds up to 806" in e for e in errors)
    assert any("eligible.total (overall total): 1086 given, but the table adds up to 1087" in e for e in errors)
    assert all(e.startswith(f"{REPORT_2014}:") for e in errors)


def test_dash_where_a_number_is_needed(project):
    edit(project / REPORT_2014, "[7, 1, 3, total: 11]", "[7, -, 3, total: 10]")
    errors = messages(check(project))
    assert any('eligible.level_2, Category 2: "-" (not applicable) cannot be used here: give a number (0 if there were none)' in e for e in errors)


def test_number_in_a_not_applicable_cell(project):
    edit(project / REPORT_2014, "[798, 275, -, total: 1073]", "[798, 275, 4, total: 1077]")
    errors = messages(check(project))
    assert any("eligible.level_1, Category 3: this cell cannot apply in the eligible table: write - (got 4)" in e for e in errors)


def test_zero_in_a_not_applicable_cell_is_kept_as_zero(project):
    result = check(project)
    report = next(r for r in result.site.reports if r.year.label == "2020-21")
    assert report.table("eligible").cell("level_1", "category_3") == 0
    older = next(r for r in result.site.reports if r.year.label == "2014-15")
    assert older.table("eligible").cell("level_1", "category_3") is None


def test_many_problems_in_many_files_are_all_reported(project):
    edit(project / REPORT_2014, "signatories:", "signatorys:")
    edit(project / REPORT_2014, "sopo: 68", "sopo: lots")
    edit(project / f"content/{LLR}/area.yaml", "name:", "nmae:")
    (project / "content/merseyside/2013-14/report.yaml").write_text("statistics: [oops\n")
    errors = messages(check(project))
    joined = "\n".join(errors)
    assert f'{REPORT_2014}:' in joined and 'unknown key "signatorys" (did you mean "signatories"?)' in joined
    assert 'orders.sopo: should be a whole number, not "lots"' in joined
    assert f'content/{LLR}/area.yaml:' in joined and 'unknown key "nmae" (did you mean "name"?)' in joined
    assert "content/merseyside/2013-14/report.yaml:1:13: YAML syntax" in joined
    assert all(e.split(":")[1].isdigit() and e.split(":")[2].isdigit() for e in errors)


def test_unknown_table_and_missing_table(project):
    edit(project / REPORT_2014, "  orders:", "  ordres:")
    errors = messages(check(project))
    assert any('statistics: unknown key "ordres" (did you mean "orders"?)' in e for e in errors)
    assert any('statistics: the table "orders" is missing (rows: sopo, no, fto)' in e for e in errors)


def test_wrong_row_length(project):
    edit(project / REPORT_2014, "[0, 2, 0, total: 2]", "[0, 2]")
    errors = messages(check(project))
    assert any("eligible.level_3: expected 3 figures (Category 1, Category 2, Category 3), optionally followed by `total: N`; found 2" in e for e in errors)


def test_todo_placeholder_makes_the_report_a_draft(project):
    edit(project / REPORT_2014, "sopo: 68", "sopo: TODO")
    result = check(project)
    assert result.ok and [r.year.label for r in result.site.drafts] == ["2014-15"]
    assert any(p.message == "orders.sopo: figure not filled in yet (replace TODO with the number)" and p.severity == "warning"
               for p in result.problems)


def test_stated_rate_must_agree(project):
    edit(project / REPORT_2014, "rso_per_100k: 88", "rso_per_100k: 90")
    errors = messages(check(project))
    assert any("rso_per_100k: 90 given, but 805 registered sexual offenders per 914,800 people aged 10 and over is 88" in e for e in errors)


def test_missing_required_section_and_unknown_section(project):
    (project / f"content/{LLR}/2014-15/introduction.md").unlink()
    errors = messages(check(project))
    assert any('section "introduction" is neither a national section nor a file introduction.md' in e for e in errors)
    edit(project / REPORT_2014, "  - introduction\n", "")
    errors = messages(check(project))
    assert any('the required section "introduction" is missing (write content/' in e for e in errors)


def test_bad_year_folder_and_unknown_edition(project):
    (project / f"content/{LLR}/2014-16").mkdir()
    edit(project / f"content/{LLR}/2020-21/report.yaml", "edition: 2015-16", "edition: 2016-17")
    errors = messages(check(project))
    assert f"content/{LLR}/2014-16:1:1: report folder: \"2014-16\" is not a reporting year: expected 2014-15" in errors
    assert any('edition "2016-17" does not exist (did you mean "2017-18"?)' in e for e in errors)


def test_edition_chosen_by_year_and_overridable(project):
    result = check(project)
    editions = {r.year.label: r.edition.id for r in result.site.reports}
    assert editions == {"2014-15": "2001-02", "2020-21": "2015-16", "2013-14": "2001-02",
                        "2017-18": "2017-18", "2022-23": "2022-23", "2023-24": "2023-24"}


def test_new_edition_needs_no_code(project):
    """A copied edition folder with a new first year is picked up for later reports."""
    import shutil
    shutil.copytree(project / "templates/editions/2015-16", project / "templates/editions/2020-21")
    edit(project / "templates/editions/2020-21/edition.yaml", "first_year: 2015-16", "first_year: 2020-21")
    edit(project / f"content/{LLR}/2020-21/report.yaml", "\nedition: 2015-16\n", "\n")  # chosen by year again
    edit(project / "templates/editions/2020-21/edition.yaml", "Breach of SOPO or SHPO", "Breach of SHPO")
    result = build(project, pdf=False)
    assert result.ok, messages(result)
    html = (project / f"output/{LLR}/2020-21/index.html").read_text()
    assert "Breach of SHPO<" in html


def test_not_utf8_file(project):
    (project / f"content/{LLR}/2014-15/local-page.md").write_bytes(b"caf\xe9 ok\n")
    errors = messages(check(project))
    assert f"content/{LLR}/2014-15/local-page.md:1:4: is not UTF-8 text: save the file as UTF-8" in errors


def test_report_can_override_contacts_and_publication_address(project):
    result = build(project, pdf=False)
    assert result.ok, messages(result)
    mersey = (project / "output/merseyside/2013-14/index.html").read_text()
    assert 'published at <a href="https://www.justice.gov.uk/">www.justice.gov.uk</a>' in mersey
    llr_2014 = (project / f"output/{LLR}/2014-15/index.html").read_text()
    llr_2020 = (project / f"output/{LLR}/2020-21/index.html").read_text()
    assert "www.mappaleics.org.uk" in llr_2014 and "www.mappaleics.org.uk" not in llr_2020
    assert "www.mappa.justice.gov.uk" in llr_2020
    assert 'published at <a href="https://www.gov.uk/' in llr_2014


def test_publication_override_needs_both_keys(project):
    edit(project / "content/merseyside/2013-14/report.yaml", "published_at_label: www.justice.gov.uk\n", "")
    errors = messages(check(project))
    assert any(e.startswith("content/merseyside/2013-14/report.yaml:6:15: published_at needs published_at_label too") for e in errors), errors


REPORT_2020 = f"content/{LLR}/2020-21/report.yaml"


def test_messages_name_a_one_figure_table_once_and_fit_the_field(project):
    # A table of one figure is named once, not "lifetime_notification_revoked.lifetime_notification_revoked".
    edit(project / REPORT_2020, "lifetime_notification_revoked: 16", "lifetime_notification_revoked: sixteen")
    # A population written with thousands separators gets the hint for a number...
    edit(project / REPORT_2020, "aged_10_and_over: 1046100", 'aged_10_and_over: "1,046,100"')
    rate_line = line_of(project, REPORT_2020, "lifetime_notification_revoked:")
    population_line = line_of(project, REPORT_2020, "aged_10_and_over:")
    assert messages(check(project)) == [
        f'{REPORT_2020}:{population_line}:21: population.aged_10_and_over should be a whole number, not "1,046,100" (write 1046100 without commas)',
        f'{REPORT_2020}:{rate_line}:34: lifetime_notification_revoked: should be a whole number, not "sixteen"',
    ]


def test_unfilled_population_fields_get_a_hint_that_fits_each(project):
    edit(project / REPORT_2020, "aged_10_and_over: 1046100", "aged_10_and_over: TODO")
    edit(project / REPORT_2020, "estimate: ONS mid-2019 population estimates for police force areas, people aged 10 and over", "estimate: TODO")
    found = [p.message for p in check(project).problems]
    assert "population.aged_10_and_over: not filled in yet (replace TODO with the number of people aged 10 and over in the ONS mid-year estimate, without commas)" in found
    assert "population.estimate: not filled in yet (replace TODO with the name of the estimate used, such as: ONS mid-2021 population estimates)" in found
    assert not any("ONS figure" in m for m in found)


def test_a_foreword_may_be_unsigned_or_signed_by_the_board(project):
    text = (project / REPORT_2020).read_text()
    start = text.index("signatories:")
    end = text.index("\n\n", start)
    board = "signatories:\n  - body: Leicester, Leicestershire and Rutland MAPPA Strategic Management Board\n"
    (project / REPORT_2020).write_text(text[:start] + board + text[end + 1:])
    (project / REPORT_2014).write_text(_without_signatories((project / REPORT_2014).read_text()))
    result = build(project, pdf=False)
    assert result.ok, messages(result)
    signed = (project / f"output/{LLR}/2020-21/index.html").read_text()
    assert '<p class="signature"><span class="name">Leicester, Leicestershire and Rutland MAPPA Strategic Management Board</span></p>' in signed
    unsigned = (project / f"output/{LLR}/2014-15/index.html").read_text()
    assert 'class="signatures"' not in unsigned


def _without_signatories(text: str) -> str:
    start = text.index("signatories:")
    end = text.index("\n\n", start)
    return text[:start] + text[end + 2:]


def test_too_many_signatories_and_a_half_filled_person(project):
    text = (project / REPORT_2020).read_text()
    people = "".join(f"  - name: Person {i}\n    role: Role\n    organisation: Org\n" for i in range(7))
    start = text.index("signatories:")
    end = text.index("\n\n", start)
    (project / REPORT_2020).write_text(text[:start] + "signatories:\n" + people + "  - name: Nobody\n" + text[end + 1:])
    line = line_of(project, REPORT_2020, "signatories:")
    nobody = line_of(project, REPORT_2020, "- name: Nobody")
    errors = messages(check(project))
    assert f"{REPORT_2020}:{line + 1}:3: signatories: give at most 6 (found 8)" in errors
    assert f'{REPORT_2020}:{nobody}:5: signatory: "role" is missing' in errors
