"""A site's own templates (overrides/): one written for an earlier version keeps working, and one
whose code goes wrong is reported at its file and line, with nothing written and no traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import LLR
from mappa_ssg import build

# templates/_charts.html's data table as the theme printed it before Chart.table_rows existed:
# an override copied from that version calls Chart.rows() and formats each figure itself.
EARLIER_CHART_ROWS = """\
    {% for year, values in chart.rows() %}
    <tr><th scope="row">{{ year }}</th>{% for value in values %}<td class="num" data-label="{{ chart.series[loop.index0][0] }}">{{ value | figure }}</td>{% endfor %}</tr>
    {% endfor %}
"""
TODAY_CHART_ROWS = """\
    {% for year, cells in chart.table_rows() %}
    <tr><th scope="row">{{ year }}</th>{% for label, figure in cells %}<td class="num" data-label="{{ label }}">{{ figure }}</td>{% endfor %}</tr>
    {% endfor %}
"""
PAGE = f"{LLR}/2020-21/index.html"


def override(project: Path, name: str, text: str) -> Path:
    path = project / "overrides" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_an_override_from_an_earlier_version_gives_the_themes_page(project, tmp_path):
    theme = (project / "templates" / "_charts.html").read_text(encoding="utf-8")
    assert TODAY_CHART_ROWS in theme  # the test follows the theme: update both together
    assert build(project, tmp_path / "theme", pdf=False).ok
    override(project, "_charts.html", theme.replace(TODAY_CHART_ROWS, EARLIER_CHART_ROWS))
    result = build(project, tmp_path / "override", pdf=False)
    assert result.ok, [str(p) for p in result.problems]
    ours = (tmp_path / "override" / PAGE).read_text(encoding="utf-8")
    assert ours == (tmp_path / "theme" / PAGE).read_text(encoding="utf-8")
    assert 'data-label="Category 1' in ours


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_error_inside_an_override_is_reported_at_its_line(project, jobs):
    theme = (project / "templates" / "_charts.html").read_text(encoding="utf-8")
    broken = theme.replace(TODAY_CHART_ROWS, TODAY_CHART_ROWS.replace("{{ figure }}", "{{ chart | figure }}"))
    line = broken.splitlines().index(TODAY_CHART_ROWS.splitlines()[1].replace("{{ figure }}", "{{ chart | figure }}")) + 1
    assert build(project, pdf=False).ok  # a good output to keep
    before = {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()}
    override(project, "_charts.html", broken)
    run = subprocess.run([sys.executable, "-m", "mappa_ssg", "build", "--no-pdf", "--jobs", str(jobs), "-p", str(project)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert f"overrides/_charts.html:{line}:1: template error: TypeError" in run.stderr, run.stderr
    assert {p: p.read_bytes() for p in (project / "output").rglob("*") if p.is_file()} == before


def test_an_error_in_the_print_template_is_reported_at_its_line(project):
    # Only the PDF's page is broken: the web pages render, the print page does not.
    theme = (project / "templates" / "report_print.html").read_text(encoding="utf-8")
    marker = '{% from "_sections.html" import section_body, section_class with context %}\n'
    assert marker in theme
    override(project, "report_print.html", theme.replace(marker, marker + "{{ report.area | figure }}\n"))
    line = theme.splitlines().index(marker.strip()) + 2
    result = build(project, pdf=True, jobs=1)
    assert [(p.path, p.line) for p in result.errors] == [("overrides/report_print.html", line)]
    assert result.errors[0].message.startswith("template error: TypeError")
    assert not (project / "output").exists()
