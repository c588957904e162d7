"""Drafts: unfinished work is never published by accident, and never stops other areas' reports.

A report is a draft when report.yaml says `status: draft` (what `mappa new` writes) or when
anything is left to do: a figure still TODO, a line starting REVIEW:. `build` leaves drafts out
with a warning for each thing left to do; `build --drafts` and `serve` show them marked Draft.
"""
import re
from html.parser import HTMLParser

from click.testing import CliRunner
from pypdf import PdfReader

from conftest import LLR, edit
from mappa_ssg import build, check
from mappa_ssg.cli import main
from mappa_ssg.serve import Preview

NEW = f"content/{LLR}/2021-22"
REPORT_2014 = f"content/{LLR}/2014-15/report.yaml"
LOCATED = re.compile(r"^(content/\S+?):(\d+):(\d+): (warning: )?(.*)$")


def run(*args):
    return CliRunner().invoke(main, list(args))


def located(output: str) -> list[tuple[str, int, str, str]]:
    """(file, line, severity, message) of every file:line:col line printed."""
    found = []
    for line in output.splitlines():
        match = LOCATED.match(line)
        if match:
            found.append((match.group(1), int(match.group(2)), "warning" if match.group(4) else "error", match.group(5)))
    return found


def every_text_file(folder):
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in folder.rglob("*")
            if p.is_file() and p.suffix in (".html", ".xml", ".csv", ".js", ".json", ".txt")}


class Page(HTMLParser):
    """The parts of a page these tests look at: meta tags, title, classes and their text."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.title = ""
        self.classes: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]] = attrs.get("content", "")
        if tag not in ("meta", "link", "br", "img", "input"):
            self._open.append((tag, attrs.get("class")))
            if attrs.get("class"):
                self.classes.setdefault(attrs["class"], "")

    def handle_endtag(self, tag):
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        for tag, cls in self._open:
            if tag == "title":
                self.title += data
            if cls:
                self.classes[cls] += data


def test_new_then_build_leaves_the_new_report_out_and_keeps_the_rest(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    assert "status: draft\n" in (project / NEW / "report.yaml").read_text()
    result = run("build", "-p", str(project), "--no-pdf")
    assert result.exit_code == 0, result.output
    problems = located(result.output)
    assert problems and all(severity == "warning" for _, _, severity, _ in problems)
    # Each thing left to do is named at its file and line (found here without mappa's help).
    todo = [(f"{NEW}/report.yaml", n) for n, line in enumerate((project / NEW / "report.yaml").read_text().split("\n"), 1)
            if re.search(r"\bTODO\b", line.split("#", 1)[0])]
    review = [(f"{NEW}/{p.name}", n) for p in sorted((project / NEW).iterdir())
              for n, line in enumerate(p.read_text().split("\n"), 1) if line.lstrip("# ").startswith("REVIEW:")]
    assert len(review) == 7 and sum("not filled in yet" in m for _, _, _, m in problems) == 33
    said = {(f, n) for f, n, _, m in problems if "not filled in yet" in m or "marked for review" in m}
    assert said == set(todo) | set(review)
    summary = [m for f, n, _, m in problems if m.startswith("draft (") and (f, n) == (f"{NEW}/report.yaml", 7)]  # as in the guide
    assert summary == ['draft (status: draft; 33 figures to fill in; 7 REVIEW: lines): left out of the site by mappa build; '
                       'mappa serve and mappa build --drafts show it marked "Draft"']
    # The rest of the site is built, and nothing links to or counts the draft.
    output = project / "output"
    assert (output / LLR / "2020-21/index.html").is_file() and (output / "merseyside/2013-14/index.html").is_file()
    assert not (output / LLR / "2021-22").exists()
    for path, text in every_text_file(output).items():
        assert "2021-22/" not in text and "2021-22," not in text, path
    published = len(check(project).site.reports)
    assert f", {published} reports, 1 draft (not published until finished)," in run("check", "-p", str(project)).output
    assert published == len(list(output.glob("*/*/index.html")))


def test_a_half_finished_report_with_a_mistake_does_not_stop_the_others(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    edit(project / NEW / "report.yaml", "level_2: [TODO, TODO, TODO]", "level_2: [1, 2, 3, total: 7]")  # a wrong total, as typed
    result = run("build", "-p", str(project), "--no-pdf")
    assert result.exit_code == 0, result.output
    assert any(m == "eligible.level_2: total: 7 given, but the figures in the row add up to 6" and s == "warning"
               for _, _, s, m in located(result.output))
    assert any(m.startswith("draft (status: draft; 30 figures to fill in; 7 REVIEW: lines) with errors: left out of the site")
               for _, _, _, m in located(result.output))
    assert (project / "output" / LLR / "2020-21/index.html").is_file()
    # The same mistake in a finished report stops the build, as it always did.
    edit(project / REPORT_2014, "[7, 1, 3, total: 11]", "[7, 1, 3, total: 16]")
    assert run("build", "-p", str(project), "--no-pdf").exit_code == 1


def test_status_draft_keeps_a_finished_report_out_and_final_puts_it_back(project):
    report = project / REPORT_2014
    report.write_text("status: draft\n" + report.read_text())
    result = check(project)
    assert result.ok and [r.year.label for r in result.site.drafts] == ["2014-15"]
    assert [str(p) for p in result.problems] == [
        f'{REPORT_2014}:1:9: warning: draft (status: draft): left out of the site by mappa build; mappa serve and mappa build --drafts show it marked "Draft"']
    assert not check(project, strict=True).ok  # --strict keeps its meaning: every warning fails
    built = build(project, pdf=False)
    assert built.ok and not (project / "output" / LLR / "2014-15").exists()
    report.write_text(report.read_text().replace("status: draft", "status: final"))
    assert build(project, pdf=False).ok and (project / "output" / LLR / "2014-15/index.html").is_file()
    report.write_text(report.read_text().replace("status: final", "status: drfat"))
    assert [str(p) for p in check(project).errors] == [f'{REPORT_2014}:1:9: status should be draft or final, not "drfat" (did you mean "draft"?)']


def test_a_review_line_left_in_a_finished_report_makes_it_a_draft(project):
    intro = project / f"content/{LLR}/2020-21/introduction.md"
    intro.write_text("REVIEW: update this.\n\n" + intro.read_text())
    result = check(project)
    assert result.ok and [r.year.label for r in result.site.drafts] == ["2020-21"]
    assert f"content/{LLR}/2020-21/introduction.md:1:1: warning: marked for review: update it, then delete the line starting REVIEW:" in [str(p) for p in result.problems]
    assert "1 draft (not published until finished)" in run("check", "-p", str(project)).output


def test_build_drafts_marks_the_draft_on_the_page_and_every_pdf_page(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    result = build(project, drafts=True, jobs=1)
    assert result.ok, [str(p) for p in result.errors]
    output = project / "output"
    page = Page((output / LLR / "2021-22/index.html").read_text())
    assert page.meta["robots"] == "noindex, nofollow"
    assert page.title.startswith("Draft: ")
    assert " ".join(page.classes["draft-banner"].split()) == "Draft: not published, and may change. Still to do: status: draft; 33 figures to fill in; 7 REVIEW: lines."
    assert "DRAFT" in page.classes["draft-watermark"]
    assert "download-data" not in page.classes  # a draft's figures are not open data
    # Unfilled figures show as TODO, never as a number.
    assert "TODO" in page.classes["table-wrap"]
    area = Page((output / LLR / "index.html").read_text())
    assert "(draft)" in area.classes["draft-tag"]
    assert "robots" not in Page((output / LLR / "2020-21/index.html").read_text()).meta
    # Never in what counts or indexes the published reports.
    for name in ("sitemap.xml", "overview/index.html", "data/mappa-statistics-all-areas.csv", "search/index.js", "index.html"):
        assert "2021-22/" not in (output / name).read_text() and f"{LLR},2021-22" not in (output / name).read_text(), name
    assert not list((output / LLR / "2021-22").glob("*.csv"))
    # The PDF says DRAFT on every page, and on its cover what is still to do.
    pdf = PdfReader(output / LLR / "2021-22" / f"{LLR}-mappa-annual-report-2021-22.pdf")
    assert pdf.metadata.title.startswith("Draft: ")
    texts = [p.extract_text() for p in pdf.pages]
    assert len(texts) > 5 and all("DRAFT" in t for t in texts)
    assert all("Draft: not for publication" in t for t in texts[1:])  # the cover has no page foot
    assert "Still to do: status: draft" in " ".join(texts[0].split())
    published = PdfReader(output / LLR / "2020-21" / f"{LLR}-mappa-annual-report-2020-21.pdf")
    assert not any("DRAFT" in p.extract_text() for p in published.pages)


def test_a_build_without_drafts_after_one_with_them_drops_every_trace(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    assert build(project, pdf=False, drafts=True).ok
    assert (project / "output" / LLR / "2021-22/index.html").is_file()
    assert build(project, pdf=False).ok
    assert not (project / "output" / LLR / "2021-22").exists()
    assert "2021-22" not in (project / "output" / LLR / "index.html").read_text()


def test_serve_shows_drafts(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    preview = Preview(project, port=0, on_build=lambda result, seconds: None)
    try:
        assert preview.rebuild().ok
    finally:
        preview.httpd.server_close()
    page = Page((project / ".mappa-cache/serve" / LLR / "2021-22/index.html").read_text())
    assert "Draft" in page.classes["draft-banner"]


def test_build_says_how_many_drafts_it_left_out(project):
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    result = run("build", "-p", str(project), "--no-pdf")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1].endswith("; 1 draft left out (see the warnings; --drafts shows them)")
    shown = run("build", "-p", str(project), "--no-pdf", "--drafts", "-o", str(project / "for-sign-off"))
    assert shown.exit_code == 0 and "left out" not in shown.output.splitlines()[-1]


def test_the_guides_draft_messages_are_what_check_prints(project):
    from conftest import REPO

    guide = (REPO / "docs/authors-guide.md").read_text()
    shown = [line.strip() for line in guide.split("\n") if line.strip().startswith(f"{NEW}/")]
    assert len(shown) >= 2
    assert run("new", "-p", str(project), LLR, "2021-22").exit_code == 0
    printed = run("check", "-p", str(project)).output.splitlines()
    for line in shown:
        assert line in printed, line
