"""The evidence base itself: everything the review contains is present and checks clean."""
from __future__ import annotations

import re

import pytest

from conftest import REPO
from macros.checks import check
from macros.evidence import load

# Identifiers printed in the review (Hasan et al. 2025): text, Table 1 and Table 2.
REVIEW_NCT_IDS = ["NCT00567190", "NCT00829166", "NCT01491737", "NCT01808573", "NCT01828021", "NCT02492711",
                  "NCT02614794", "NCT03060356", "NCT03199885", "NCT03248492", "NCT03975647", "NCT04740918",
                  "NCT04873362"]
REVIEW_PATENTS = ["CN113308542", "CN115029435", "CN114736966", "WO2021080983", "CN113640518", "CN113336798",
                  "US20200069958", "WO2019098682", "CN112316146", "EP3129066", "CN112870193", "US20200147175"]
REVIEW_SECTIONS = ["2.1", "2.2", "2.3", "2.4", "2.5.1", "2.5.2", "2.5.3", "2.6.1", "2.6.2", "2.6.3", "2.6.4",
                   "2.6.5", "3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6", "4", "5"]
NAMED_STUDIES = ["panacea", "kate2", "impassion050", "alternative", "fedrica", "pyrotinib-phase-ii", "slamon-2001",
                 "everolimus-phase-ib"]


@pytest.fixture(scope="module")
def eb():
    return load(REPO)


def test_evidence_base_checks_clean_even_strictly(eb):
    report = check(eb)
    assert [f.format() for f in report.findings] == []


def test_every_reference_number_maps_to_one_entry(eb):
    numbers = sorted(n for ref in eb.bib.references.values() for n in ref.reviewnums)
    assert numbers == list(range(1, 232))
    assert eb.bib.findings == []
    assert eb.bib.get("hasan2025trastuzumab") is not None


def test_review_lists_two_works_twice(eb):
    assert eb.bib.get("wu2017a83").reviewnums == [138, 144]
    assert eb.bib.get("machluf2012therapeutic").reviewnums == [176, 177]


def test_every_registered_trial_and_named_study_has_a_record(eb):
    assert set(REVIEW_NCT_IDS) <= set(eb.trials)
    assert set(NAMED_STUDIES) <= set(eb.trials)
    assert all(t.startswith("NCT") is False or t in REVIEW_NCT_IDS for t in eb.trials), "an NCT id the review does not give"


def test_every_patent_has_a_record(eb):
    assert sorted(eb.patents) == sorted(REVIEW_PATENTS)


def test_every_section_maps_to_a_mechanism(eb):
    covered = {s for m in eb.mechanisms.values() for s in m.sections}
    assert set(REVIEW_SECTIONS) <= covered


def test_table_two_figures_are_on_their_records(eb):
    sophia = eb.trials["NCT02492711"]
    assert sophia.acronym == "SOPHIA" and sophia.phase == "III"
    pfs = [o for o in sophia.outcomes if o.endpoint == "PFS" and o.subgroup is None][0]
    assert pfs.values == {"Margetuximab + chemotherapy": 5.8, "Trastuzumab + chemotherapy": 4.9}
    assert "624" in sophia.notes and sophia.enrollment == 536
    assert any(o.endpoint == "ILD" and 13.6 in o.values.values() for o in eb.trials["NCT03248492"].outcomes)
    assert eb.trials["NCT03248492"].enrollment == 253


def test_agents_are_searchable_by_alias(eb):
    assert "DS-8201" in eb.agents["trastuzumab-deruxtecan"].aliases
    assert "T-DM1" in eb.agents["trastuzumab-emtansine"].aliases


def test_every_statement_has_provenance_and_recitations_are_declared(eb):
    from macros.provenance import statements

    sts = list(statements(eb))
    assert all(s.outside or s.sections for s in sts)
    declared = [s for s in sts if s.item.recites is not None]
    assert len(declared) >= 15 and all(s.item.recites.reason for s in declared)


def test_untitled_patents_and_unattributed_figures(eb):
    assert eb.patents["CN113308542"].title is None and eb.patents["CN113308542"].subject
    assert eb.patents["CN115029435"].title is None and eb.patents["CN115029435"].subject
    # The introduction's figures are not tied to M77001 by the review: no outcomes there.
    assert eb.trials["m77001"].outcomes == []
    assert eb.agents["pyrotinib"].status is None and eb.agents["pf-03084014"].status is None


def test_no_word_is_split_across_lines_of_a_record():
    """A folded YAML line that ends inside a hyphenated word ("tumour-" then "infiltrating") joins
    the two halves with a space: readers see "tumour- infiltrating"."""
    split = [f"{p.relative_to(REPO)}:{n}" for p in sorted((REPO / "data").rglob("*.yaml"))
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if re.search(r"[^\W\d_]-\s*$", line)]
    assert split == []
