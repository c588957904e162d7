"""Accessibility of every built page in a real browser: axe-core, keyboard, headings, reflow.

Every *.html page of the example site is found on disk and checked, so pages added later are
covered without changing this file. Screenshots at desktop and mobile widths are saved under
tests/artifacts/screenshots/ for a person to look at.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from gates import ARTIFACTS, say
from browser.kit import REQUIRED_KINDS, SUB_PATH, page_kind

# WCAG 2.0, 2.1 and 2.2, levels A and AA: the standard public bodies in the UK must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DESKTOP, MOBILE, NARROW = 1280, 375, 320
FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def run_axe(page) -> list[dict]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("opts => axe.run(document, opts)", {"runOnly": {"type": "tag", "values": AXE_TAGS},
                                                               "resultTypes": ["violations"]})
    return result["violations"]


def describe(violations: list[dict]) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} at {', '.join(n['target'][0] for n in v['nodes'][:5])}" for v in violations]


def one_page_per_kind(pages: list[str]) -> dict[str, str]:
    chosen: dict[str, str] = {}
    for page in pages:
        chosen.setdefault(page_kind(page), page)
    return chosen


def test_the_site_has_every_required_kind_of_page(site_server):
    kinds = {page_kind(p) for p in site_server.pages()}
    assert set(REQUIRED_KINDS) <= kinds, f"missing kinds of page: {set(REQUIRED_KINDS) - kinds}"


def test_every_page_has_no_axe_violations_at_desktop_and_narrow_widths(site_server, chromium, pytestconfig):
    """axe runs at 1280 px and at 320 px: narrow screens make tables scroll, which has rules of its own."""
    pages = site_server.pages()
    found: dict[str, list[str]] = {}
    runs = 0
    for width in (DESKTOP, NARROW):
        context = chromium.context(width=width)
        page = context.new_page()
        for relative in pages:
            page.goto(site_server.url(relative))
            violations = run_axe(page)
            runs += 1
            if violations:
                found[f"{relative} at {width}px"] = describe(violations)
        context.close()
    kinds = sorted({page_kind(p) for p in pages})
    say(pytestconfig, f"axe: {len(pages)} pages ({', '.join(kinds)}) checked at {DESKTOP} and {NARROW} px "
                      f"({runs} runs, tags {' '.join(AXE_TAGS)}): {sum(len(v) for v in found.values())} violations")
    assert not found, found
    assert not chromium.blocked, f"pages asked for other sites: {chromium.blocked}"


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_main(site_server, chromium):
    context = chromium.context()
    page = context.new_page()
    for kind, relative in one_page_per_kind(site_server.pages()).items():
        page.goto(site_server.url(relative))
        page.keyboard.press("Tab")
        skip = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return {cls: a.className, text: a.textContent.trim(), href: a.getAttribute('href'),
                    visible: r.left >= 0 && r.top >= 0 && r.width > 0 && r.right <= innerWidth}; }""")
        text = "Neidio i'r prif gynnwys" if kind == "report-translation" else "Skip to main content"  # the Welsh page's words
        assert skip == {"cls": "skip-link", "text": text, "href": "#main", "visible": True}, (kind, skip)
        page.keyboard.press("Enter")
        assert page.evaluate("() => document.activeElement.id") == "main", kind
        assert page.url.endswith("#main")
        # The next Tab continues from the main content, not from the top of the page.
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('main, footer')"), kind
    context.close()


def test_keyboard_focus_is_always_visible(site_server, chromium):
    """Tab through each kind of page: every focused element looks different from unfocused."""
    context = chromium.context()
    page = context.new_page()
    checked = 0
    for kind, relative in one_page_per_kind(site_server.pages()).items():
        page.goto(site_server.url(relative))
        total = page.locator(FOCUSABLE).count()
        seen = 0
        for _ in range(total):
            page.keyboard.press("Tab")
            look = page.evaluate("""() => {
                const el = document.activeElement;
                if (el === document.body) return null;
                const pick = s => [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor, s.color].join('|');
                const focused = pick(getComputedStyle(el));
                el.blur();
                const plain = pick(getComputedStyle(el));
                el.focus();
                const s = getComputedStyle(el);
                return {what: el.outerHTML.slice(0, 80), focused, plain,
                        ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'};
            }""")
            if look is None:
                break
            seen += 1
            assert look["focused"] != look["plain"] and look["ring"], (kind, look)
        assert seen >= 3, f"{kind}: only {seen} focusable elements reached by Tab"
        checked += seen
    context.close()
    assert checked > 10


def test_headings_are_in_order_with_one_h1(site_server, chromium):
    context = chromium.context()
    page = context.new_page()
    for relative in site_server.pages():
        page.goto(site_server.url(relative))
        levels = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels and levels[0] == 1 and levels.count(1) == 1, (relative, levels)
        jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
        assert not jumps, f"{relative}: heading levels skip: {jumps} in {levels}"
    context.close()


def test_every_page_reflows_at_320px_without_horizontal_scrolling(site_server, chromium):
    """WCAG 1.4.10: the page itself never scrolls sideways; a wide data table may scroll in its own box."""
    context = chromium.context(width=NARROW, height=640)
    page = context.new_page()
    for relative in site_server.pages():
        page.goto(site_server.url(relative))
        widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{relative} scrolls sideways at 320px: {widths}"
        # Anything wider than the screen must be a table inside its own scrolling box.
        wide = page.evaluate("""() => [...document.querySelectorAll('main *')]
            .filter(el => el.getBoundingClientRect().right > innerWidth + 1 && !el.closest('.table-wrap'))
            .map(el => el.tagName + '.' + el.className)""")
        assert not wide, f"{relative}: wider than 320px outside a table box: {wide[:5]}"
    context.close()


def test_tables_fit_at_320px_and_any_box_that_scrolls_can_be_reached_by_keyboard(site_server, chromium):
    """Statistics tables reflow at 320px (a grid is shown row by row: tests/browser/test_tables.py),
    so none scrolls; a table box that ever does (a very long word) takes focus and has a name."""
    context = chromium.context(width=NARROW, height=640)
    page = context.new_page()
    report = one_page_per_kind(site_server.pages())["report"]
    page.goto(site_server.url(report))
    boxes = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')].map(b => ({
        scrolls: b.scrollWidth > b.clientWidth, focusable: b.tabIndex >= 0,
        name: b.getAttribute('aria-labelledby') && document.getElementById(b.getAttribute('aria-labelledby'))?.textContent}))""")
    assert len(boxes) >= 6
    assert not [b for b in boxes if b["scrolls"]], boxes
    assert all(b["focusable"] and b["name"] for b in boxes), boxes
    context.close()


def test_screenshots_at_desktop_and_mobile_widths(site_server, chromium):
    out = ARTIFACTS / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    for width in (DESKTOP, MOBILE, NARROW):
        context = chromium.context(width=width, height=900)
        page = context.new_page()
        for kind, relative in one_page_per_kind(site_server.pages()).items():
            page.goto(site_server.url(relative))
            target = out / f"{re.sub(r'[^a-z0-9-]+', '-', kind)}-{width}.png"
            page.screenshot(path=str(target), full_page=True)
            png = target.read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == width, target
            saved.append(target)
        context.close()
    assert len(saved) == 3 * len(one_page_per_kind(site_server.pages()))


def test_every_link_and_file_works_under_a_sub_path(site_server, chromium):
    """Relative links: every link, stylesheet and image of every page answers 200 under SUB_PATH."""
    context = chromium.context()
    page = context.new_page()
    failed: list[str] = []
    # The 404 page is itself answered with status 404 (kit.Server.url), which is right.
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 and r.url != site_server.url("404.html") else None)
    links: set[str] = set()
    for relative in site_server.pages():
        page.goto(site_server.url(relative))
        assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(29, 79, 145)"
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            if href.startswith(site_server.base):
                links.add(href.split("#")[0])
            else:
                assert not href.startswith("http://127.0.0.1"), f"{relative}: link leaves the sub-path: {href}"
    for link in sorted(links):
        response = context.request.get(link)
        assert response.status == 200, f"{response.status} {link}"
    context.close()
    assert not failed, failed
    assert all(path.startswith(SUB_PATH) for path, _ in site_server.statuses), [s for s in site_server.statuses if not s[0].startswith(SUB_PATH)]


def test_the_site_works_opened_from_disk(site_server, chromium):
    """file://: the stylesheet loads and the links lead from the home page to a report."""
    context = chromium.context()
    page = context.new_page()
    errors: list[str] = []
    page.on("requestfailed", lambda r: errors.append(f"{r.url}: {r.failure} (on {page.url})"))
    page.goto((site_server.root / "index.html").as_uri())
    assert page.evaluate("() => getComputedStyle(document.querySelector('.site-header')).backgroundColor") == "rgb(29, 79, 145)"
    page.locator(".card h3 a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    page.locator(".report-list a").first.click()
    page.wait_for_load_state("load")
    assert re.search(r"/\d{4}-\d{2}/index\.html$", page.url), page.url
    assert page.locator("h1").inner_text().startswith("MAPPA annual report")
    assert not errors, errors
    # axe reads the stylesheets again itself (file:// refuses that request), so it runs last.
    assert run_axe(page) == []
    context.close()
