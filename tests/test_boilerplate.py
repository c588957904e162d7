"""The national text of an edition (what-is-mappa.html, explanation.html) is rendered once per
edition when it names nothing of the report, and still per report when it does, directly or
through a template it includes (issue 10)."""
import shutil
from collections import Counter

import jinja2

from conftest import edit
from mappa_ssg import build
from mappa_ssg.content import load_site
from mappa_ssg.problems import Problems
from mappa_ssg.render import Renderer


def test_national_text_naming_no_report_is_rendered_once_per_edition(project, monkeypatch):
    # Two more years of the 2017-18 edition (the example has one report per edition and language).
    for year in ("2018-19", "2019-20"):
        shutil.copytree(project / "content" / "merseyside" / "2017-18", project / "content" / "merseyside" / year)
        edit(project / "content" / "merseyside" / year / "report.yaml", "publication_date: 2018-10-25\n", "")
    site = load_site(project, Problems())
    renderer = Renderer(site, project)
    edition_renders = Counter()
    real = jinja2.Template.render

    def render(self, *args, **kwargs):
        if "edition" in kwargs:  # only the national texts are given the edition
            edition_renders[kwargs["edition"].id] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", render)
    reports = site.every_version()
    pages = [renderer.report(r).content for r in reports]
    # explanation.html names the report's period and figures: once per report. what-is-mappa.html
    # names only the edition (and where reports are published): once per edition, language and
    # address (a report may print its own).
    per_edition = Counter(r.edition.id for r in reports)
    shared = Counter(e for e, *_ in {(r.edition.id, r.lang, r.published_at) for r in reports})
    assert len(reports) > len(per_edition) and sum(shared.values()) < len(reports)
    assert edition_renders == per_edition + shared
    assert all("What is MAPPA" in page or "Beth yw MAPPA" in page for page in pages)


def test_national_text_naming_the_report_through_an_include_is_rendered_per_report(project):
    edition = project / "templates" / "editions" / "2017-18"
    (edition / "area-line.html").write_text("<p>Written for {{ report.area_name }}, {{ report.year_label }}.</p>\n", encoding="utf-8")
    what_is = edition / "what-is-mappa.html"
    what_is.write_text(what_is.read_text(encoding="utf-8") + '{% include "editions/2017-18/area-line.html" %}\n', encoding="utf-8")
    shutil.copytree(project / "content" / "merseyside" / "2017-18", project / "content" / "merseyside" / "2018-19")
    result = build(project, pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    for year in ("2017-18", "2018-19"):
        page = (project / "output" / "merseyside" / year / "index.html").read_text(encoding="utf-8")
        assert f"Written for Merseyside, {year}." in page
