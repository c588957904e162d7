"""Everything a published site has beyond the reports: charts, open data, the national overview,
search, the accessibility statement, and the files a web host looks for (404, sitemap, robots).

Called by the pipeline's render stage after the report pages are staged; each part is a pure
function of the site model (the search index, of the staged report pages too), so the files are
identical between builds.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, Iterator

from . import charts, opendata, overview, search, sitefiles
from .editions import Edition
from .incremental import CACHE
from .model import Report
from .output import Staging
from .render import Renderer, report_path

EVERY_REPORT = None


@dataclass(frozen=True)
class OutputFile:
    """A file to write, what it is made from, and how to make it (called only when needed).

    ``reports`` names the reports whose content it shows: an incremental build remakes the
    file only when one of them (or the templates, site or editions) changed. ``EVERY_REPORT``
    means it summarises the whole site.
    """

    path: str
    reports: tuple[Report, ...] | None
    make: Callable[[], str]


def chart_files(renderer: Renderer) -> Iterator[OutputFile]:
    """An SVG per chart, next to the report page that shows it."""
    site = renderer.site
    for report in site.every_version():
        shown = tuple(r for r in site.reports_for(report.area) if r.year <= report.year)
        folder = report.page_path.rsplit("/", 1)[0]
        for chart in renderer.charts(report):
            yield OutputFile(f"{folder}/{chart.file_name}", shown,
                             lambda chart=chart: charts.draw_svg(chart))


def data_files(renderer: Renderer) -> Iterator[OutputFile]:
    """Each report's CSV and JSON (the national CSV is made from the CSV files: from_staged_pages)."""
    for report in renderer.site.reports:
        # One report's CSV and JSON come from the same cells: made together, once, when either is needed.
        both = functools.cache(lambda report=report: opendata.report_files(report, lambda t: renderer.caption(t, report)))
        csv_path, json_path = opendata.report_paths(report)
        yield OutputFile(csv_path, (report,), lambda both=both, path=csv_path: both()[path])
        yield OutputFile(json_path, (report,), lambda both=both, path=json_path: _last_use(both)[path])


def _last_use(made: Callable[[], dict[str, str]]) -> dict[str, str]:
    """What ``made`` (a cached function) returns, forgetting it: a whole archive's files would add up."""
    value = made()
    made.cache_clear()  # type: ignore[attr-defined]
    return value


def _editions(renderer: Renderer) -> list[Edition]:
    found = {r.edition.id: r.edition for r in renderer.site.reports}
    return [found[k] for k in sorted(found)]


def site_pages(renderer: Renderer) -> Iterator[OutputFile]:
    """The overview, open data, search and accessibility pages, and the 404 page."""
    site = renderer.site
    reports = sorted(site.reports, key=lambda r: (r.area.name, r.year))

    def page(template: str, path: str, made_from: tuple[Report, ...] | None = EVERY_REPORT, **context: object) -> OutputFile:
        return OutputFile(path, made_from, lambda: renderer.page(template, path, **context).content)

    yield page("overview.html", "overview/index.html", years=overview.national_years(site.reports), caption=renderer.caption)
    yield page("data.html", "data/index.html", reports=reports, fields=opendata.FIELDS,
               national_csv=opendata.NATIONAL_CSV, not_applicable=opendata.NOT_APPLICABLE,
               rate_table=opendata.RATE_TABLE, editions=_editions(renderer))
    yield OutputFile(search.SEARCH_PAGE, EVERY_REPORT,
                     lambda: renderer.page("search.html", search.SEARCH_PAGE, entries=search.entries(site)).content)
    yield page("accessibility.html", "accessibility/index.html", made_from=())
    # Served in place of any missing address, at any depth: links start at the host's root
    # (/mappa/...), so they work wherever the page is served and never reach another host.
    root = sitefiles.site_path(site.base_url)
    yield page("404.html", sitefiles.NOT_FOUND, made_from=(), root=root,
               url=lambda target: sitefiles.page_url(root, target))


def from_staged_pages(renderer: Renderer, staging: Staging) -> Iterator[OutputFile]:
    """The files read from the report pages and data files in the staging folder: made only
    after every one is there (written or reused)."""
    # The search index holds each report page as staged (its text, tables and national text),
    # so no page is rendered twice and an incremental build indexes what a full build would.
    # One cache per output folder, as the manifest (`mappa serve` builds its own, with drafts).
    cache_file = renderer.project / CACHE / search.section_cache_name(staging.output)

    def search_index() -> str:
        cache = search.SectionCache(cache_file)
        docs = search.section_docs(renderer.site, lambda r: (staging.path / report_path(r)).read_bytes(), cache)
        cache.save()
        return search.index_script(docs)

    yield OutputFile(search.SEARCH_INDEX, EVERY_REPORT, search_index)
    # The national CSV is every report's own CSV under one header: each read as staged (made just
    # now or reused), so no figure is worked out twice, in a full build or after one edit.
    yield OutputFile(opendata.NATIONAL_CSV, EVERY_REPORT, lambda: opendata.national_csv(
        renderer.site.reports, lambda r: (staging.path / opendata.report_paths(r)[0]).read_bytes().decode("utf-8")))


def publishing_files(renderer: Renderer, written: list[str]) -> Iterator[OutputFile]:
    """Every file of this module, in a fixed order; ``written`` lists the pages staged so far."""
    files = [*chart_files(renderer), *data_files(renderer), *site_pages(renderer)]
    yield from files
    paths = written + [f.path for f in files]
    base_url = renderer.site.base_url
    yield OutputFile(sitefiles.SITEMAP, EVERY_REPORT, lambda: sitefiles.sitemap_xml(base_url, paths))
    yield OutputFile(sitefiles.ROBOTS, (), lambda: sitefiles.robots_txt(base_url))
