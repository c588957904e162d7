"""mappa import: published reports (their text, and PDFs mappa made itself) back into content.

The three real reports are read from ../shared/seeds at test time (never copied into the
repository); their figures are compared with tests/seed_figures.py, an independent
transcription. Variations made here (one number a line, commas, page headers, "-", "x%")
show the reader follows the structure, not three files.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mappa_ssg.cli import main
from mappa_ssg.importer import ImportFailure, import_report
from mappa_ssg.pipeline import check
from seed_figures import SEEDS

from conftest import LLR, REPO, copy_project

SEED_DIR = REPO.parent / "shared" / "seeds"
SEED_FILES = {
    (LLR, "2014-15"): "llr-2014-15.txt",
    (LLR, "2020-21"): "llr-2020-21.txt",
    ("merseyside", "2013-14"): "merseyside-2013-14.txt",
}
needs_seeds = pytest.mark.skipif(not SEED_DIR.is_dir(), reason="../shared/seeds (the real reports) is not next to the repository")


def fresh_project(root: Path) -> Path:
    """Templates and a site.yaml, no content: where imports land in these tests."""
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / "site.yaml", root / "content" / "site.yaml")
    return root


def figures_of(project: Path, area: str, year: str) -> dict:
    """Every table of one report as the seed transcription writes it: (group, row, cells)."""
    result = check(project)
    assert result.ok, [str(p) for p in result.errors]
    report = next(r for r in result.site.reports if r.area.slug == area and r.year.label == year)
    tables = {}
    for table in report.tables:
        rows = []
        for group in table.groups:
            label = group.label
            for row in (*group.rows, *([group.total_row] if table.is_grid else [])):
                cells = [*row.cells, row.total] if table.is_grid else list(row.cells)
                rows.append((label, row.label, ["-" if c is None else c for c in cells]))
        tables[table.id] = rows
    tables["rso-rate"] = [(None, "Registered sexual offenders per 100,000 people aged 10 and over", [report.rso_per_100k])]
    return tables


@needs_seeds
@pytest.mark.parametrize("key", list(SEED_FILES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_every_figure_of_a_real_report_comes_back(tmp_path: Path, key: tuple[str, str]) -> None:
    project = fresh_project(tmp_path / "p")
    result = import_report(project, SEED_DIR / SEED_FILES[key])
    assert result.folder == project / "content" / key[0] / key[1]
    assert result.ok, result.check_errors
    assert figures_of(project, *key) == SEEDS[key]


@needs_seeds
def test_the_national_text_is_left_out_and_the_area_text_kept_in_order(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    result = import_report(project, SEED_DIR / "llr-2014-15.txt")
    folder = result.folder
    report = (folder / "report.yaml").read_text(encoding="utf-8")
    sections = re.search(r"^sections:\n((?:  - .*\n)+)", report, re.M).group(1).split()
    assert [s for s in sections if s != "-"][:5] == ["introduction", "what-is-mappa", "statistics", "explanation", "local-page"]
    assert sections[-1] == "useful-links" and "review" not in sections  # review.md is beside the report, not in it
    # Signatories: name, role and organisation, from the foot of the introduction.
    assert "  - name: Roger Bannister" in report and "    organisation: Leicestershire Police" in report
    assert "    organisation: HM Prison Service" in report
    intro = (folder / "introduction.md").read_text(encoding="utf-8")
    assert "Roger Bannister" not in intro and "14th annual" in intro
    local = (folder / "local-page.md").read_text(encoding="utf-8")
    assert "joint referral scheme" in local
    # No national paragraph became an area section: the glossary's words are not in the area's files.
    for path in folder.glob("*.md"):
        if path.name != "review.md":
            assert "Notification Order" not in path.read_text(encoding="utf-8"), path.name
    # Contacts, with the web address that the text broke over two lines joined again.
    assert "web: https://www.gov.uk/government/organisations/national-probation-service" in report
    assert '    phone: "101"' in report


@needs_seeds
def test_what_cannot_be_placed_is_a_warning_with_its_line_and_kept_for_review(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    text = (SEED_DIR / "llr-2014-15.txt").read_text(encoding="utf-8")
    odd = "Our board met eleven times and agreed a protocol with the courts about listing hearings."
    lines = text.split("\n")
    at = next(i for i, l in enumerate(lines) if l.strip() == "MAPPA Statistics") + 3
    lines.insert(at, odd)
    source = tmp_path / "odd.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    result = import_report(project, source)
    assert any(w.endswith(f'not placed, kept in the REVIEW section: "{odd[:57]}..."') and f":{at + 1}:" in w for w in result.warnings), result.warnings
    review = (result.folder / "review.md").read_text(encoding="utf-8")
    assert review.split("---\n")[2].startswith("REVIEW:") and odd in review


@needs_seeds
def test_import_never_overwrites_and_touches_nothing(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "example")
    before = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    outcome = CliRunner().invoke(main, ["import", "-p", str(project), str(SEED_DIR / "llr-2014-15.txt")])
    assert outcome.exit_code == 1
    assert "content/leicester-leicestershire-and-rutland/2014-15 already exists: mappa never overwrites a report" in outcome.output
    after = {p: p.read_bytes() for p in (project / "content").rglob("*") if p.is_file()}
    assert after == before


@needs_seeds
def test_totals_that_do_not_add_up_are_reported_at_their_source_line(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    text = (SEED_DIR / "llr-2014-15.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, l in enumerate(lines) if l.startswith("Level 2 7 1 3 11"))
    lines[at] = "Level 2 7 1 3 12 "
    source = tmp_path / "wrong.txt"
    source.write_text("\n".join(lines), encoding="utf-8")
    outcome = CliRunner().invoke(main, ["import", "-p", str(project), str(source)])
    assert outcome.exit_code == 1
    assert f"wrong.txt:{at + 1}: eligible.level_2: total: 12 given, but the figures in the row add up to 11" in outcome.output


def _llr_like(rows: str, rate: str = "Total number of Registered Sexual Offenders per 100,000 population 88") -> str:
    """A small report in the shape of a 2014-15 one, written here (not taken from a seed)."""
    return f"""Cheshire MAPPA Annual Report 2014-15

Introduction

This is the foreword of an invented report, written for this test.

Pat Example, Chief Constable, Cheshire Constabulary

MAPPA Statistics

{rows}

{rate}

Local page

An invented local page: the work of the year, in the area's own words, with x% left unfilled.
"""


ROWS_ONE_PER_LINE = """MAPPA-eligible offenders on 31 March 2015
Category 1: Registered sex offenders Category 2: Violent offenders Category 3: Other dangerous offenders Total
Level 1
1,798
275
-
2,073
Level 2
7
1
3
11
Level 3
0
2
0
2
Total
1,805
278
3
2,086
MAPPA-eligible offenders in Levels 2 and 3 by category (yearly total)
Level 2 13 9 5
27
Level 3 7 3 0 10
Total 20 12 5 37
RSOs cautioned or convicted for breach of notification requirements
52
Restrictive orders for Category 1 offenders
SOPOs
68
NOs 2
FTOs 0
Level 2 and 3 offenders returned to custody
Breach of licence
Level 2 3 2 0 5
Level 3 0 1 0 1
Total 3 3 0 6
Breach of SOPO
Level 2 0 - - 0
Level 3 0 - - 0
Total 0 - - 0"""


def test_numbers_one_a_line_commas_and_dashes(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    source = tmp_path / "cheshire.txt"
    source.write_text(_llr_like(ROWS_ONE_PER_LINE), encoding="utf-8")
    result = import_report(project, source)
    assert result.ok, result.check_errors
    figures = figures_of(project, "cheshire", "2014-15")
    assert figures["eligible"][0] == (None, "Level 1", [1798, 275, "-", 2073])
    assert figures["levels_2_and_3"][0] == (None, "Level 2", [13, 9, 5, 27])
    assert figures["custody"][3] == ("Breach of SOPO", "Level 2", [0, "-", "-", 0])
    assert figures["orders"] == [(None, "Sexual Offences Prevention Orders (SOPOs)", [68]), (None, "Notification Orders (NOs)", [2]),
                                 (None, "Foreign Travel Orders (FTOs)", [0])]
    assert figures["rso-rate"][0][2] == [88]
    report = (result.folder / "report.yaml").read_text(encoding="utf-8")
    assert "rso_per_100k: 88" in report and "aged_10_and_over" not in report
    assert "  - name: Pat Example" in report and "organisation: Cheshire Constabulary" in report
    # "x%" is text, never a figure: it stays in the area's words and no figure is misplaced.
    assert "x%" in (result.folder / "local-page.md").read_text(encoding="utf-8")
    assert not [w for w in result.warnings if "figure" in w], result.warnings


def test_a_number_broken_by_a_line_end_is_joined_where_the_total_shows_how(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    rows = ROWS_ONE_PER_LINE.replace("Level 3 7 3 0 10", "Level 3 7 3 0 1\n0")
    rows = rows.replace("Level 2 13 9 5\n27", "Level 2 1 3 9 5 27")
    source = tmp_path / "cheshire.txt"
    source.write_text(_llr_like(rows), encoding="utf-8")
    result = import_report(project, source)
    assert result.ok, result.check_errors
    figures = figures_of(project, "cheshire", "2014-15")
    assert figures["levels_2_and_3"][:2] == [(None, "Level 2", [13, 9, 5, 27]), (None, "Level 3", [7, 3, 0, 10])]
    assert any("numbers broken across lines were joined: 13 9 5 27" in w for w in result.warnings)


@needs_seeds
def test_repeated_page_headers_and_page_numbers_are_left_out(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    lines = (SEED_DIR / "merseyside-2013-14.txt").read_text(encoding="utf-8").split("\n")
    out = []
    page = 1
    for i, line in enumerate(lines):
        if i % 37 == 0:  # a page break every 37 lines, wherever it falls
            out += ["", f"Merseyside MAPPA Annual Report 2013-14", "", line, ""] if page % 2 else [line, "", f"Page {page} of 12", ""]
            page += 1
        else:
            out.append(line)
    source = tmp_path / "headers.txt"
    source.write_text("\n".join(out), encoding="utf-8")
    result = import_report(project, source)
    assert result.ok, result.check_errors
    assert figures_of(project, "merseyside", "2013-14") == SEEDS[("merseyside", "2013-14")]
    everything = "".join(p.read_text(encoding="utf-8") for p in result.folder.glob("*.md"))
    assert "Page 3 of 12" not in everything and "Annual Report 2013-14" not in everything


def test_a_file_that_is_not_a_report_says_so(tmp_path: Path) -> None:
    project = fresh_project(tmp_path / "p")
    source = tmp_path / "shopping.txt"
    source.write_text("Eggs\nMilk\n", encoding="utf-8")
    with pytest.raises(ImportFailure, match="cannot tell which of the 42 areas"):
        import_report(project, source)
    assert list((project / "content").iterdir()) == [project / "content" / "site.yaml"]


EXAMPLE_REPORTS = sorted((p.parent.parent.name, p.parent.name) for p in (REPO / "content").glob("*/*/report.yaml"))


@pytest.mark.parametrize("key", EXAMPLE_REPORTS, ids=lambda k: f"{k[0]}-{k[1]}")
def test_a_pdf_mappa_made_imports_back_with_the_same_figures(example_site: Path, tmp_path: Path, key: tuple[str, str]) -> None:
    """Build, import the PDF, build again: the same figures (population and signatories too)."""
    area, year = key
    pdf = example_site / area / year / f"{area}-mappa-annual-report-{year}.pdf"
    project = fresh_project(tmp_path / "p")
    result = import_report(project, pdf)
    assert result.ok, result.check_errors
    assert figures_of(project, area, year) == figures_of(REPO, area, year)
    original = next(r for r in check(REPO).site.reports if r.area.slug == area and r.year.label == year)
    imported = next(r for r in check(project).site.reports if r.area.slug == area and r.year.label == year)
    assert imported.population == original.population
    assert [(p.name, p.role, p.organisation) for p in imported.signatories] == \
           [(p.name, p.role, p.organisation) for p in original.signatories]
    # The area's own sections come back, in order, with their titles.
    assert [s.title for s in imported.sections if not s.is_national and s.id != "review"] == \
           [s.title for s in original.sections if not s.is_national]


def test_a_printed_rate_without_population_is_kept_and_not_cross_checked(project: Path) -> None:
    """The small model change for imports: population optional when the rate is printed."""
    from conftest import edit

    path = project / "content" / "merseyside" / "2013-14" / "report.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("population:")
    end = text.index("\n\n", start)
    path.write_text(text[:start] + "population:\n  estimate: Mid-2013 Population Estimates (ONS)" + text[end:], encoding="utf-8")
    edit(path, "rso_per_100k: 103", "rso_per_100k: 104")  # would not match 1,268 per 1,231,100: no longer checked
    result = check(project)
    assert result.ok, [str(p) for p in result.errors]
    report = next(r for r in result.site.reports if r.area.slug == "merseyside")
    assert report.rso_per_100k == 104 and report.population.aged_10_and_over is None
    # Without the printed rate the population is still required.
    edit(path, "  rso_per_100k: 104\n", "")
    assert "content/merseyside/2013-14/report.yaml" in "\n".join(str(p) for p in check(project).errors)


@needs_seeds
def test_imported_seeds_build_and_every_figure_is_in_its_cell(tmp_path: Path) -> None:
    """`mappa import` each seed, then `mappa build`: the web pages show every figure exactly."""
    from mappa_ssg import build
    from htmltables import read_tables
    from seed_figures import shown

    project = fresh_project(tmp_path / "p")
    outcome = CliRunner().invoke(main, ["import", "-p", str(project), *(str(SEED_DIR / f) for f in SEED_FILES.values())])
    assert outcome.exit_code == 0, outcome.output
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.errors]
    for (area, year), expected in SEEDS.items():
        html = (project / "output" / area / year / "index.html").read_text(encoding="utf-8")
        tables = read_tables(html)
        for table_id, rows in expected.items():
            body, group = [], None
            for row in tables[f"table-{table_id}"]["rows"]:
                if len(row) == 1 and row[0].attrs.get("scope") == "rowgroup":
                    group = row[0].text.strip()
                elif row[0].attrs.get("scope") != "col":
                    body.append((group, row[0].text.strip(), [c.text.strip() for c in row[1:]]))
            assert body == [(g, label, [shown(c) for c in cells]) for g, label, cells in rows], (area, year, table_id)
        assert "The rate as printed in the published report" in html


@needs_seeds
def test_a_report_that_kept_an_earlier_editions_tables_names_that_edition(tmp_path: Path) -> None:
    """2020-21 would use the 2017-18 edition, but the report printed 2015-16's tables."""
    project = fresh_project(tmp_path / "p")
    result = import_report(project, SEED_DIR / "llr-2020-21.txt")
    assert "\nedition: 2015-16\n" in (result.folder / "report.yaml").read_text(encoding="utf-8")
    assert any("the tables are those of the 2015-16 edition, not of 2017-18" in w for w in result.warnings)
    assert any("the report's dates point to 2019-20, but it is the 2020-21 report" in w for w in result.warnings)


@needs_seeds
def test_a_new_year_for_an_existing_area_leaves_the_area_alone(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "example")
    shutil.rmtree(project / "content" / "merseyside" / "2013-14")
    area = (project / "content" / "merseyside" / "area.yaml").read_bytes()
    result = import_report(project, SEED_DIR / "merseyside-2013-14.txt", area="merseyside")
    assert result.ok, result.check_errors
    assert result.folder == project / "content" / "merseyside" / "2013-14"
    assert (project / "content" / "merseyside" / "area.yaml").read_bytes() == area
    assert all(not p.name == "area.yaml" for p in result.files)
