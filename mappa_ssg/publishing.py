"""Everything a published site has beyond the reports: charts, open data, the national overview,
search, the accessibility statement, and the files a web host looks for (404, sitemap, robots).

Called by the pipeline's render stage after the report pages are staged; each part is a pure
function of the site model, so the files are identical between builds.
"""
from __future__ import annotations

from typing import Iterator

from . import charts, opendata, overview, search, sitefiles
from .editions import Edition
from .render import Page, Renderer


def chart_files(renderer: Renderer) -> Iterator[Page]:
    """An SVG per chart, next to the report page that shows it (reused from the cache if unchanged)."""
    site = renderer.site
    for report in site.reports:
        for chart in charts.report_charts(site, report):
            svg = charts.cached_svg(chart, site.root / ".mappa-cache" / "charts")
            yield Page(f"{report.area.slug}/{report.year.label}/{chart.file_name}", svg)


def data_files(renderer: Renderer) -> Iterator[Page]:
    """Each report's CSV and JSON, and the national CSV."""
    for report in renderer.site.reports:
        for path, text in opendata.report_files(report, lambda t, r=report: renderer.caption(t, r)).items():
            yield Page(path, text)
    yield Page(opendata.NATIONAL_CSV, opendata.national_csv(renderer.site.reports, lambda r, t: renderer.caption(t, r)))


def _editions(renderer: Renderer) -> list[Edition]:
    found = {r.edition.id: r.edition for r in renderer.site.reports}
    return [found[k] for k in sorted(found)]


def site_pages(renderer: Renderer) -> Iterator[Page]:
    """The overview, open data, search and accessibility pages, and the 404 page."""
    site = renderer.site
    reports = sorted(site.reports, key=lambda r: (r.area.name, r.year))
    yield renderer.page("overview.html", "overview/index.html", years=overview.national_years(site.reports),
                        caption=renderer.caption)
    yield renderer.page("data.html", "data/index.html", reports=reports, fields=opendata.FIELDS,
                        national_csv=opendata.NATIONAL_CSV, not_applicable=opendata.NOT_APPLICABLE,
                        rate_table=opendata.RATE_TABLE, editions=_editions(renderer))
    entries = search.entries(site)
    yield renderer.page("search.html", search.SEARCH_PAGE, entries=entries)
    yield Page(search.SEARCH_INDEX, search.index_script(entries))
    yield renderer.page("accessibility.html", "accessibility/index.html")
    # Served in place of any missing address, at any depth: links are absolute (see 404.html).
    yield renderer.page("404.html", sitefiles.NOT_FOUND, root=site.base_url,
                        url=lambda target: sitefiles.page_url(site.base_url, target))


def host_files(base_url: str, written: list[str]) -> Iterator[Page]:
    """sitemap.xml and robots.txt, once every page is known."""
    yield Page(sitefiles.SITEMAP, sitefiles.sitemap_xml(base_url, written))
    yield Page(sitefiles.ROBOTS, sitefiles.robots_txt(base_url))


def publishing_files(renderer: Renderer, written: list[str]) -> Iterator[Page]:
    """Every file of this module, in a fixed order; ``written`` lists the pages staged so far."""
    pages = [*chart_files(renderer), *data_files(renderer), *site_pages(renderer)]
    yield from pages
    yield from host_files(renderer.site.base_url, written + [p.path for p in pages])
