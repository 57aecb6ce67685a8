"""Every page loads cleanly from file:// with no request leaving the machine; tooltips; downloads."""
from __future__ import annotations

import time

import pytest

from .helpers import load_json, new_web

# 404.html is served by a web server for any missing path, so MkDocs writes it with
# root-relative asset links on purpose; from file:// those cannot load (see test_build.py).
SERVER_ONLY = {"404.html"}


_DUPLICATE_IDS_JS = """
() => {
  const seen = {}, dup = new Set();
  document.querySelectorAll('[id]').forEach(e => { if (seen[e.id]) dup.add(e.id); seen[e.id] = 1; });
  return [...dup];
}
"""


@pytest.fixture(scope="module")
def walk(chromium, site_dir):
    """Every HTML page of the site, loaded one after the other in one context and one page."""
    web = new_web(chromium, site_dir)
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html"))
    duplicates = {}
    started = time.monotonic()
    for rel in pages:
        if rel in SERVER_ONLY:
            continue
        page = web.open(rel)
        dup = page.evaluate(_DUPLICATE_IDS_JS)
        if dup:
            duplicates[rel] = dup
    web.page.wait_for_timeout(300)  # late messages of the last page
    result = {"pages": pages, "problems": web.rec.problems(), "duplicates": duplicates,
              "seconds": time.monotonic() - started}
    web.context.close()
    return result


def test_every_page_loads_without_errors_or_outside_requests(walk, site_dir):
    pages, problems = walk["pages"], walk["problems"]
    assert "index.html" in pages and len(pages) > 10, f"suspiciously few pages in {site_dir}: {pages}"
    assert not problems, f"{len(problems)} problem(s) over {len(pages)} pages:\n" + "\n".join(problems)


def test_no_page_has_duplicate_ids(walk):
    """Anchors (#id) and getElementById need unique ids."""
    dups = walk["duplicates"]
    assert not dups, "duplicate ids:\n" + "\n".join(f"{rel}: {ids}" for rel, ids in sorted(dups.items()))


def test_server_only_404_page_requests_nothing_outside(web, site_dir):
    """404.html may fail to find its root-relative assets from file://, but must not go online."""
    for rel in sorted(SERVER_ONLY):
        assert (site_dir / rel).is_file(), f"{rel} is not in the site: nothing to check"
        web.open(rel)
    web.page.wait_for_timeout(200)
    assert not web.rec.external, "non-file requests:\n" + "\n".join(web.rec.external)
    assert not web.rec.page_errors, "page errors:\n" + "\n".join(web.rec.page_errors)


def _abbr_page(site_dir) -> str:
    """A page whose content has a glossary tooltip (<abbr title=...>): a record page if possible."""
    candidates = []
    for p in sorted(site_dir.rglob("*.html")):
        html = p.read_text(encoding="utf-8")
        if '<abbr title="' in html:
            candidates.append(p.relative_to(site_dir).as_posix())
    assert candidates, "no page of the site has a glossary tooltip (<abbr title=...>)"
    return next((c for c in candidates if "/" in c), candidates[0])


def test_glossary_tooltip_shows_on_hover(web, site_dir):
    glossary = load_json(site_dir, "glossary.json")
    meanings: dict[str, set[str]] = {}
    for g in glossary:
        meanings.setdefault(g["term"], set()).add(g["expansion"])
    rel = _abbr_page(site_dir)
    page = web.open(rel)
    abbr = page.locator("article abbr[title]").first.element_handle()
    term, title = abbr.text_content(), abbr.get_attribute("title")
    assert title and title.strip(), f"{rel}: <abbr> for {term!r} has an empty title"
    assert meanings.get(term) == {title}, f"{rel}: tooltip {title!r} for {term!r}; glossary has {meanings.get(term)}"
    abbr.scroll_into_view_if_needed()
    abbr.hover()
    # Material (content.tooltips) moves the title into a tooltip element the abbr points to.
    page.wait_for_function("e => e.getAttribute('aria-describedby')", arg=abbr)
    tip_id = abbr.get_attribute("aria-describedby")
    tip = page.locator(f"#{tip_id}")
    tip.wait_for(state="visible")
    assert tip.inner_text().strip() == title
    web.rec.assert_clean()


def test_downloads_page_links_resolve(web, site_dir):
    page = web.open("downloads.html")
    links = page.evaluate("() => [...document.querySelectorAll('article a[href]')].map(a => [a.getAttribute('href'), a.href])")
    targets = {raw: web.rel_path(url) for raw, url in links if url.startswith("file:")}
    zips = [t for t in targets.values() if t and t.endswith("downloads/trastuzumab-resistance-atlas.zip")]
    assert zips, f"downloads.html has no link to downloads/trastuzumab-resistance-atlas.zip: {sorted(targets)}"
    assert (site_dir / "downloads" / "trastuzumab-resistance-atlas.zip").is_file(), \
        "downloads/trastuzumab-resistance-atlas.zip is linked but missing: run `python -m macros bundle` after the build"
    data = {raw: t for raw, t in targets.items() if t and t.rsplit(".", 1)[-1] in ("json", "csv", "bib")}
    kinds = {t.rsplit(".", 1)[-1] for t in data.values()}
    assert {"json", "csv"} <= kinds, f"downloads.html should link JSON and CSV files, has {sorted(data.values())}"
    missing = [f"{raw} -> {t}" for raw, t in data.items() if not (site_dir / t).is_file()]
    assert not missing, "download links to missing files:\n" + "\n".join(missing)
    web.rec.assert_clean()


def test_site_zip_is_the_bundle(site_dir, zip_path):
    """The copy served from the site is the bundle itself (not a stale one)."""
    copy = site_dir / "downloads" / "trastuzumab-resistance-atlas.zip"
    assert copy.is_file()
    if zip_path.parent.parent == site_dir.parent:  # the same build (make site writes both)
        assert copy.read_bytes() == zip_path.read_bytes(), f"{copy} differs from {zip_path}"
