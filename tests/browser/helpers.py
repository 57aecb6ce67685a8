"""Shared browser helpers: request recording, Material search, and one implementation of the
data-table assertions (sorting and filtering) used for the trial table and the patent index.

Expected results are never hard-coded: they are computed from the DOM (each cell's ``data-sort``,
each row's ``data-f-<name>``) read before the interaction, or from ``downloads/*.json``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
AXE_JS = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
NCT_RE = re.compile(r"^NCT\d{8}$")


# ---- recording ------------------------------------------------------------------------------
def file_url_path(url: str) -> Path | None:
    parts = urlsplit(url)
    return Path(unquote(parts.path)) if parts.scheme == "file" else None


class Recorder:
    """Records, for one browser context: console errors, uncaught page errors, every request whose
    URL is not local (those are also aborted), and local files that failed to load. ``label`` names
    the page being visited, for the messages."""

    def __init__(self, context, root: Path):
        self.root = Path(root).resolve()
        self.label = ""
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.external: list[str] = []
        self.failed: list[str] = []
        self.outside: list[str] = []  # file:// requests outside the site root
        context.route("**/*", self._route)
        context.on("request", self._request)
        context.on("requestfailed", self._failed)
        context.on("console", self._console)
        context.on("weberror", lambda e: self.page_errors.append(f"{self.label}: {e.error}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def _request(self, request):
        url = request.url
        if not url.startswith(LOCAL_SCHEMES):
            self.external.append(f"{self.label}: {url}")
            return
        path = file_url_path(url)
        if path is not None and not path.resolve().is_relative_to(self.root):
            self.outside.append(f"{self.label}: {url}")

    def _failed(self, request):
        # net::ERR_ABORTED is a load cancelled by the next navigation (often the favicon), not a missing file.
        if request.url.startswith("file:") and "ERR_ABORTED" not in (request.failure or ""):
            self.failed.append(f"{self.label}: {request.url} ({request.failure})")

    def _console(self, msg):
        if msg.type == "error":
            where = msg.location.get("url", "") if msg.location else ""
            self.console.append(f"{self.label}: {msg.text} [{where}]")

    def reset(self) -> None:
        for lst in (self.console, self.page_errors, self.external, self.failed, self.outside):
            lst.clear()

    def problems(self) -> list[str]:
        return ([f"non-file request: {u}" for u in self.external]
                + [f"file outside {self.root}: {u}" for u in self.outside]
                + [f"failed to load: {u}" for u in self.failed]
                + [f"console error: {m}" for m in self.console]
                + [f"page error: {m}" for m in self.page_errors])

    def assert_clean(self) -> None:
        problems = self.problems()
        assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


@dataclass(repr=False)
class Web:
    context: object
    page: object
    rec: Recorder
    root: Path
    visited: list[str] = field(default_factory=list)

    def url(self, rel: str) -> str:
        rel, _, frag = rel.partition("#")
        return (self.root / rel).as_uri() + (f"#{frag}" if frag else "")

    def open(self, rel: str, fresh: bool = False):
        """Load a page from file://. ``fresh`` forces a real navigation (not a same-page hash change)."""
        self.rec.label = rel
        self.visited.append(rel)
        if fresh:
            self.page.goto("about:blank")
        self.page.goto(self.url(rel), wait_until="load")
        return self.page

    def rel_path(self, url: str) -> str | None:
        """A result/link URL as a path relative to the site root (query and fragment dropped)."""
        path = file_url_path(url)
        if path is None:
            return None
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def new_web(browser, root: Path, **context_options) -> Web:
    """A fresh context (with a Recorder) and page on the site rooted at ``root``."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    rec = Recorder(context, root)
    return Web(context, context.new_page(), rec, Path(root).resolve())


# ---- data ---------------------------------------------------------------------------------
def load_json(site: Path, name: str):
    path = site / "downloads" / name
    assert path.is_file(), f"{path} missing: the tests read expected values from the site's data downloads"
    return json.loads(path.read_text(encoding="utf-8"))


def pick_alias_agent(agents: dict) -> tuple[str, str]:
    """(agent id, alias): the agent known as DS-8201 if there is one, else the first with an alias."""
    for aid, a in sorted(agents.items()):
        if "DS-8201" in (a.get("aliases") or []):
            return aid, "DS-8201"
    for aid, a in sorted(agents.items()):
        if a.get("aliases"):
            return aid, a["aliases"][0]
    raise AssertionError("no agent in downloads/agents.json has an alias")


def first_nct(trials: dict) -> str:
    ids = sorted(t for t in trials if NCT_RE.match(t))
    assert ids, "no trial in downloads/trials.json has an NCT id"
    return ids[0]


# ---- Material search ----------------------------------------------------------------------
# Every result link as a site-relative path; scrolls the result list so Material renders the next batch.
_RESULTS_JS = """
() => {
  const wrap = document.querySelector('.md-search__scrollwrap');
  if (wrap) wrap.scrollTop = wrap.scrollHeight;
  return [...document.querySelectorAll('.md-search-result__item a')].map(a => a.href);
}
"""
_FOUND_JS = """
([wanted]) => {
  const wrap = document.querySelector('.md-search__scrollwrap');
  const links = [...document.querySelectorAll('.md-search-result__item a')];
  if (links.some(a => decodeURIComponent(new URL(a.href).pathname) === wanted)) return true;
  if (wrap) wrap.scrollTop = wrap.scrollHeight;  // Material renders 10 results, then more on scroll
  return false;
}
"""


def open_search(page) -> object:
    """Focus Material's search box, via the header button on narrow screens."""
    box = page.locator("input.md-search__input")
    if not box.is_visible():
        label = page.locator("label.md-header__button[for=__search]")
        if label.is_visible():
            label.click()
        else:
            page.keyboard.press("s")  # Material's keyboard shortcut
    box.click()
    return box


def search_finds(web: Web, query: str, expected_rel: str, timeout: float = 8000) -> tuple[bool, list[str], str]:
    """Type ``query`` into the search box of the current page and wait until a result links to
    ``expected_rel``. Returns (found, result pages, result summary)."""
    page = web.page
    box = open_search(page)
    box.fill("")
    box.press_sequentially(query)  # Material listens to keyup: fill() alone would not search
    wanted = (web.root / expected_rel).resolve().as_posix()
    found = True
    try:
        page.wait_for_function(_FOUND_JS, arg=[wanted], timeout=timeout, polling=100)
    except Exception:
        found = False
    hrefs = page.evaluate(_RESULTS_JS)
    pages = list(dict.fromkeys(web.rel_path(h) for h in hrefs))
    meta = page.locator(".md-search-result__meta").inner_text()
    return found, pages, meta


# ---- data tables --------------------------------------------------------------------------
_SNAPSHOT_JS = """
(tableId) => {
  const table = document.querySelector(`table[id="${tableId}"]`);
  if (!table) return null;
  // Every row, in document order: the visible body, then the rows a long table keeps off screen.
  const rows = [...table.querySelectorAll(':scope > tbody > tr')];
  rows.forEach((r, i) => { if (!r.hasAttribute('data-test-row')) r.setAttribute('data-test-row', String(i)); });
  return {
    headers: [...table.tHead.rows[table.tHead.rows.length - 1].cells].map((th, i) => ({
      index: i, key: th.getAttribute('data-key'), text: th.textContent.trim(),
      sortable: th.getAttribute('data-sort-method') !== 'none',
      role: th.getAttribute('role'), tabindex: th.getAttribute('tabindex'), ariaSort: th.getAttribute('aria-sort'),
    })),
    rows: rows.map(r => ({
      id: r.getAttribute('data-test-row'),
      link: r.cells[0] && r.cells[0].querySelector('a') ? r.cells[0].querySelector('a').getAttribute('href') : null,
      keys: [...r.cells].map(td => td.getAttribute('data-sort')),
      texts: [...r.cells].map(td => td.textContent.trim()),
      filters: Object.fromEntries([...r.attributes].filter(a => a.name.startsWith('data-f-'))
                                    .map(a => [a.name.slice(7), a.value.split(' ').filter(Boolean)])),
      hay: (r.textContent + ' ' + (r.getAttribute('data-text') || '')).toLowerCase(),
      hidden: r.hidden,
      visible: !!(r.offsetWidth || r.offsetHeight || r.getClientRects().length),
    })),
  };
}
"""

# The test's own oracle for the order: numbers as numbers when both keys are numbers, else
# localeCompare; empty keys last in both directions. Returns a list of problems.
_ORDER_JS = """
([keys, direction]) => {
  const num = v => (v.trim() !== '' && /^-?\\d+(\\.\\d+)?(e-?\\d+)?$/i.test(v.trim())) ? Number(v) : NaN;
  const cmp = (a, b) => { const x = num(a), y = num(b); return (!isNaN(x) && !isNaN(y)) ? x - y : a.localeCompare(b); };
  const problems = [];
  let seenEmpty = false;
  for (let i = 0; i < keys.length; i++) {
    const empty = keys[i].trim() === '';
    if (empty) { seenEmpty = true; continue; }
    if (seenEmpty) { problems.push(`row ${i}: key ${JSON.stringify(keys[i])} comes after an empty key`); continue; }
    if (i > 0) {
      const c = cmp(keys[i - 1], keys[i]);
      if ((direction === 'ascending' && c > 0) || (direction === 'descending' && c < 0))
        problems.push(`rows ${i - 1},${i}: ${JSON.stringify(keys[i - 1])} before ${JSON.stringify(keys[i])}`);
    }
  }
  return problems;
}
"""


def snapshot(page, table_id: str) -> dict:
    snap = page.evaluate(_SNAPSHOT_JS, table_id)
    assert snap is not None, f"table#{table_id} not found on {page.url}"
    assert snap["rows"], f"table#{table_id} has no rows"
    return snap


def order_problems(page, keys: list[str], direction: str) -> list[str]:
    return page.evaluate(_ORDER_JS, [keys, direction])


def header(page, table_id: str, index: int):
    return page.locator(f"table#{table_id} > thead > tr > th").nth(index)


def assert_sorted(page, table_id: str, col: dict, direction: str, before: dict) -> dict:
    """The rows on screen are ordered by column ``col`` in ``direction``, aria-sort says so, and
    every row kept its own cells (same row ids, same keys per row as in ``before``)."""
    after = snapshot(page, table_id)
    i, label = col["index"], col["text"]
    keys = [r["keys"][i] for r in after["rows"] if r["visible"]]
    assert keys, f"{table_id} shows no row after sorting by '{label}'"
    problems = order_problems(page, keys, direction)
    assert not problems, f"{table_id} sorted {direction} by '{label}': " + "; ".join(problems) + f"\nkeys: {keys}"
    aria = {h["text"]: h["ariaSort"] for h in after["headers"]}
    assert aria[label] == direction, f"aria-sort on '{label}' is {aria[label]!r}, expected {direction!r}"
    others = {k: v for k, v in aria.items() if k != label and v}
    assert not others, f"other headers still carry aria-sort: {others}"
    orig = {r["id"]: r["keys"] for r in before["rows"]}
    assert sorted(r["id"] for r in after["rows"]) == sorted(orig), "sorting lost or duplicated rows"
    mixed = [r["id"] for r in after["rows"] if r["keys"] != orig[r["id"]]]
    assert not mixed, f"rows whose cells changed while sorting: {mixed}"
    return after


def check_sorting(web: Web, rel: str, table_id: str) -> dict:
    """Every sortable header: click -> ascending, click again -> descending (empty keys last both
    ways), click a third time -> ascending again. Returns the initial snapshot."""
    page = web.open(rel)
    before = snapshot(page, table_id)
    sortable = [h for h in before["headers"] if h["sortable"]]
    assert sortable, f"no sortable header in table#{table_id}"
    not_ready = [h["text"] for h in sortable if h["role"] != "columnheader" or h["tabindex"] != "0"]
    assert not not_ready, f"headers not set up by the table script (role/tabindex): {not_ready}"
    for col in sortable:
        header(page, table_id, col["index"]).click()
        assert_sorted(page, table_id, col, "ascending", before)
        header(page, table_id, col["index"]).click()
        assert_sorted(page, table_id, col, "descending", before)
    col = sortable[0]
    header(page, table_id, col["index"]).click()
    assert_sorted(page, table_id, col, "ascending", before)
    web.rec.assert_clean()
    return before


def check_sort_with_enter(web: Web, rel: str, table_id: str, key: str) -> None:
    page = web.open(rel, fresh=True)
    before = snapshot(page, table_id)
    col = next(h for h in before["headers"] if h["key"] == key)
    th = header(page, table_id, col["index"])
    th.focus()
    assert th.evaluate("e => e === document.activeElement"), f"header '{col['text']}' cannot take focus"
    page.keyboard.press("Enter")
    assert_sorted(page, table_id, col, "ascending", before)
    page.keyboard.press("Enter")
    assert_sorted(page, table_id, col, "descending", before)
    web.rec.assert_clean()


def sort_by(page, table_id: str, key: str, direction: str = "ascending") -> dict:
    snap = snapshot(page, table_id)
    col = next((h for h in snap["headers"] if h["key"] == key), None)
    assert col is not None, f"no column {key!r} in table#{table_id}"
    th = header(page, table_id, col["index"])
    for _ in range(2):  # a fresh header sorts ascending first; one already sorted flips
        th.click()
        if th.get_attribute("aria-sort") == direction:
            break
    return assert_sorted(page, table_id, col, direction, snap) | {"col": col}


# ---- filters ------------------------------------------------------------------------------
def parse_hash(h: str) -> dict[str, str]:
    h = h.lstrip("#")
    out = {}
    for pair in filter(None, h.split("&")):
        k, _, v = pair.partition("=")
        out[unquote(k)] = unquote(v.replace("+", " "))
    return out


@dataclass(repr=False)
class FilterForm:
    page: object
    table_id: str

    @property
    def form(self):
        return self.page.locator(f'form.atlas-filters[data-for="{self.table_id}"]')

    def selects(self) -> list[dict]:
        return self.form.locator("select").evaluate_all(
            "els => els.map(s => ({name: s.name, id: s.id, options: [...s.options].map(o => o.value)}))")

    def select(self, name: str, value: str) -> None:
        self.form.locator(f'select[name="{name}"]').select_option(value)

    def value(self, name: str) -> str:
        return self.form.locator(f'select[name="{name}"]').input_value()

    def search(self, text: str) -> None:
        self.form.locator("input[name=q]").fill(text)

    def count_text(self) -> str:
        return self.form.locator("output").inner_text().strip()

    def clear(self) -> None:
        self.form.locator("button[type=reset]").click()

    def hash(self) -> dict[str, str]:
        return parse_hash(self.page.evaluate("() => location.hash"))


def visible_rows(page, table_id: str) -> list[str]:
    return [r["id"] for r in snapshot(page, table_id)["rows"] if r["visible"] and not r["hidden"]]


def expect_rows(page, table_id: str, expected: list[str], what: str, noun: str, total: int) -> None:
    shown = visible_rows(page, table_id)
    assert sorted(shown, key=int) == sorted(expected, key=int), f"{what}: rows shown {shown}, expected {expected}"
    count = FilterForm(page, table_id).count_text()
    assert count == f"{len(expected)} of {total} {noun}", f"{what}: count reads {count!r}"


def check_filters(web: Web, rel: str, table_id: str, noun: str) -> dict:
    """Each option of each select shows exactly the rows whose data-f-<name> holds it, the hash
    mirrors it; two filters give the intersection; Clear resets. Returns the initial snapshot."""
    page = web.open(rel, fresh=True)
    form = FilterForm(page, table_id)
    assert form.form.is_visible(), f"filter form for {table_id} is not visible with JavaScript on"
    snap = snapshot(page, table_id)
    rows, total = snap["rows"], len(snap["rows"])
    every = [r["id"] for r in rows]
    expect_rows(page, table_id, every, "no filter", noun, total)
    selects = form.selects()
    assert selects, f"no select in the {table_id} filter form"
    for s in selects:
        assert s["options"][0] == "", f"select {s['name']} does not start with 'all'"
        assert len(s["options"]) > 1, f"select {s['name']} has no options"
        for value in s["options"][1:]:
            form.select(s["name"], value)
            expected = [r["id"] for r in rows if value in r["filters"].get(s["name"], [])]
            assert expected, f"option {s['name']}={value} matches no row"
            expect_rows(page, table_id, expected, f"{s['name']}={value}", noun, total)
            assert form.hash() == {s["name"]: value}, f"hash {page.evaluate('() => location.hash')!r} for {s['name']}={value}"
        form.select(s["name"], "")
        expect_rows(page, table_id, every, f"{s['name']}=all", noun, total)

    # Two filters: the intersection (a pair taken from a real row, and one pair from different rows).
    a, b = selects[0]["name"], selects[1]["name"] if len(selects) > 1 else None
    if b:
        pairs = []
        for r in rows:
            if r["filters"].get(a) and r["filters"].get(b):
                pairs.append((r["filters"][a][0], r["filters"][b][0]))
        for r1 in rows:
            for r2 in rows:
                for va in r1["filters"].get(a, []):
                    for vb in r2["filters"].get(b, []):
                        if (va, vb) not in pairs:
                            pairs.append((va, vb))
        for va, vb in pairs[:4]:
            form.select(a, va)
            form.select(b, vb)
            expected = [r["id"] for r in rows if va in r["filters"].get(a, []) and vb in r["filters"].get(b, [])]
            expect_rows(page, table_id, expected, f"{a}={va} and {b}={vb}", noun, total)
            assert form.hash() == {a: va, b: vb}
            want = "&".join(f"{k}={_enc(v)}" for k, v in sorted({a: va, b: vb}.items()))
            assert page.evaluate("() => location.hash") == f"#{want}"
        form.clear()
        page.wait_for_function("() => !location.hash")
        expect_rows(page, table_id, every, "after Clear", noun, total)
        assert all(form.value(s["name"]) == "" for s in selects), "Clear left a select set"
    web.rec.assert_clean()
    return snap


def _enc(v: str) -> str:
    from urllib.parse import quote
    return quote(v, safe="-_.!~*'()")  # what encodeURIComponent leaves alone


def check_text_filter(web: Web, rel: str, table_id: str, noun: str, needle: str, exactly: int | None = None) -> None:
    page = web.open(rel, fresh=True)
    form = FilterForm(page, table_id)
    rows = snapshot(page, table_id)["rows"]
    expected = [r["id"] for r in rows if needle.lower() in r["hay"]]
    if exactly is not None:
        assert len(expected) == exactly, f"{needle!r} is in {len(expected)} rows' text, expected {exactly}"
    form.search(needle)
    expect_rows(page, table_id, expected, f"text {needle!r}", noun, len(rows))
    assert form.hash() == {"q": needle}
    form.clear()
    page.wait_for_function("() => !location.hash")
    expect_rows(page, table_id, [r["id"] for r in rows], "after Clear", noun, len(rows))
    assert page.locator(f"#{table_id}-q").input_value() == ""
    web.rec.assert_clean()


def check_hash_on_load(web: Web, rel: str, table_id: str, noun: str, name: str, value: str) -> None:
    """A fresh navigation to rel#name=value applies the filter."""
    page = web.open(rel, fresh=True)
    rows = snapshot(page, table_id)["rows"]
    links = {r["link"] for r in rows if value in r["filters"].get(name, [])}
    page = web.open(f"{rel}#{name}={_enc(value)}", fresh=True)
    # Row ids follow the document order, which the filter has already changed: match by record link.
    expected = [r["id"] for r in snapshot(page, table_id)["rows"] if r["link"] in links]
    assert len(expected) == len(links), f"{table_id}: rows lost or doubled when loaded with #{name}={value}"
    form = FilterForm(page, table_id)
    assert form.value(name) == value, f"select {name} shows {form.value(name)!r} after loading #{name}={value}"
    expect_rows(page, table_id, expected, f"loaded with #{name}={value}", noun, len(rows))
    web.rec.assert_clean()
