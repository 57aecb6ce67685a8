"""The offline zip: well-formed and reproducible, and the unpacked atlas works from file://
(navigation, sorting, search) without a single request leaving the unpacked folder."""
from __future__ import annotations

import zipfile

import pytest

from .helpers import first_nct, load_json, search_finds, sort_by

TOP = "trastuzumab-resistance-atlas"


@pytest.fixture(scope="module")
def unpacked(zip_path, tmp_path_factory):
    dest = tmp_path_factory.mktemp("offline-zip")
    with zipfile.ZipFile(zip_path) as zf:
        zf.extractall(dest)
    root = dest / TOP
    assert (root / "index.html").is_file(), f"{zip_path} has no {TOP}/index.html"
    return root


def test_zip_entries_are_sorted_stamped_and_exclude_the_zip(zip_path):
    with zipfile.ZipFile(zip_path) as zf:
        infos = zf.infolist()
        assert zf.testzip() is None, "corrupt entry in the zip"
    names = [i.filename for i in infos]
    assert names, "empty zip"
    outside = [n for n in names if not n.startswith(f"{TOP}/")]
    assert not outside, f"entries outside the top folder {TOP}/: {outside[:10]}"
    assert f"{TOP}/downloads/{TOP}.zip" not in names, "the zip contains itself"
    assert not [n for n in names if n.endswith(".zip")], "the zip contains a zip"
    assert names == sorted(names), "zip entries are not in name order"
    assert f"{TOP}/404.html" not in names, "the web server's 404 page is not part of the offline copy"
    assert len(names) == len(set(names)), "duplicate entries"
    stamps = {i.date_time for i in infos}
    assert len(stamps) == 1, f"entries carry {len(stamps)} different timestamps: {sorted(stamps)[:5]}"
    for needed in ("index.html", "trials.html", "patents.html", "search/search_index.js", "downloads/atlas.json"):
        assert f"{TOP}/{needed}" in names, f"{needed} missing from the zip"


def test_unpacked_zip_works_offline(make_web, unpacked):
    web = make_web(unpacked)
    page = web.open("index.html")
    # navigation: the sidebar link to the trial table
    page.locator('nav.md-nav--primary a.md-nav__link[href="trials.html"]').first.click()
    page.wait_for_url("**/trials.html")
    web.rec.label = "trials.html (navigated)"
    assert page.locator("table#trial-table th[role=columnheader]").count() > 0, "the table script did not run"
    # sorting
    sort_by(page, "trial-table", "enrollment", "ascending")
    sort_by(page, "trial-table", "phase", "descending")
    # filtering still shows the form
    assert page.locator('form.atlas-filters[data-for="trial-table"]').is_visible()
    # search, from the trial table page
    nct = first_nct(load_json(unpacked, "trials.json"))
    found, pages, meta = search_finds(web, nct, f"trials/{nct}.html")
    assert found, f"search {nct!r} in the unpacked zip: not found ({meta}): {pages}"
    # and following the result opens the record
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url(f"**/trials/{nct}.html*")
    web.rec.label = f"trials/{nct}.html (from search)"
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    web.rec.assert_clean()
