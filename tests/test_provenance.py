"""Provenance: review sections (own or inherited), outside-the-review marks, declared re-citations,
the chapters that cover each section, and how a claim shows them."""
from __future__ import annotations

import pytest

from conftest import replace_in, write
from macros.checks import check
from macros.evidence import load
from macros.model import Evidence, Patent
from macros.page import PageWriter
from macros.provenance import provenance_html, sources_line, statements
from macros.site import build_pages


def findings(root):
    return [f.format() for f in check(load(root)).findings]


# ---- the model ---------------------------------------------------------------------------
def test_an_item_inherits_its_records_section_and_may_override_it(project):
    eb = load(project)
    by_loc = {(s.kind, s.rid, s.loc): s for s in statements(eb)}
    assert by_loc[("mechanisms", "p95her2", ("evidence", 0))].sections == ["2.1"]
    assert by_loc[("mechanisms", "adcc-failure", ("evidence", 0))].sections == ["7"]
    assert by_loc[("mechanisms", "adcc-failure", ())].sections == ["2.4"]
    assert by_loc[("trials", "NCT00000001", ("outcomes", 0))].sections == ["7"]


def test_outside_review_on_a_record_is_the_default_for_its_items(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml", 'review_section: ["2.4"]\n', "outside_review: true\n")
    eb = load(project)
    by_loc = {(s.kind, s.rid, s.loc): s for s in statements(eb)}
    assert by_loc[("mechanisms", "adcc-failure", ())].outside
    # evidence[0] gives its own section, which wins over the record's mark
    item = by_loc[("mechanisms", "adcc-failure", ("evidence", 0))]
    assert not item.outside and item.sections == ["7"]


def test_section_and_outside_mark_exclude_each_other():
    with pytest.raises(ValueError, match="not both"):
        Evidence.model_validate({"claim": "x", "refs": ["k"], "review_section": "2.1", "outside_review": True})
    with pytest.raises(ValueError, match="cannot re-cite"):
        Evidence.model_validate({"claim": "x", "refs": ["k"], "outside_review": True,
                                 "recites": {"review_refs": [3], "reason": "r"}})


def test_both_on_one_item_is_reported_with_its_line(project):
    replace_in(project, "data/mechanisms/p95her2.yaml", "    model: patients\n",
               "    model: patients\n    outside_review: true\n    review_section: \"2.1\"\n")
    assert "data/mechanisms/p95her2.yaml:9: evidence[0]: give review_section or outside_review: true, not both" in findings(project)


def test_recites_fields_are_checked(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "review_refs: [41]", 'review_refs: ["41"]')
    assert "data/mechanisms/adcc-failure.yaml:13: evidence[0].recites.review_refs[0]: input should be a valid integer" \
        in findings(project)


def test_patent_has_a_title_or_a_subject_never_both_nor_neither():
    base = {"claims": ["c"], "mechanism": "m", "refs": ["k"]}
    assert Patent.model_validate({**base, "title": "As filed"}).display_title == "As filed"
    untitled = Patent.model_validate({**base, "subject": "NDUFA4L2 as a drug target"})
    assert untitled.title is None
    assert untitled.display_title == "untitled in the review: NDUFA4L2 as a drug target"
    for bad in ({}, {"title": "t", "subject": "s"}):
        with pytest.raises(ValueError, match="exactly one of title"):
            Patent.model_validate({**base, **bad})


def test_patent_without_title_or_subject_is_an_error_on_its_file(project):
    replace_in(project, "data/patents/CN113308542.yaml", "title: A marker for reversing resistance\n", "")
    assert "data/patents/CN113308542.yaml:1: record: give exactly one of title (as published) and subject " \
           "(when the source gives no title)" in findings(project)


# ---- the check ---------------------------------------------------------------------------
def test_fixture_declares_one_live_recitation_and_warns_nothing(project):
    assert findings(project) == []


def test_stale_recitation_warns(project):
    # The claim cites slamon2001chemotherapy (ref. 223) inline and hasan2025trastuzumab (no number);
    # once the review is said to cite ref. 223 too, the declaration no longer describes a difference.
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "review_refs: [41]", "review_refs: [223]")
    assert findings(project) == [
        "data/mechanisms/adcc-failure.yaml:13: warning: evidence[0].recites: stale re-citation: the statement now "
        "cites what the review cites (ref. 223); remove recites"]


def test_stale_counts_inline_citations_and_two_numbered_entries(project):
    # An inline [@key] counts as much as refs; an entry with two review numbers gives both.
    replace_in(project, "references.bib", "reviewnum = {41}", "reviewnum = {41, 99}")
    replace_in(project, "data/mechanisms/adcc-failure.yaml",
               "    refs: [hasan2025trastuzumab]\n", "    refs: [hasan2025trastuzumab, ocana2006trastuzumab]\n",
               "review_refs: [41]", "review_refs: [223, 41, 99]")
    assert findings(project) == [
        "data/mechanisms/adcc-failure.yaml:13: warning: evidence[0].recites: stale re-citation: the statement now "
        "cites what the review cites (refs. 41, 99, 223); remove recites"]


def test_a_live_recitation_with_a_partial_overlap_is_not_stale(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "review_refs: [41]", "review_refs: [41, 223]")
    assert findings(project) == []


def test_recitation_without_reason_warns(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml",
               'recites: {review_refs: [41], reason: "the atlas cites the trial report itself"}',
               "recites: {review_refs: [41]}")
    assert findings(project) == [
        "data/mechanisms/adcc-failure.yaml:13: warning: evidence[0].recites: a re-citation needs a reason: "
        "say why the atlas cites other sources than the review here"]


def test_recitation_of_a_number_the_review_does_not_have_warns(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "review_refs: [41]", "review_refs: [41, 999]")
    assert findings(project) == [
        "data/mechanisms/adcc-failure.yaml:13: warning: evidence[0].recites.review_refs: the review has no reference 999 "
        "(no reviewnum in references.bib)"]


def test_the_review_citing_nothing_is_a_declaration_too(project):
    # review_refs: [] says the review's sentence has no citation; the atlas cites one.
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "review_refs: [41]", "review_refs: []")
    assert findings(project) == []
    page = build_pages(load(project))["mechanisms/adcc-failure.md"]
    assert "the review cites no reference here (the atlas cites the trial report itself)" in page


def test_missing_section_warns_on_record_and_item(project):
    replace_in(project, "data/trials/NCT00000001.yaml", 'review_section: "7"\n', "")
    assert findings(project) == [
        "data/trials/NCT00000001.yaml:1: warning: review_section: the record's own text has no review section: "
        "give review_section (here or on the record) or mark outside_review: true",
        "data/trials/NCT00000001.yaml:15: warning: outcomes[0]: this item has no review section: "
        "give review_section (here or on the record) or mark outside_review: true"]


def test_an_item_marked_outside_needs_no_section(project):
    replace_in(project, "data/trials/NCT00000001.yaml", 'review_section: "7"\n', "outside_review: true\n")
    assert findings(project) == []


def test_section_no_chapter_covers_warns(project):
    replace_in(project, "data/agents/lapatinib.yaml", 'review_section: "2.1"', 'review_section: "9.2"')
    assert findings(project) == [
        "data/agents/lapatinib.yaml:5: warning: review_section: review section 9.2 is covered by no overview "
        "chapter (review_sections in docs/overview/*.md)"]


# ---- chapters ------------------------------------------------------------------------------
def test_chapters_cover_sections_and_their_subsections(project):
    ch = load(project).chapters
    assert ch.chapter_for("2.5.1") == "overview/how-resistance-arises.md"
    assert ch.chapter_for("6.1") == "overview/patents-and-trials.md"
    assert ch.chapter_for("9") is None
    write(project, "docs/overview/extra.md", '---\nreview_sections: ["2.5"]\n---\n# Extra\n')
    ch = load(project).chapters
    assert ch.chapter_for("2.5.1") == "overview/extra.md"  # the nearest enclosing section wins
    assert ch.titles["overview/extra.md"] == "Extra"


def test_malformed_chapter_declarations_are_reported(project):
    write(project, "docs/overview/extra.md", "---\nreview_sections: 2.5\n---\n# Extra\n")
    write(project, "docs/overview/twice.md", '---\ntitle: x\nreview_sections: ["2"]\n---\n# Twice\n')
    assert findings(project) == [
        'docs/overview/extra.md:2: review_sections: a list of review section numbers as strings, e.g. ["2.1", "2.2"]',
        "docs/overview/twice.md:3: warning: review_sections: section 2 is also declared by "
        "docs/overview/how-resistance-arises.md; claims link there"]


# ---- rendering -----------------------------------------------------------------------------
def test_claim_shows_its_section_linked_to_the_chapter(project):
    pages = build_pages(load(project))
    page = pages["mechanisms/adcc-failure.md"]
    # evidence[0] overrides the record's 2.4 with 7, covered by patents-and-trials
    assert ('<a class="atlas-section" href="../overview/patents-and-trials.html" '
            'title="Section 7 of the review, covered in the overview chapter “patents-and-trials”">§7</a>') in page
    assert 'href="../overview/how-resistance-arises.html"' in page  # the record's own section, in its facts


def test_recitation_is_shown_next_to_the_citation_in_the_reviews_numbers(project):
    page = build_pages(load(project))["mechanisms/adcc-failure.md"]
    assert ('<span class="atlas-recites">the review cites its ref. 41 here '
            "(the atlas cites the trial report itself)</span>") in page
    # The page's own numbers stay in brackets; the review's are written out, never as [41].
    assert "[41]" not in page


def test_outside_review_is_shown_and_escapes_reason(project):
    replace_in(project, "data/trials/NCT00000001.yaml", 'review_section: "7"\n', "outside_review: true\n")
    replace_in(project, "data/mechanisms/adcc-failure.yaml", 'reason: "the atlas cites', 'reason: "<b>x</b> the atlas cites')
    pages = build_pages(load(project))
    assert '<span class="atlas-provenance atlas-outside">outside the review</span>' in pages["trials/NCT00000001.md"]
    assert "&lt;b&gt;x&lt;/b&gt; the atlas cites" in pages["mechanisms/adcc-failure.md"]
    assert "<b>x</b>" not in pages["mechanisms/adcc-failure.md"]


def test_section_without_chapter_is_shown_unlinked(project):
    eb = load(project)
    w = PageWriter(eb, "mechanisms/x.md")
    ev = Evidence.model_validate({"claim": "c", "refs": ["scaltriti2007expression"], "review_section": "9.1"})
    assert provenance_html(w, ev) == ('<span class="atlas-provenance"><span title="Section 9.1 of the review">'
                                      "§9.1</span></span>")
    ev = Evidence.model_validate({"claim": "c", "refs": ["scaltriti2007expression"],
                                  "recites": {"review_refs": [17, 41], "reason": "r"}})
    assert sources_line(w, ev.refs, ev) == (
        '<p class="atlas-sources">Sources: <sup class="atlas-cite">[<a href="#ref-1" title="Scaltriti et al., 2007">1</a>]'
        '</sup> · <span class="atlas-recites">the review cites its refs. 17, 41 here (r)</span></p>')


def test_untitled_patent_shows_its_subject(project):
    replace_in(project, "data/patents/CN113308542.yaml", "title: A marker for reversing resistance",
               "subject: NDUFA4L2 in resistant cells")
    eb = load(project)
    assert findings(project) == []
    pages = build_pages(eb)
    assert "# CN113308542: untitled in the review: NDUFA4L2 in resistant cells" in pages["patents/CN113308542.md"]
    assert "untitled in the review: NDUFA4L2 in resistant cells" in pages["patents.md"]
