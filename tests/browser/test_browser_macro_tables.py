"""Tables embedded in a hand-written page by the page macros: each keeps its own filter state,
in the page and in its address. The page is the fixture's overview page, which embeds two trial
tables and a patent table (tests/fixtures/atlas/docs/overview/patents-and-trials.md)."""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FilterForm, snapshot, visible_rows

TESTS = Path(__file__).resolve().parents[1]
PAGE = "overview/patents-and-trials.html"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    spec = importlib.util.spec_from_file_location("atlas_test_conftest", TESTS / "conftest.py")
    shared = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(shared)
    root = shared.site_project(tmp_path_factory.mktemp("macro-tables"))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def test_two_tables_on_a_page_keep_their_state_apart(make_web, fixture_site):
    web = make_web(fixture_site)
    page = web.open(PAGE, fresh=True)
    first, second = FilterForm(page, "trial-table-1"), FilterForm(page, "trial-table-2")
    rows2 = snapshot(page, "trial-table-2")["rows"]
    all1 = visible_rows(page, "trial-table-1")
    assert len(rows2) == 2 and len(all1) == 1
    second.select("phase", "III")
    want2 = [r["id"] for r in rows2 if "III" in r["filters"].get("phase", [])]
    assert visible_rows(page, "trial-table-2") == want2 and len(want2) == 1
    assert visible_rows(page, "trial-table-1") == all1, "filtering one table changed the other"
    assert second.hash() == {"trial-table-2.phase": "III"}
    first.search("ALPHA")
    assert first.hash() == {"trial-table-1.q": "ALPHA", "trial-table-2.phase": "III"}
    # a shared address restores both tables, each with its own state
    page = web.open(f"{PAGE}#trial-table-1.q=ALPHA&trial-table-2.phase=III", fresh=True)
    assert FilterForm(page, "trial-table-2").value("phase") == "III"
    assert page.locator("#trial-table-1-q").input_value() == "ALPHA"
    assert FilterForm(page, "trial-table-1").value("phase") == "", "table 1 took table 2's filter"
    assert page.locator("#trial-table-2-q").input_value() == ""
    FilterForm(page, "trial-table-2").clear()
    page.wait_for_function("() => location.hash === '#trial-table-1.q=ALPHA'")
    web.rec.assert_clean()


def test_figures_from_macros_stay_inside_their_sentence(make_web, fixture_site):
    """A figure or value a macro writes into prose flows with the text (pictures share the class name
    ``atlas-figure`` but are ``<figure>`` blocks)."""
    web = make_web(fixture_site)
    page = web.open(PAGE, fresh=True)
    shown = page.evaluate("""() => [...document.querySelectorAll('article p .atlas-figure, article p .atlas-value')]
        .map(e => [e.textContent, getComputedStyle(e).display])""")
    assert shown == [["7.4 months", "inline"], ["469", "inline"]]
    web.rec.assert_clean()
