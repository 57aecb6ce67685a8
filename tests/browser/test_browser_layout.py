"""Layout as a reader sees it, at a desktop (1400 x 1000) and a phone (390 x 844) viewport:
no word in a table split across lines, no page wider than the screen, the trial and patent tables
fitting a desktop column, cards on phones; and the pictures present, named, and their links working.
"""
from __future__ import annotations

import json

import pytest

from .helpers import new_web

DESKTOP, PHONE = (1400, 1000), (390, 844)
SIZES = {"desktop": DESKTOP, "phone": PHONE}
PAGE_KINDS = ["index.html", "trials.html", "patents.html", "a trial page", "a mechanism page", "glossary.html",
              "timeline.html"]

# A word is a run of characters between spaces, hyphens, dashes and slashes: the places where text
# may already break. A word whose line boxes sit on more than one line was split.
_SPLIT_WORDS_JS = r"""
() => {
  const out = [];
  for (const table of document.querySelectorAll('article table')) {
    const walker = document.createTreeWalker(table, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      const re = /[^\s\-\u2010\u2011\u2013\u2014\/]+/g;
      let m;
      while ((m = re.exec(node.nodeValue))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0 && r.height > 0);
        if (!rects.length) continue;  // not rendered (a hidden row)
        const tops = rects.map(r => r.top);
        if (Math.max(...tops) - Math.min(...tops) > 2)
          out.push(`${table.id || table.className || 'table'}: "${m[0]}" on ${rects.length} line boxes`);
      }
    }
  }
  return out;
}
"""

_OVERFLOW_JS = """
() => ({scrollWidth: document.scrollingElement.scrollWidth, innerWidth: window.innerWidth})
"""

_FIT_JS = """
(id) => {
  const table = document.getElementById(id);
  if (!table) return null;
  const wrapper = table.closest('.atlas-table');
  const column = table.closest('.md-content__inner');
  const first = table.tHead.rows[0].cells[0];
  return {
    table: table.getBoundingClientRect().width,
    wrapperClient: wrapper.clientWidth, wrapperScroll: wrapper.scrollWidth,
    tableRight: table.getBoundingClientRect().right, columnRight: column.getBoundingClientRect().right,
    first: first.getBoundingClientRect().width,
  };
}
"""


def _resolve(site_dir, which: str) -> str:
    folder = {"a mechanism page": "mechanisms", "a trial page": "trials"}.get(which)
    if folder is None:
        return which
    if folder == "trials":  # the trial with the most outcomes: the biggest tables and chart
        trials = json.loads((site_dir / "downloads" / "trials.json").read_text(encoding="utf-8"))
        trials = trials.get("trials", trials) if isinstance(trials, dict) else trials
        if isinstance(trials, dict):
            tid = max(sorted(trials), key=lambda t: len(trials[t].get("outcomes") or []))
            return f"trials/{tid}.html"
    pages = sorted(p for p in (site_dir / folder).glob("*.html") if p.name != "index.html")
    assert pages, f"no page under {folder}/"
    return pages[0].relative_to(site_dir).as_posix()


@pytest.fixture(scope="module", params=sorted(SIZES))
def sized(request, chromium, site_dir):
    width, height = SIZES[request.param]
    w = new_web(chromium, site_dir, viewport={"width": width, "height": height})
    yield request.param, w
    w.context.close()


@pytest.mark.parametrize("which", PAGE_KINDS)
def test_no_split_words_and_no_sideways_scrolling(sized, site_dir, which):
    size, web = sized
    rel = _resolve(site_dir, which)
    page = web.open(rel)
    split = page.evaluate(_SPLIT_WORDS_JS)
    assert not split, f"{rel} at {size}: {len(split)} word(s) split across lines:\n" + "\n".join(split[:20])
    o = page.evaluate(_OVERFLOW_JS)
    assert o["scrollWidth"] <= o["innerWidth"], f"{rel} at {size}: page is {o['scrollWidth']} px wide in {o['innerWidth']}"
    web.rec.assert_clean()


@pytest.mark.parametrize("rel,table_id", [("trials.html", "trial-table"), ("patents.html", "patent-table")])
def test_data_tables_fit_a_desktop_column(chromium, site_dir, rel, table_id):
    for width in (1200, 1400):
        web = new_web(chromium, site_dir, viewport={"width": width, "height": 1000})
        page = web.open(rel)
        f = page.evaluate(_FIT_JS, table_id)
        assert f is not None, f"table#{table_id} missing on {rel}"
        assert f["wrapperScroll"] <= f["wrapperClient"], f"{rel} at {width}px: table scrolls sideways in its box: {f}"
        assert f["tableRight"] <= f["columnRight"] + 0.5, f"{rel} at {width}px: table wider than its column: {f}"
        assert f["first"] <= 0.4 * f["table"], f"{rel} at {width}px: first column {f['first']:.0f} of {f['table']:.0f} px"
        web.rec.assert_clean()
        web.context.close()


@pytest.mark.parametrize("width", [600, 768, 900, 1024])
def test_data_tables_never_scroll_sideways_in_between(chromium, site_dir, width):
    """Between phone and desktop, the data tables are either cards or fit: no box to scroll, no split word."""
    web = new_web(chromium, site_dir, viewport={"width": width, "height": 900})
    for rel, table_id in [("trials.html", "trial-table"), ("patents.html", "patent-table")]:
        page = web.open(rel)
        f = page.evaluate(_FIT_JS, table_id)
        assert f["wrapperScroll"] <= f["wrapperClient"], f"{rel} at {width}px: table scrolls sideways in its box: {f}"
        o = page.evaluate(_OVERFLOW_JS)
        assert o["scrollWidth"] <= o["innerWidth"], f"{rel} at {width}px: page overflows: {o}"
        assert page.evaluate(_SPLIT_WORDS_JS) == [], f"{rel} at {width}px: split words"
    web.rec.assert_clean()
    web.context.close()


_CARDS_JS = """
(id) => {
  const table = document.getElementById(id);
  const rows = [...table.tBodies[0].rows];
  const cells = rows.flatMap(r => [...r.cells].slice(1)).filter(td => td.textContent.trim());
  return {
    rowDisplay: [...new Set(rows.map(r => getComputedStyle(r).display))],
    widest: Math.max(...rows.map(r => r.getBoundingClientRect().right)),
    labels: cells.slice(0, 40).map(td => [td.getAttribute('data-label'), getComputedStyle(td, '::before').content]),
    headerVisible: table.tHead.getBoundingClientRect().height > 0,
  };
}
"""


@pytest.mark.parametrize("rel,table_id", [("trials.html", "trial-table"), ("patents.html", "patent-table")])
def test_phone_shows_one_card_per_row_labelled_from_data_attributes(chromium, site_dir, rel, table_id):
    web = new_web(chromium, site_dir, viewport={"width": PHONE[0], "height": PHONE[1]})
    page = web.open(rel)
    c = page.evaluate(_CARDS_JS, table_id)
    assert c["rowDisplay"] == ["block"], c["rowDisplay"]
    assert c["widest"] <= PHONE[0], f"a card is wider than the screen: {c['widest']}"
    assert c["labels"] and all(content == json.dumps(label) for label, content in c["labels"]), c["labels"][:5]
    assert c["headerVisible"], "the header row (sort buttons) is hidden on a phone"
    # Sorting still works from the header buttons.
    page.locator(f"table#{table_id} > thead th").nth(1).click()
    assert page.locator(f"table#{table_id} > thead th").nth(1).get_attribute("aria-sort") == "ascending"
    web.rec.assert_clean()
    web.context.close()


# ---- pictures -----------------------------------------------------------------------------------
_PICTURES_JS = """
() => [...document.querySelectorAll('figure.atlas-figure svg')].map(svg => {
  const box = svg.getBoundingClientRect();
  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
  const name = ids.map(i => (document.getElementById(i) || {textContent: ''}).textContent.trim()).join(' ');
  const links = [...svg.querySelectorAll('a')].map(a => new URL(a.getAttribute('href'), location.href).href);
  return {id: svg.closest('figure').id, role: svg.getAttribute('role'), name, width: box.width, height: box.height, links};
})
"""

PICTURE_PAGES = {"index.html": ["mechanism-map"], "mechanisms/index.html": ["mechanism-map"],
                 "trials.html": ["pfs-chart"], "timeline.html": ["timeline-chart"],
                 "a trial page": ["outcomes-chart"], "a mechanism page": ["evidence-strip"]}


@pytest.mark.parametrize("which", sorted(PICTURE_PAGES))
def test_pictures_are_present_named_and_their_links_work(web, site_dir, which):
    rel = _resolve(site_dir, which)
    page = web.open(rel)
    pictures = page.evaluate(_PICTURES_JS)
    ids = [p["id"] for p in pictures]
    for wanted in PICTURE_PAGES[which]:
        assert wanted in ids, f"{rel}: no picture #{wanted} (found {ids})"
    for p in pictures:
        assert p["width"] > 100 and p["height"] > 40, f"{rel}: picture #{p['id']} is not drawn: {p}"
        assert p["role"] == ("group" if p["links"] else "img") and len(p["name"]) > 10, f"{rel}: #{p['id']} unnamed: {p}"
        for url in p["links"]:
            path = web.rel_path(url)
            assert path and (site_dir / path).is_file(), f"{rel}: #{p['id']} links to a missing page: {url}"
    web.rec.assert_clean()
    # Follow the first and the last link of each picture with links, as a reader clicking a mark.
    for p in [p for p in pictures if p["links"]]:
        for index in (0, -1):
            page = web.open(rel, fresh=True)
            link = page.locator(f"figure#{p['id']} svg a").nth(index if index >= 0 else len(p["links"]) - 1)
            mark = link.locator("text").first  # a label of the mark, where a reader clicks
            mark.scroll_into_view_if_needed()
            with page.expect_navigation():
                mark.click()
            landed = web.rel_path(page.url)
            assert landed == web.rel_path(p["links"][index]), f"{rel}: clicked to {page.url}, expected {p['links'][index]}"
            assert page.locator("article h1").count() == 1, f"{rel}: {page.url} did not load a page"
            web.rec.assert_clean()


def test_pictures_need_no_javascript(web_nojs, site_dir):
    for rel in ["index.html", "trials.html", "timeline.html"]:
        page = web_nojs.open(rel)
        box = page.locator("figure.atlas-figure svg").first.bounding_box()
        assert box and box["width"] > 100 and box["height"] > 40, f"{rel}: no picture without JavaScript"


def test_palette_toggle_switches_scheme_and_picture_colours(web, site_dir):
    page = web.open("trials.html")
    bar = page.locator("#pfs-chart rect.atlas-bar--experimental").nth(1)
    light = bar.evaluate("e => getComputedStyle(e).fill")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("label.md-header__button[for^=__palette]:visible").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    dark = bar.evaluate("e => getComputedStyle(e).fill")
    assert light != dark, "the chart keeps its light colours in the dark scheme"
    # The choice is kept on the next page.
    page = web.open("timeline.html", fresh=True)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    web.rec.assert_clean()
