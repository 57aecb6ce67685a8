"""Sort and filter response of the trial table in Chromium, opened from file:// (benchmark only).

For each action the page measures, with ``performance.now()``, the time from the user's input
(a header click, a filter choice, a letter typed in the search box, "Show all") to the end of the
next frame (``requestAnimationFrame`` then a task: style, layout and paint of the result are done),
and the time spent in the event handlers alone. Each result is checked (the header's ``aria-sort``,
the count of matching rows against the rows' ``data-f-*`` values, the rows on screen against the
table's ``data-page-rows``), so that a broken table cannot look fast. The same measure of the
smallest change a page can show (one word of text) is the floor of these figures: the wait for the
next frame and the paint of the page.
"""
from __future__ import annotations

import statistics
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]

_ACT = """
async ([kind, arg, value]) => {
  const settle = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const table = document.getElementById("trial-table");
  const form = document.querySelector('form.atlas-filters[data-for="trial-table"]');
  await settle();
  const t0 = performance.now();
  if (kind === "sort") {
    table.querySelector(`th[data-key="${arg}"]`).click();
  } else if (kind === "select") {
    const s = form.querySelector(`select[name="${arg}"]`);
    s.value = value;
    s.dispatchEvent(new Event("change", {bubbles: true}));
  } else if (kind === "word") {  // the least a page can show: one word of the count changes
    form.querySelector("output").textContent = value;
  } else if (kind === "all") {
    table.closest(".atlas-table").querySelector(".atlas-pager [data-rows=all]").click();
  } else if (kind === "search") {
    const q = form.querySelector("input[name=q]");
    q.value = value;
    q.dispatchEvent(new Event("input", {bubbles: true}));
  }
  const t1 = performance.now();
  await settle();
  const t2 = performance.now();
  const rows = Array.from(table.querySelectorAll(":scope > tbody > tr"));
  return {script: t1 - t0, frame: t2 - t0, shown: rows.filter(r => r.getClientRects().length).length, total: rows.length,
          matching: parseInt(form.querySelector("output").textContent, 10),
          pageRows: parseInt(table.closest(".atlas-table").getAttribute("data-page-rows"), 10) || Infinity,
          sort: kind === "sort" ? table.querySelector(`th[data-key="${arg}"]`).getAttribute("aria-sort") : null};
}
"""

_PAGE_ROWS = """() => parseInt(document.getElementById("trial-table").closest(".atlas-table")
                           .getAttribute("data-page-rows"), 10) || Infinity"""

_COMMON = """
([name]) => {
  const counts = {};
  for (const row of document.getElementById("trial-table").querySelectorAll(":scope > tbody > tr"))
    for (const v of (row.getAttribute("data-f-" + name) || "").split(" ").filter(Boolean))
      counts[v] = (counts[v] || 0) + 1;
  return Object.entries(counts).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
}
"""


def table_timing(site: Path, trials: int, reps: int = 5) -> dict:
    from playwright.sync_api import sync_playwright

    url = (Path(site).resolve() / "trials.html").as_uri()
    sort_ms, sort_js, filt_ms, filt_js, search_ms, search_js, all_ms, word_ms = [], [], [], [], [], [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url, wait_until="load")
            page.wait_for_selector("form.atlas-filters:not([hidden])")
            total = page.evaluate("() => document.querySelectorAll('#trial-table > tbody > tr').length")
            page_rows = page.evaluate(_PAGE_ROWS)
            assert total == trials, f"the table shows {total} rows, the evidence base has {trials} trials"
            for i in range(reps):
                for _ in range(5):
                    word_ms.append(page.evaluate(_ACT, ["word", None, f"{total} of {total} trials"])["frame"])
                for key in ("enrollment", "phase", "trial"):
                    for want in ("ascending", "descending"):
                        r = page.evaluate(_ACT, ["sort", key, None])
                        assert r["sort"] == want, f"sorting {key}: aria-sort is {r['sort']}, expected {want}"
                        sort_ms.append(r["frame"])
                        sort_js.append(r["script"])
                for name in ("phase", "agent", "mechanism"):
                    common = page.evaluate(_COMMON, [name])
                    value, expected = common[i % len(common)]
                    r = page.evaluate(_ACT, ["select", name, value])
                    assert r["matching"] == expected, f"filter {name}={value}: {r['matching']} rows match, {expected} expected"
                    assert r["shown"] == min(expected, r["pageRows"]), f"filter {name}={value}: {r['shown']} rows shown"
                    filt_ms.append(r["frame"])
                    filt_js.append(r["script"])
                    r = page.evaluate(_ACT, ["select", name, ""])
                    assert r["matching"] == total and r["shown"] == min(total, r["pageRows"])
                word = page.evaluate("() => document.getElementById('trial-table').tBodies[0].rows[0].cells[0]"
                                     ".textContent.trim().toLowerCase()")
                for text in (word[:1], word[:2], word[:4]):  # typed letter by letter, as a reader does
                    r = page.evaluate(_ACT, ["search", None, text])
                    assert 0 < r["shown"] == min(r["matching"], r["pageRows"]), f"search {text!r} shows {r['shown']} rows"
                    search_ms.append(r["frame"])
                    search_js.append(r["script"])
                page.evaluate(_ACT, ["search", None, ""])
                if total > page.evaluate(_PAGE_ROWS):  # every row on screen at once, as "Show all" asks
                    r = page.evaluate(_ACT, ["all", None, None])
                    assert r["shown"] == total, f"Show all shows {r['shown']} of {total} rows"
                    all_ms.append(r["frame"])
                    page.evaluate(_ACT, ["search", None, ""])  # a new selection: back to the first rows
        finally:
            browser.close()
    med = statistics.median
    return {"rows": total, "reps": reps, "sort_ms": med(sort_ms), "sort_script_ms": med(sort_js),
            "filter_ms": med(filt_ms), "filter_script_ms": med(filt_js),
            "search_ms": med(search_ms), "search_script_ms": med(search_js),
            "page_rows": page_rows, "show_all_ms": med(all_ms) if all_ms else None, "one_word_ms": med(word_ms)}
