"""The PDFs' accessibility, read back with pikepdf: tags, language, table headers, figures,
and the `pdfua` checker (PyPI) with no findings at all."""
from __future__ import annotations

import re

import pikepdf
import pytest

from conftest import LLR
from test_pdf import REPORTS, pdf_path


def struct_elements(pdf: pikepdf.Pdf):
    """Every structure element, depth first."""
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                yield kid
                stack.append(kid)


@pytest.mark.parametrize("area, year", REPORTS)
def test_tagged_with_language_and_document_title(example_site, area, year):
    with pikepdf.open(pdf_path(example_site, area, year)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"
            assert xmp["dc:title"].endswith(f"MAPPA annual report {year}")


@pytest.mark.parametrize("area, year", REPORTS)
def test_every_table_header_cell_has_a_scope(example_site, area, year):
    with pikepdf.open(pdf_path(example_site, area, year)) as pdf:
        headers = [e for e in struct_elements(pdf) if e.S == "/TH"]
        assert len(headers) > 40
        for th in headers:
            in_head = th.P.P.S == "/THead"
            assert th.A.Scope == ("/Column" if in_head else "/Row"), (str(th.P.P.S), th.A)
        # Every /ID is registered in the /IDTree and leads back to its element.
        names = pdf.Root.StructTreeRoot.IDTree.Names
        tree = {str(names[i]): names[i + 1] for i in range(0, len(names), 2)}
        assert list(tree) == sorted(tree)
        for th in headers:
            assert tree[str(th.ID)].objgen == th.objgen


def test_group_heading_is_a_header_of_the_cells_in_its_group(example_site):
    with pikepdf.open(pdf_path(example_site, LLR, "2014-15")) as pdf:
        groups = [th for th in struct_elements(pdf) if th.S == "/TH" and th.get("/A", {}).get("/ColSpan") == 5]
        assert len(groups) == 2  # the custody table's two groups (breach of licence, of order)
        for th in groups:
            body = th.P.P
            cells = [td for tr in list(body.K)[1:] for td in tr.K if td.S == "/TD"]
            assert cells and all(str(th.ID) in [str(h) for h in td.A.Headers] for td in cells)


def test_logo_is_a_figure_with_its_description(example_site):
    with pikepdf.open(pdf_path(example_site, "merseyside", "2013-14")) as pdf:
        figures = [e for e in struct_elements(pdf) if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Merseyside MAPPA"]


def _pdfua_validate(path, monkeypatch):
    """Run pdfua's every rule on ``path``.

    pdfua 0.1.3's heading rule asks a pikepdf Array for ``is_integer``, which raises under
    pikepdf 10 and makes the rule skip itself on any heading with more than one piece of
    content; its number test is made to answer None for arrays and dictionaries, as it meant to.
    """
    import pdfua
    from pdfua.rules import structure

    original = structure.as_integer
    monkeypatch.setattr(structure, "as_integer",
                        lambda value: None if isinstance(value, (pikepdf.Array, pikepdf.Dictionary)) else original(value))
    return pdfua.validate(str(path))


@pytest.mark.parametrize("area, year", REPORTS)
def test_pdfua_checker_finds_nothing(example_site, area, year, monkeypatch):
    report = _pdfua_validate(pdf_path(example_site, area, year), monkeypatch)
    assert [f"{f.rule_id} {f.severity.name}: {f.message}" for f in report.findings] == []
    assert [(o.rule_id, o.skipped_reason) for o in report.outcomes if o.skipped_reason] == []
    assert len(report.outcomes) == 12


def test_a_not_applicable_cell_reads_dash_as_text_and_not_applicable_to_screen_readers(example_site):
    """pdftotext read "-not applicable": the hidden words are not drawn, but stay the cell's
    /ActualText, and the key under the table says what "-" means."""
    import subprocess

    path = pdf_path(example_site, LLR, "2014-15")
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "not applicable" not in text.replace("- not applicable: no offender", "")
    assert re.search(r"Level 1\s+798\s+275\s+-\s+1,073\n", text), "the Level 1 row reads 798 275 - 1,073"
    assert text.count("- not applicable: no offender can be counted in that cell") == 2  # eligible and custody tables
    with pikepdf.open(path) as pdf:
        spelled = [e for e in struct_elements(pdf) if e.S == "/TD" and "/ActualText" in e]
    # One in the eligible table; in custody, Categories 2 and 3 of breach of SOPO: 2 rows and the total.
    assert len(spelled) == 1 + 6 and all(str(e.ActualText) == "not applicable" for e in spelled)
