"""A table longer than its page of rows (``data-page-rows``): the first matching rows show, a pager
offers the next ones or all of them, sorting and filtering work on every row, and without
JavaScript every row shows.

The atlas's own tables are shorter than a page, so the site here is a synthetic evidence base
(the benchmark's generator, tests/benchmarks/synthetic.py) with 65 trials and 31 patents, built
by MkDocs like the real one. Expected rows come from the DOM (``data-sort``, ``data-f-*``).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import FilterForm, order_problems, snapshot, sort_by

REPO = Path(__file__).resolve().parents[2]
SCALE = 2.6  # 65 trials: two full pages of 30 and five rows more


@pytest.fixture(scope="module")
def long_site(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO / "tests" / "benchmarks"))
    import synthetic

    root, counts = synthetic.project(tmp_path_factory.mktemp("long-tables") / "atlas", SCALE)
    assert counts["trials"] == 65 and counts["patents"] == 31, counts
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


def shown(page, table_id: str) -> list[dict]:
    return [r for r in snapshot(page, table_id)["rows"] if r["visible"] and not r["hidden"]]


def pager(page, table_id: str) -> dict:
    return page.evaluate("""(id) => {
      const p = document.getElementById(id).closest('.atlas-table').querySelector('.atlas-pager');
      const visible = !!(p.offsetWidth || p.offsetHeight);
      return {visible, text: p.querySelector('.atlas-pager-text').textContent,
              more: p.querySelector('[data-rows=more]').textContent, all: p.querySelector('[data-rows=all]').textContent,
              pageRows: parseInt(p.closest('.atlas-table').getAttribute('data-page-rows'), 10)};
    }""", table_id)


def click_pager(page, table_id: str, which: str) -> None:
    page.locator(f'.atlas-table[data-atlas-table="{table_id}"] .atlas-pager [data-rows="{which}"]').click()


@pytest.mark.parametrize("rel,table_id,noun,total", [("trials.html", "trial-table", "trials", 65),
                                                      ("patents.html", "patent-table", "patents", 31)])
def test_a_long_table_shows_its_first_rows_and_offers_the_rest(make_web, long_site, rel, table_id, noun, total):
    web = make_web(long_site)
    page = web.open(rel, fresh=True)
    rows = snapshot(page, table_id)["rows"]
    assert len(rows) == total, "the page does not hold every row"
    p = pager(page, table_id)
    size = p["pageRows"]
    assert size == 30
    assert [r["id"] for r in shown(page, table_id)] == [r["id"] for r in rows[:size]], "not the first rows, in order"
    assert FilterForm(page, table_id).count_text() == f"{total} of {total} {noun}"
    assert p["visible"] and p["text"] == f"Showing {size} of {total} {noun}."
    assert p["more"] == f"Show {min(size, total - size)} more" and p["all"] == f"Show all {total}"

    if total > 2 * size:
        click_pager(page, table_id, "more")
        now = shown(page, table_id)
        assert [r["id"] for r in now] == [r["id"] for r in rows[:2 * size]]
        # the keyboard reader goes on from the first row just shown
        first_new = now[size]["link"]
        assert page.evaluate("() => document.activeElement.getAttribute('href')") == first_new
        p = pager(page, table_id)
        assert p["text"] == f"Showing {2 * size} of {total} {noun}." and p["more"] == f"Show {total - 2 * size} more"
    click_pager(page, table_id, "all")
    assert [r["id"] for r in shown(page, table_id)] == [r["id"] for r in rows]
    assert not pager(page, table_id)["visible"], "the pager stays after every row is shown"
    web.rec.assert_clean()


def test_sorting_a_long_table_shows_the_first_rows_of_the_whole_order(make_web, long_site):
    web = make_web(long_site)
    page = web.open("trials.html", fresh=True)
    before = snapshot(page, "trial-table")
    col = next(h for h in before["headers"] if h["key"] == "enrollment")
    every = [r["keys"][col["index"]] for r in before["rows"]]
    numbers = sorted(float(k) for k in every if k.strip())
    assert len(numbers) > 30, "too few enrollments to fill a page"
    for direction in ("ascending", "descending"):
        sort_by(page, "trial-table", "enrollment", direction)
        keys = [float(r["keys"][col["index"]]) for r in shown(page, "trial-table")]
        want = numbers if direction == "ascending" else numbers[::-1]
        assert keys == want[:30], f"{direction}: the rows shown are not the first 30 of all {len(every)}"
    # "Show all" then holds across sorting: every row, in order, empty keys last
    click_pager(page, "trial-table", "all")
    for direction in ("ascending", "descending"):
        sort_by(page, "trial-table", "enrollment", direction)
        keys = [r["keys"][col["index"]] for r in shown(page, "trial-table")]
        assert len(keys) == len(every)
        assert not order_problems(page, keys, direction)
    web.rec.assert_clean()


def test_filtering_a_long_table_counts_every_match_and_starts_again_from_its_first_rows(make_web, long_site):
    web = make_web(long_site)
    page = web.open("trials.html", fresh=True)
    form = FilterForm(page, "trial-table")
    rows = snapshot(page, "trial-table")["rows"]
    # A search that more than a page of rows match, but not all (three letters of the rows' text),
    # and the setting that the fewest rows have.
    found = sorted({w[i:i + 3] for r in rows for w in r["hay"].split() if w.isalpha() for i in range(len(w) - 2)})
    matches = {w: [r["id"] for r in rows if w in r["hay"]] for w in found}
    many = next((w for w in found if 30 < len(matches[w]) < len(rows)), None)
    assert many, "no three letters of the rows' text are in more than 30 rows and fewer than all"
    settings = {}
    for r in rows:
        for v in r["filters"].get("setting", []):
            settings.setdefault(v, []).append(r["id"])
    few = min(settings, key=lambda v: len(settings[v]))

    click_pager(page, "trial-table", "all")  # a new selection forgets "Show all"
    form.search(many)
    now = shown(page, "trial-table")
    assert [r["id"] for r in now] == matches[many][:30], "not the first 30 matching rows, in order"
    assert form.count_text() == f"{len(matches[many])} of {len(rows)} trials"
    assert pager(page, "trial-table")["text"] == f"Showing 30 of {len(matches[many])} trials."
    click_pager(page, "trial-table", "all")
    assert [r["id"] for r in shown(page, "trial-table")] == matches[many]

    form.search("")
    form.select("setting", few)
    assert [r["id"] for r in shown(page, "trial-table")] == settings[few]
    assert form.count_text() == f"{len(settings[few])} of {len(rows)} trials"
    assert not pager(page, "trial-table")["visible"]
    form.clear()
    page.wait_for_function("() => !location.hash")
    assert len(shown(page, "trial-table")) == 30
    web.rec.assert_clean()


def test_without_javascript_a_long_table_shows_every_row(make_web, long_site):
    web = make_web(long_site, java_script_enabled=False)
    page = web.open("trials.html", fresh=True)
    assert len(shown(page, "trial-table")) == 65
    assert not pager(page, "trial-table")["visible"]
    web.rec.assert_clean()
