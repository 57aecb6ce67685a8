"""Search puts the record asked for first, from file://, for every name, alias, acronym, registry id
and patent number in the data, as written and as readers type it (lower case, hyphens dropped or
typed as spaces).

Expectations are computed from the site's data downloads (the evidence base as built), with the tie
rule the README states: identifiers before names before aliases, then mechanism, agent, trial, patent,
then record id. One page load; the queries are entered into the same search box one after another,
each time waiting for Material's own results for that query before reading the list.
"""
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from .helpers import load_json, new_web, open_search

NCT = re.compile(r"^NCT\d{8}$")
FIELD_RANK = {"registry id": 0, "patent number": 0, "name": 1, "title": 1, "acronym": 1, "alias": 2}
KIND_ORDER = ["mechanisms", "agents", "trials", "patents"]


def key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(c for c in text if unicodedata.category(c)[0] in "LN")


def terms(site: Path) -> list[tuple[str, str, str, str]]:
    """(kind, id, field, text as written) for every findable name in the data downloads."""
    out = []
    for mid, m in load_json(site, "mechanisms.json").items():
        out.append(("mechanisms", mid, "title", m["title"]))
    for aid, a in load_json(site, "agents.json").items():
        out.append(("agents", aid, "name", a["name"]))
        out += [("agents", aid, "alias", alias) for alias in a.get("aliases", [])]
    for tid, t in load_json(site, "trials.json").items():
        if NCT.match(tid):
            out.append(("trials", tid, "registry id", tid))
        if t.get("acronym"):
            out.append(("trials", tid, "acronym", t["acronym"]))
        out.append(("trials", tid, "title", t["title"]))
    for pid, p in load_json(site, "patents.json").items():
        out.append(("patents", pid, "patent number", pid))
        if p.get("title"):  # an untitled patent has a subject written by the atlas, not a name to search
            out.append(("patents", pid, "title", p["title"]))
    return out


def variants(text: str, field: str) -> list[str]:
    """The text as written; for names and codes (not long titles) also in lower case and, when
    hyphenated, with the hyphens dropped or typed as spaces."""
    if field == "title":
        return [text]
    out = [text, text.lower()]
    if "-" in text:
        out += [text.replace("-", ""), text.replace("-", " "), text.lower().replace("-", "")]
    return list(dict.fromkeys(out))


def expectations(site: Path) -> dict[str, dict]:
    """query -> {pages: the records it names, best first; term: what it was made from}."""
    by_key: dict[str, list[tuple]] = {}
    for term in terms(site):
        by_key.setdefault(key(term[3]), []).append(term)
    out = {}
    for k, ts in by_key.items():
        ranked = sorted(ts, key=lambda t: (FIELD_RANK[t[2]], KIND_ORDER.index(t[0]), t[1]))
        pages = list(dict.fromkeys(f"{t[0]}/{t[1]}.html" for t in ranked))
        for t in ts:
            for q in variants(t[3], t[2]):
                out.setdefault(q, {"pages": pages, "term": t, "best": ranked[0]})
    return out


# Counts Material's result updates: each one sets the result meta's textContent.
_INSTRUMENT_JS = """
() => {
  const meta = document.querySelector('.md-search-result__meta');
  const d = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
  window.__materialPushes = 0;
  Object.defineProperty(meta, 'textContent', {configurable: true, get() { return d.get.call(this); },
    set(v) { window.__materialPushes++; d.set.call(this, v); }});
}
"""

# Enters each query (value + input/keyup events, as when typing ends), waits for Material's results for it,
# and reads the result list: exact-match items, every result page, and the reason line of each exact item.
_RUN_JS = """
async (queries) => {
  const input = document.querySelector('input.md-search__input');
  const list = document.querySelector('.md-search-result__list');
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const path = a => decodeURIComponent(new URL(a.href).pathname);
  const out = [];
  for (const q of queries) {
    const before = window.__materialPushes;
    input.value = q;
    input.dispatchEvent(new Event('input', {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent('keyup', {bubbles: true, key: 'End'}));
    let waited = 0;
    while (window.__materialPushes === before && waited < 5000) { await sleep(5); waited += 5; }
    await sleep(0);
    const items = [...list.children];
    out.push({
      query: q,
      pushed: window.__materialPushes > before,
      first: items.length ? path(items[0].querySelector('a[href]')) : null,
      exact: items.filter(li => li.hasAttribute('data-atlas-exact')).map(li => path(li.querySelector('a[href]'))),
      exactOnTop: items.slice(0, items.filter(li => li.hasAttribute('data-atlas-exact')).length)
                       .every(li => li.hasAttribute('data-atlas-exact')),
      why: items.filter(li => li.hasAttribute('data-atlas-exact')).map(li => li.querySelector('.atlas-exact__why').textContent),
      pages: items.map(li => path(li.querySelector('a[href]'))),
      meta: document.querySelector('.md-search-result__meta').textContent,
    });
  }
  return out;
}
"""


def ready_search(web):
    page = web.open("index.html")
    page.evaluate(_INSTRUMENT_JS)
    open_search(page)
    # The lookup loads on first use of the box; Material's worker reports ready with a first update.
    page.wait_for_function("() => window.atlasExactSearch && window.__materialPushes > 0", timeout=15000)
    return page


def check_every_query(web, site: Path) -> int:
    expected = expectations(site)
    assert len(expected) > 3, f"too few names in {site}/downloads to test: {sorted(expected)}"
    page = ready_search(web)
    results = page.evaluate(_RUN_JS, sorted(expected))
    problems = []
    root = web.root.as_posix()
    for r in results:
        q, exp = r["query"], expected[r["query"]]
        want = [f"{root}/{p}" for p in exp["pages"]]
        kind, rid, field, text = exp["term"]
        if not r["pushed"]:
            problems.append(f"{q!r}: Material never answered")
        if r["first"] != want[0]:
            problems.append(f"{q!r} ({field} of {kind}/{rid}): first result {r['first']}, expected {want[0]}")
        if r["exact"] != want[:5] or not r["exactOnTop"]:
            problems.append(f"{q!r}: exact matches {r['exact']} (on top: {r['exactOnTop']}), expected {want[:5]}")
        if len(set(r["pages"])) != len(r["pages"]):
            problems.append(f"{q!r}: a page is listed twice: {r['pages']}")
        best = exp["best"]
        if best[2] == "alias" and r["why"] and f"{best[3]} \u2192" not in r["why"][0]:
            problems.append(f"{q!r}: the top result does not say which alias matched: {r['why'][0]!r}")
    assert not problems, f"{len(problems)} of {len(results)} queries failed:\n" + "\n".join(problems[:60])
    web.rec.assert_clean()
    return len(results)


def test_every_name_alias_and_code_puts_its_record_first(web, site_dir):
    count = check_every_query(web, site_dir)
    assert count > 50, f"only {count} queries in the real data"


# ---- typed with the keyboard, as a reader does --------------------------------------------
def _alias_case(site: Path) -> tuple[str, str, str]:
    """(alias, its agent's name, agent page): a hyphenated alias such as T-DM1 when there is one."""
    agents = load_json(site, "agents.json")
    hyphenated = [(al, a["name"], aid) for aid, a in sorted(agents.items()) for al in a.get("aliases", []) if "-" in al]
    assert hyphenated, "no agent alias with a hyphen in the data"
    by = {h[0]: h for h in hyphenated}
    return by.get("T-DM1") or hyphenated[0]


def _typed_results(web, query: str):
    page = web.page
    box = open_search(page)
    box.fill("")
    before = page.evaluate("() => window.__materialPushes")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "([b, q]) => window.__materialPushes > b && document.querySelector('input.md-search__input').value === q",
        arg=[before, query], timeout=10000)
    page.wait_for_timeout(300)  # later updates for the same final query would land here
    return page.evaluate("""() => [...document.querySelectorAll('.md-search-result__list > li')].map(li => ({
        href: decodeURIComponent(new URL(li.querySelector('a[href]').href).pathname),
        exact: li.hasAttribute('data-atlas-exact'),
        why: (li.querySelector('.atlas-exact__why') || {}).textContent || null}))""")


def test_typed_alias_in_any_spelling_puts_its_agent_first_and_says_why(web, site_dir):
    alias, name, aid = _alias_case(site_dir)
    ready_search(web)
    expected = f"{web.root.as_posix()}/agents/{aid}.html"
    for query in [alias, alias.lower(), alias.replace("-", ""), alias.replace("-", " "), alias.upper().replace("-", "")]:
        items = _typed_results(web, query)
        assert items and items[0]["href"] == expected, f"typed {query!r}: first result {items[:1]}, expected {expected}"
        assert items[0]["why"] and f"{alias} \u2192 {name}" in items[0]["why"], f"typed {query!r}: reason {items[0]['why']!r}"
        others = [i["href"] for i in items[1:]]
        assert expected not in others, f"typed {query!r}: the agent page is listed a second time"
    web.rec.assert_clean()


def test_enter_opens_the_exact_match(web, site_dir):
    alias, _, aid = _alias_case(site_dir)
    page = ready_search(web)
    _typed_results(web, alias.replace("-", " "))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/agents/{re.escape(aid)}\.html.*"), timeout=10000)
    web.rec.assert_clean()


def test_a_query_that_names_no_record_adds_nothing(web, site_dir):
    ready_search(web)
    items = _typed_results(web, "resistance")
    assert items, "Material found nothing for 'resistance'"
    assert not any(i["exact"] for i in items), f"an exact match was added for a word that names no record: {items[:3]}"
    web.rec.assert_clean()


def test_without_javascript_the_page_is_unharmed(web_nojs, site_dir):
    requested: list[str] = []
    web_nojs.page.on("request", lambda r: requested.append(r.url))
    page = web_nojs.open("index.html")
    assert page.locator("script[src$='search-exact.js']").count() == 1
    assert page.locator("[data-atlas-exact]").count() == 0
    assert page.locator("h1").first.is_visible()
    web_nojs.rec.assert_clean()
    # The lookup is loaded only by the script, so without JavaScript it is never requested.
    assert requested and not any("exact-index.js" in u for u in requested), requested


# ---- the fixture evidence base --------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    from conftest import site_project

    root = site_project(tmp_path_factory.mktemp("exact"))
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=root,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


def test_fixture_every_name_alias_and_code_puts_its_record_first(chromium, fixture_site):
    web = new_web(chromium, fixture_site)
    try:
        check_every_query(web, fixture_site)
    finally:
        web.context.close()
