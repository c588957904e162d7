"""Statistics tables as a reader sees them, measured in chromium (issue 12, item 7).

At desktop width no label wraps and figures in neighbouring columns keep a clear gap; at 375
and 320 px every figure and its column's label are in view without scrolling sideways (a grid is
shown row by row) and the table is still a table to a screen reader.
"""
from __future__ import annotations

import pytest

from browser.kit import page_kind

DESKTOP, MOBILE, NARROW = 1280, 375, 320
MIN_GAP = 12  # px between two figures on one line: GOV.UK tables leave 20px

# Lines of text an element's contents take: distinct tops of its line boxes.
LINES = """el => { const r = document.createRange(); r.selectNodeContents(el);
    return new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size; }"""


def table_pages(site_server) -> list[str]:
    return [p for p in site_server.pages() if page_kind(p) in ("report", "overview")]


@pytest.fixture(scope="module")
def pages(site_server):
    found = table_pages(site_server)
    assert len(found) >= 4, found  # three reports and the overview
    return found


def test_no_label_wraps_at_desktop_width(site_server, chromium, pages):
    """Row labels and column names each take one line at 1280 px ("Level / 1" did not)."""
    context = chromium.context(width=DESKTOP)
    page = context.new_page()
    wrapped, checked = [], 0
    for relative in pages:
        page.goto(site_server.url(relative))
        labels = page.evaluate(f"""() => [...document.querySelectorAll(
                'main table tbody th, main table .col-name, main table .col-detail, main .chart-table thead th')]
            .map(el => [el.textContent.trim(), ({LINES})(el)])""")
        checked += len(labels)
        wrapped += [(relative, text, lines) for text, lines in labels if lines != 1]
    context.close()
    assert checked > 100
    assert not wrapped, wrapped


@pytest.mark.parametrize("width", [MOBILE, NARROW])
def test_every_figure_and_its_label_are_in_view_on_narrow_screens(site_server, chromium, pages, width):
    """No column cut off or hidden: each cell, its column's label and the caption lie inside the
    screen, and no table box scrolls sideways (a grid is shown row by row instead)."""
    context = chromium.context(width=width, height=700)
    page = context.new_page()
    problems, cells = [], 0
    for relative in pages:
        page.goto(site_server.url(relative))
        found = page.evaluate("""() => {
            const out = {problems: [], cells: 0};
            const inView = el => { const r = el.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && r.left >= -0.5 && r.right <= innerWidth + 0.5; };
            for (const table of document.querySelectorAll('main table')) {
                const name = table.id || table.querySelector('caption')?.textContent;
                const box = table.closest('.table-wrap');
                if (box && box.scrollWidth > box.clientWidth + 1) out.problems.push(`${name}: scrolls sideways`);
                const caption = table.querySelector('caption');
                if (caption && !caption.classList.contains('visually-hidden') && !inView(caption))
                    out.problems.push(`${name}: caption out of view`);
                const heads = [...table.querySelectorAll('thead th')];
                const headsShown = heads.every(inView) && getComputedStyle(table.tHead).position !== 'absolute';
                for (const row of table.querySelectorAll('tbody tr')) {
                    [...row.cells].forEach((cell, i) => {
                        out.cells += 1;
                        if (!inView(cell)) out.problems.push(`${name}: "${cell.textContent.trim()}" out of view`);
                        if (cell.tagName !== 'TD' || headsShown) return;
                        // The header row is hidden from sight: the cell must print its column's label.
                        const printed = getComputedStyle(cell, '::before').content;
                        const label = cell.getAttribute('data-label') || '';
                        const head = heads[i] ? heads[i].textContent.replace(/\\s+/g, ' ').trim() : '';
                        if (!printed.includes(label) || !label || head.replace(/:/g, '') !== label.replace(/:/g, ''))
                            out.problems.push(`${name}: cell ${i} shows "${printed}", its column is "${head}"`);
                    });
                }
            }
            return out; }""")
        cells += found["cells"]
        problems += [f"{relative}: {p}" for p in found["problems"]]
    context.close()
    assert cells > 200
    assert not problems, problems[:20]


@pytest.mark.parametrize("width", [DESKTOP, MOBILE, NARROW])
def test_figures_on_one_line_never_touch(site_server, chromium, pages, width):
    """"3" and "1,086" ran together: any two figures side by side keep MIN_GAP px apart."""
    context = chromium.context(width=width)
    page = context.new_page()
    touching, pairs = [], 0
    for relative in pages:
        page.goto(site_server.url(relative))
        found = page.evaluate("""minGap => {
            const out = {touching: [], pairs: 0};
            for (const table of document.querySelectorAll('main table')) {
                const boxes = [];
                for (const cell of table.querySelectorAll('td.num')) {
                    // The figure as drawn: text outside the visually hidden "not applicable".
                    const rects = [];
                    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                    while (walk.nextNode()) {
                        if (walk.currentNode.parentElement.closest('.visually-hidden')) continue;
                        const r = document.createRange(); r.selectNodeContents(walk.currentNode);
                        rects.push(...[...r.getClientRects()].filter(x => x.width > 0));
                    }
                    if (!rects.length) continue;
                    boxes.push({text: cell.textContent.trim(), left: Math.min(...rects.map(x => x.left)),
                                right: Math.max(...rects.map(x => x.right)), top: Math.min(...rects.map(x => x.top)),
                                bottom: Math.max(...rects.map(x => x.bottom))});
                }
                for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const a = boxes[i], b = boxes[j];
                    if (Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) <= 2) continue;  // not on one line
                    out.pairs += 1;
                    const gap = Math.max(b.left - a.right, a.left - b.right);
                    if (gap < minGap) out.touching.push(`${table.id}: "${a.text}" and "${b.text}" ${gap.toFixed(1)}px apart`);
                }
            }
            return out; }""", MIN_GAP)
        pairs += found["pairs"]
        touching += [f"{relative}: {t}" for t in found["touching"]]
    context.close()
    assert pairs > 0 if width == DESKTOP else True
    assert not touching, touching[:20]


def test_a_grid_shown_row_by_row_is_still_a_table_to_screen_readers(site_server, chromium, pages):
    """The narrow layout changes only the look: chromium's accessibility tree still has the
    column headers and cells, and the printed labels are not read out twice."""
    context = chromium.context(width=NARROW)
    page = context.new_page()
    report = next(p for p in pages if page_kind(p) == "report")
    page.goto(site_server.url(report))
    tree = page.locator("main table.stats-grid").first.aria_snapshot()
    context.close()
    assert "- columnheader \"Total\"" in tree and "- rowheader \"Level 1\"" in tree, tree
    assert "registered sexual offenders" not in tree.split("- rowgroup:")[2], tree  # labels not in the cells' names
