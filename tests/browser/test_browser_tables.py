"""The trial table and the patent index: sorting, filtering, the URL hash, and the no-JS fallback.

One implementation of the table assertions (helpers.check_sorting / check_filters) serves both
tables; expected orders and filter results come from the DOM and from downloads/*.json.
"""
from __future__ import annotations

import re

import pytest

from .helpers import (
    FilterForm, check_filters, check_hash_on_load, check_sort_with_enter, check_sorting, check_text_filter,
    expect_rows, first_nct, load_json, snapshot, sort_by,
)

# The phase order the table must follow (the generator's data-sort key is the rank).
PHASES = ["0", "I", "Ib", "I/II", "Ib/II", "II", "II/III", "III", "IV"]

TABLES = {
    "trials": ("trials.html", "trial-table", "trials"),
    "patents": ("patents.html", "patent-table", "patents"),
}


def record_id(link: str | None) -> str | None:
    m = re.search(r"(?:trials|patents)/([^/]+)\.html$", link or "")
    return m.group(1) if m else None


# ---- both tables ---------------------------------------------------------------------------
@pytest.mark.parametrize("which", list(TABLES))
def test_every_header_sorts_both_ways_with_empty_keys_last(web, which):
    rel, table_id, _ = TABLES[which]
    check_sorting(web, rel, table_id)


@pytest.mark.parametrize("which,key", [("trials", "phase"), ("patents", "number")])
def test_enter_on_a_focused_header_sorts(web, which, key):
    rel, table_id, _ = TABLES[which]
    check_sort_with_enter(web, rel, table_id, key)


@pytest.mark.parametrize("which", list(TABLES))
def test_each_filter_option_and_a_combination_and_clear(web, which):
    rel, table_id, noun = TABLES[which]
    check_filters(web, rel, table_id, noun)


@pytest.mark.parametrize("which", list(TABLES))
def test_table_lists_every_record_with_javascript_off(web_nojs, site_dir, which):
    rel, table_id, _ = TABLES[which]
    records = load_json(site_dir, f"{which}.json")
    page = web_nojs.open(rel)
    form = page.locator(f'form.atlas-filters[data-for="{table_id}"]')
    assert form.count() == 1 and not form.is_visible(), "the filter form must stay hidden without JavaScript"
    rows = page.locator(f"table#{table_id} > tbody > tr")
    assert rows.count() == len(records), f"{rows.count()} rows for {len(records)} records in downloads/{which}.json"
    hidden = [i for i in range(rows.count()) if not rows.nth(i).is_visible()]
    assert not hidden, f"rows hidden without JavaScript: {hidden}"
    links = rows.evaluate_all("rs => rs.map(r => r.cells[0].querySelector('a').getAttribute('href'))")
    assert sorted(record_id(h) for h in links) == sorted(records)
    assert page.locator(f"table#{table_id} th[role=columnheader]").count() == 0  # the table script did not run
    web_nojs.rec.assert_clean()


# ---- the trial table -----------------------------------------------------------------------
def test_trial_rows_match_the_data(web, site_dir):
    """Filter values on each row agree with downloads/trials.json (phase, setting, mechanisms)."""
    trials = load_json(site_dir, "trials.json")
    page = web.open("trials.html")
    rows = snapshot(page, "trial-table")["rows"]
    wrong = []
    for r in rows:
        t = trials[record_id(r["link"])]
        want = {"phase": [t["phase"]] if t.get("phase") else [], "setting": [t["setting"]] if t.get("setting") else [],
                "mechanism": sorted(t.get("mechanisms", []))}
        got = {k: sorted(r["filters"].get(k, [])) for k in want}
        if got != {k: sorted(v) for k, v in want.items()}:
            wrong.append(f"{record_id(r['link'])}: {got} != {want}")
    assert not wrong, "\n".join(wrong)


def test_phase_sorts_in_trial_order(web, site_dir):
    page = web.open("trials.html")
    for direction in ("ascending", "descending"):
        snap = sort_by(page, "trial-table", "phase", direction)
        i = snap["col"]["index"]
        shown = [r["texts"][i] for r in snap["rows"]]
        unknown = {p for p in shown if p and p not in PHASES}
        assert not unknown, f"phases not in {PHASES}: {unknown}"
        stated = [p for p in shown if p]
        assert shown[:len(stated)] == stated, f"trials without a phase must come last: {shown}"
        ranks = [PHASES.index(p) for p in stated]
        want = sorted(ranks, reverse=direction == "descending")
        assert ranks == want, f"phase order {direction}: {stated}"
    phases = {t["phase"] for t in load_json(site_dir, "trials.json").values() if t.get("phase")}
    assert set(stated) == phases
    web.rec.assert_clean()


def test_enrollment_sorts_as_numbers(web):
    page = web.open("trials.html")
    snap = sort_by(page, "trial-table", "enrollment", "ascending")
    i = snap["col"]["index"]
    shown = [r["texts"][i] for r in snap["rows"]]
    numbers = [int(x) for x in shown if x]
    assert numbers, "no trial has an enrollment"
    assert shown[:len(numbers)] == [str(n) for n in numbers], f"trials without enrollment must come last: {shown}"
    assert numbers == sorted(numbers), f"enrollment not in numeric order (text order would be wrong): {numbers}"
    web.rec.assert_clean()


def test_trial_text_search_by_nct_id_gives_one_row(web, site_dir):
    nct = first_nct(load_json(site_dir, "trials.json"))
    check_text_filter(web, "trials.html", "trial-table", "trials", nct, exactly=1)


def test_trial_text_search_by_agent_alias(web, site_dir):
    """The free-text box also matches aliases carried in data-text (not shown in the cells)."""
    page = web.open("trials.html")
    rows = snapshot(page, "trial-table")["rows"]
    agents = load_json(site_dir, "agents.json")
    found = next(((a, al) for r in rows for a in r["filters"].get("agent", [])
                  for al in agents.get(a, {}).get("aliases", [])), None)
    assert found is not None, "no trial of the table uses an agent with an alias: nothing to check"
    agent, alias = found
    using = [r["id"] for r in rows if agent in r["filters"].get("agent", [])]
    missing = [i for i in using if alias.lower() not in rows[int(i)]["hay"]]
    assert not missing, f"rows of trials with {agent} do not carry its alias {alias!r}: {missing}"
    check_text_filter(web, "trials.html", "trial-table", "trials", alias)


def test_filter_hash_is_written_and_applied_on_load(web, site_dir):
    trials = load_json(site_dir, "trials.json")
    phase = "III" if any(t.get("phase") == "III" for t in trials.values()) else \
        next(t["phase"] for t in trials.values() if t.get("phase"))
    page = web.open("trials.html", fresh=True)
    FilterForm(page, "trial-table").select("phase", phase)
    assert page.evaluate("() => location.hash") == f"#phase={phase}"
    check_hash_on_load(web, "trials.html", "trial-table", "trials", "phase", phase)
    # the free text travels in the hash too
    nct = first_nct(trials)
    page = web.open(f"trials.html#q={nct}", fresh=True)
    rows = snapshot(page, "trial-table")["rows"]
    expect_rows(page, "trial-table", [r["id"] for r in rows if nct.lower() in r["hay"]], f"#q={nct}", "trials", len(rows))
    assert page.locator("#trial-table-q").input_value() == nct
    web.rec.assert_clean()


def test_filters_then_sorting_keep_the_filter(web, site_dir):
    """Sorting a filtered table keeps hidden rows hidden."""
    page = web.open("trials.html", fresh=True)
    rows = snapshot(page, "trial-table")["rows"]
    name, value = next((k, v[0]) for r in rows for k, v in sorted(r["filters"].items()) if v)
    FilterForm(page, "trial-table").select(name, value)
    expected = [r["id"] for r in rows if value in r["filters"].get(name, [])]
    sort_by(page, "trial-table", "enrollment", "descending")
    expect_rows(page, "trial-table", expected, f"{name}={value} after sorting", "trials", len(rows))
    web.rec.assert_clean()


def test_malformed_hash_does_not_break_the_table(web):
    """A mangled shared link (bad %-escape) must not throw: sorting and filters still work."""
    page = web.open("trials.html#q=%E0%A4%A", fresh=True)
    assert not web.rec.page_errors, "page errors:\n" + "\n".join(web.rec.page_errors)
    count = FilterForm(page, "trial-table").count_text()
    assert re.fullmatch(r"\d+ of \d+ trials", count), f"count output not filled in: {count!r}"


# ---- the patent index ----------------------------------------------------------------------
def test_patent_office_filter_matches_the_numbers(web, site_dir):
    patents = load_json(site_dir, "patents.json")
    page = web.open("patents.html", fresh=True)
    form = FilterForm(page, "patent-table")
    rows = snapshot(page, "patent-table")["rows"]
    offices = sorted({pid[:2] for pid in patents})
    assert next(s for s in form.selects() if s["name"] == "office")["options"][1:] == offices
    for office in offices:
        form.select("office", office)
        shown = {record_id(r["link"]) for r in snapshot(page, "patent-table")["rows"] if r["visible"]}
        assert shown == {pid for pid in patents if pid.startswith(office)}, f"office={office}"
        assert form.count_text() == f"{len(shown)} of {len(rows)} patents"
        assert form.hash() == {"office": office}
    check_hash_on_load(web, "patents.html", "patent-table", "patents", "office", offices[-1])
    web.rec.assert_clean()


def test_patent_text_search_by_number(web, site_dir):
    pid = sorted(load_json(site_dir, "patents.json"))[0]
    check_text_filter(web, "patents.html", "patent-table", "patents", pid, exactly=1)
