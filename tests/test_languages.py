"""Language versions of a report and the site's text per language (issue 13, items 1 and 2):
a Welsh report beside its English one, each linking to the other, counted once nationally,
with Welsh dates, ordinals, site text, table words, PDF language and running header."""
import csv
import io
import re
import datetime as dt
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from pypdf import PdfReader

from conftest import REPO, edit
from htmltables import read_tables
from mappa_ssg import check
from mappa_ssg.i18n import catalog_path
from mappa_ssg.languages import long_date, ordinal, period, welsh_ordinal_suffix

EN = "north-wales/2023-24/index.html"
CY = "north-wales/2023-24/cy/index.html"
CY_PDF = "north-wales/2023-24/cy/north-wales-mappa-annual-report-2023-24-cy.pdf"
EN_PDF = "north-wales/2023-24/north-wales-mappa-annual-report-2023-24.pdf"


def errors(result):
    return [str(p) for p in result.problems if p.severity == "error"]


# -- pure functions ---------------------------------------------------------------------------------
WELSH_ORDINALS = ["1af", "2il", "3ydd", "4ydd", "5ed", "6ed", "7fed", "8fed", "9fed", "10fed", "11eg", "12fed",
                  "13eg", "14eg", "15fed", "16eg", "17eg", "18fed", "19eg", "20fed", "21ain", "22ain", "23ain",
                  "24ain", "25ain", "26ain", "27ain", "28ain", "29ain", "30ain"]


def test_welsh_ordinals_1_to_30():
    assert [ordinal(n, "cy") for n in range(1, 31)] == WELSH_ORDINALS
    assert welsh_ordinal_suffix(40) == "fed" and welsh_ordinal_suffix(41) == "ain"
    assert [ordinal(n, "en-GB") for n in (1, 2, 3, 11, 12, 13, 22, 23)] == ["1st", "2nd", "3rd", "11th", "12th", "13th", "22nd", "23rd"]
    with pytest.raises(ValueError):
        welsh_ordinal_suffix(0)


def test_welsh_month_names_and_period():
    months = [long_date(dt.date(2024, m, 1), "cy").split()[1] for m in range(1, 13)]
    assert months == ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
                      "Hydref", "Tachwedd", "Rhagfyr"]
    assert long_date(dt.date(2024, 3, 31), "cy") == "31 Mawrth 2024"
    assert period(dt.date(2023, 4, 1), dt.date(2024, 3, 31), "cy") == "1 Ebrill 2023 i 31 Mawrth 2024"
    assert period(dt.date(2023, 4, 1), dt.date(2024, 3, 31)) == "1 April 2023 to 31 March 2024"


def test_every_site_text_has_a_welsh_translation_and_the_catalog_is_current(tmp_path):
    with catalog_path("cy").open("rb") as handle:
        welsh = read_po(handle, locale="cy")
    untranslated = [m.id for m in welsh if m.id and not m.string]
    assert untranslated == []
    # The catalog holds exactly the text the templates and code mark today (`make messages`).
    from babel.messages.frontend import CommandLineInterface
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(REPO / "babel.cfg"), "-k", "_", "-k", "gettext",
                                "-k", "N_", "--no-location", "--omit-header", "-o", str(pot), str(REPO)])
    with pot.open("rb") as handle:
        marked = {m.id for m in read_po(handle) if m.id}
    assert marked == {m.id for m in welsh if m.id}


# -- the pages --------------------------------------------------------------------------------------
def test_welsh_and_english_versions_link_to_each_other(example_site):
    english, welsh = (example_site / EN).read_text(), (example_site / CY).read_text()
    for page in (english, welsh):
        assert '<link rel="alternate" hreflang="en-GB" href="https://example.org/mappa/north-wales/2023-24/">' in page
        assert '<link rel="alternate" hreflang="cy" href="https://example.org/mappa/north-wales/2023-24/cy/">' in page
    assert '<a href="cy/index.html" hreflang="cy" lang="cy">Cymraeg</a>' in english
    assert '<a href="../index.html" hreflang="en-GB" lang="en-GB">English</a>' in welsh
    assert english.startswith('<!DOCTYPE html>\n<html lang="en-GB">') and welsh.startswith('<!DOCTYPE html>\n<html lang="cy">')


def test_welsh_page_is_in_welsh_with_english_fragments_marked(example_site):
    welsh = (example_site / CY).read_text()
    assert "Dyma'r 23ain adroddiad blynyddol ar y Trefniadau Amlasiantaethol Diogelu'r Cyhoedd ar gyfer Gogledd Cymru, " \
           "sy'n cwmpasu 1 Ebrill 2023 i 31 Mawrth 2024." in welsh
    assert '<h2 id="statistics-title">Ystadegau MAPPA</h2>' in welsh and "Neidio i'r prif gynnwys" in welsh
    tables = read_tables(welsh)
    assert tables["table-eligible"]["caption"] == "Troseddwyr sy'n gymwys i MAPPA ar 31 Mawrth 2024"
    header = [c.text for c in tables["table-eligible"]["rows"][0]]
    assert header[0] == "Lefel" and header[-1] == "Cyfanswm" and header[4].startswith("Categori 4")
    # The figures are the English report's: typed once in report.yaml.
    english = read_tables((example_site / EN).read_text())
    figures = lambda t: [[c.text for c in row[1:]] for row in t["rows"][1:]]
    assert figures(tables["table-age"]) == figures(english["table-age"])
    # English data on the Welsh page (a role, the population estimate) is marked as English.
    assert '<span class="role"><span lang="en-GB">Chair of the Strategic Management Board</span></span>' in welsh
    assert '<span lang="en-GB">ONS mid-2023 population estimates' in welsh


def test_an_area_in_two_languages_is_counted_once(example_site):
    result = check(REPO)
    assert [r.area.slug for r in result.site.reports].count("north-wales") == 1
    rows = list(csv.DictReader(io.StringIO((example_site / "data/mappa-statistics-all-areas.csv").read_text())))
    eligible = [r for r in rows if r["area"] == "north-wales" and r["table"] == "eligible" and r["row"] == "total"
                and r["column"] == "category_1"]
    assert [r["value"] for r in eligible] == ["1026"]
    overview = read_tables((example_site / "overview/index.html").read_text())["table-eligible-2023-24"]
    assert [c.text for c in overview["rows"][-1]][1] == "1,026"  # North Wales is the only 2023-24 report
    home = (example_site / "index.html").read_text()
    assert home.count('href="north-wales/index.html"') == 1
    assert '<a href="north-wales/2023-24/cy/index.html" hreflang="cy">Gogledd Cymru: 2023-24</a> (Cymraeg)' in home


def test_welsh_pdf_has_welsh_language_metadata_and_running_header(example_site):
    reader = PdfReader(example_site / CY_PDF)
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata["/Title"] == "Adroddiad blynyddol MAPPA Gogledd Cymru 2023-24"
    pages = len(reader.pages)
    last = reader.pages[-1].extract_text()
    assert "Gogledd Cymru Adroddiad blynyddol MAPPA 2023-24" in last and f"Tudalen {pages} o {pages}" in last
    assert PdfReader(example_site / EN_PDF).trailer["/Root"]["/Lang"] == "en-GB"


# -- problems ---------------------------------------------------------------------------------------
def test_a_language_the_area_does_not_list_is_an_error(project):
    edit(project / "content/north-wales/area.yaml", "languages: [en-GB, cy]\n", "")
    assert ('content/north-wales/2023-24/cy:1:1: "cy" is not one of the languages of North Wales '
            "(add it to languages in content/north-wales/area.yaml)") in errors(check(project))


def test_a_missing_welsh_section_is_an_error(project):
    (project / "content/north-wales/2023-24/cy/local-page.md").unlink()
    assert errors(check(project)) == ["content/north-wales/2023-24/cy:1:1: local-page.md is missing: every section of "
                                      "content/north-wales/2023-24 needs its Cymraeg version here"]


def test_an_edition_without_welsh_text_is_an_error(project):
    import shutil
    shutil.rmtree(project / "templates/editions/2023-24/cy")
    assert errors(check(project)) == ["content/north-wales/2023-24/cy:1:1: the 2023-24 edition has no Cymraeg text: "
                                      "add templates/editions/2023-24/cy/ (tables.yaml and the national text)"]


def test_a_missing_label_in_the_welsh_tables_is_an_error(project):
    edit(project / "templates/editions/2023-24/cy/tables.yaml", "      female: Benyw\n", "")
    found = errors(check(project))
    assert any(re.match(r"templates/editions/2023-24/cy/tables.yaml:\d+:\d+: tables.sex.rows: no translation for female", e) for e in found), found


def test_a_report_missing_one_of_the_areas_languages_gets_a_warning_and_is_published_alone(project):
    import shutil
    shutil.rmtree(project / "content/north-wales/2023-24/cy")
    result = check(project)
    assert errors(result) == []
    assert ("content/north-wales/2023-24:1:1: warning: no Cymraeg version: North Wales publishes in cy, "
            "but content/north-wales/2023-24/cy/ does not exist") in [str(p) for p in result.problems]
    report = next(r for r in result.site.reports if r.area.slug == "north-wales")
    assert report.translations == () and report.versions == ()  # no switcher to a page that does not exist
