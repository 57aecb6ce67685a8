"""The check: each class of problem is reported with its file, line, field and message."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO, replace_in, write
from macros.checks import check
from macros.evidence import load


def findings(root):
    return [f.format() for f in check(load(root)).findings]


def only_errors(root):
    return [f.format() for f in check(load(root)).errors]


def test_fixture_is_clean(project):
    report = check(load(project))
    assert report.findings == []
    assert report.summary() == "checked 15 records in 11 files and 5 BibTeX entries: 0 error(s), 0 warning(s)"


def test_yaml_that_does_not_parse(project):
    write(project, "data/agents/broken.yaml", "name: Broken\nclass: [unclosed\nrefs: []\n")
    errs = only_errors(project)
    assert len(errs) == 1
    # Reported where the unclosed bracket opens, with the parser's context and where it gave up.
    assert errs == ["data/agents/broken.yaml:2: file: YAML does not parse: while parsing a flow sequence: "
                    "did not find expected ',' or ']' (line 3)"]


def test_unclosed_quote_is_reported_where_it_opens(project):
    write(project, "data/agents/quote.yaml", "name: Broken\nclass: other\nsummary: \"unclosed\nrefs: []\nstatus: approved\n")
    assert only_errors(project) == ["data/agents/quote.yaml:3: file: YAML does not parse: while scanning a quoted scalar: "
                                    "found unexpected end of stream (line 6)"]


def test_empty_file(project):
    write(project, "data/agents/empty.yaml", "# nothing here\n\n")
    assert only_errors(project) == ["data/agents/empty.yaml:1: file: empty file"]


def test_not_utf8(project):
    write(project, "data/agents/latin1.yaml", "name: Caf\xe9\nclass: other\n".encode("latin-1"))
    assert only_errors(project) == ["data/agents/latin1.yaml:1: file: not valid UTF-8 (byte 0xE9)"]


def test_record_file_that_is_a_list(project):
    write(project, "data/agents/list.yaml", "- name: A\n- name: B\n")
    assert only_errors(project) == ["data/agents/list.yaml:1: file: a agent file holds a mapping of fields, not a list"]


def test_glossary_that_is_a_mapping(project):
    write(project, "data/glossary.yaml", "term: ADCC\nexpansion: x\n")
    assert only_errors(project) == ["data/glossary.yaml:1: file: glossary.yaml holds a list of items, not a mapping"]


def test_missing_required_field_points_at_parent_mapping(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "    refs: [slamon2001chemotherapy]\nmechanisms", "mechanisms")
    # outcomes[0] starts at line 15 ("  - endpoint: PFS"); its refs are gone.
    assert only_errors(project) == ["data/trials/NCT00000001.yaml:15: outcomes[0].refs: missing required field"]


def test_missing_top_level_field(project):
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "category: immune-evasion\n", "")
    # (records that link to it now dangle; that is reported too)
    assert "data/mechanisms/adcc-failure.yaml:1: category: missing required field" in only_errors(project)


def test_wrong_type(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "enrollment: 469", "enrollment: about 469")
    errs = only_errors(project)
    assert errs == ["data/trials/NCT00000001.yaml:6: enrollment: input should be a valid integer"]


def test_value_outside_vocabulary(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "phase: III", "phase: 3")
    errs = only_errors(project)
    assert len(errs) == 1
    assert errs[0].startswith("data/trials/NCT00000001.yaml:3: phase: input should be '0', 'I', 'Ib'")


def test_nested_vocabulary_error_names_the_item(project):
    replace_in(project, "data/mechanisms/p95her2.yaml", "direction: resistance", "direction: resistant")
    assert ("data/mechanisms/p95her2.yaml:14: evidence[0].direction: "
            "input should be 'resistance', 'sensitivity' or 'neutral'") in only_errors(project)


def test_unknown_field_is_an_error(project):
    replace_in(project, "data/agents/lapatinib.yaml", "targets:", "target:")
    assert ("data/agents/lapatinib.yaml:3: target: unknown field "
            "(allowed: aliases, class, former_ids, name, outside_review, recites, refs, review_section, status, summary, targets)") in only_errors(project)


def test_unknown_field_in_nested_item(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "    measure: median", "    measure: median\n    pvalue: '0.01'")
    errs = only_errors(project)
    assert len(errs) == 1
    assert errs[0].startswith("data/trials/NCT00000001.yaml:17: outcomes[0].pvalue: unknown field (allowed: endpoint, hr,")


def test_outcome_without_any_result(project):
    write(project, "data/trials/gamma.yaml",
          "title: T\nphase: II\noutcomes:\n  - endpoint: OS\n    refs: [hasan2025trastuzumab]\nrefs: [hasan2025trastuzumab]\n")
    assert only_errors(project) == ["data/trials/gamma.yaml:4: outcomes[0]: an outcome needs at least one of values, hr, p"]


@pytest.mark.parametrize("name, message", [
    ("data/mechanisms/Bad_Id.yaml", "data/mechanisms/Bad_Id.yaml:1: id: 'Bad_Id': an id must be a lowercase slug [a-z0-9][a-z0-9-]*"),
    ("data/trials/nct1234.yaml", None),  # a slug is a valid trial id
    ("data/trials/NCT123.yaml", "data/trials/NCT123.yaml:1: id: 'NCT123': a trial id is a registry id (NCT + 8 digits) or a lowercase slug [a-z0-9][a-z0-9-]*"),
    ("data/patents/XX123.yaml", "data/patents/XX123.yaml:1: id: 'XX123': a patent id is a publication number such as CN113308542, WO2021080983, US20200069958, EP3129066"),
])
def test_ids_must_be_safe(project, name, message):
    text = "title: T\nphase: II\nrefs: [hasan2025trastuzumab]\n" if "trials" in name else "title: T\nclaims: [c]\nmechanism: m\nrefs: [cn113308542]\n" if "patents" in name else "title: T\ncategory: other\nsummary: s\n"
    write(project, name, text)
    errs = only_errors(project)
    assert errs == ([message] if message else [])


def test_ids_differing_only_in_case(project):
    write(project, "data/trials/Alpha-Study.yaml", "title: T\nphase: II\nrefs: [hasan2025trastuzumab]\n")
    write(project, "data/trials/nct00000001.yaml", "title: T\nphase: II\nrefs: [hasan2025trastuzumab]\n")
    errs = only_errors(project)
    assert "data/trials/nct00000001.yaml:1: id: 'nct00000001' differs from 'NCT00000001' only in case" in errs


def test_unknown_reference_key_in_refs(project):
    replace_in(project, "data/agents/lapatinib.yaml", "refs: [scaltriti2007expression]", "refs: [scaltriti2007expresion]")
    assert only_errors(project) == ["data/agents/lapatinib.yaml:4: refs[0]: unknown reference key 'scaltriti2007expresion' (not in references.bib)"]


def test_unknown_inline_citation(project):
    replace_in(project, "data/agents/trastuzumab.yaml", "[@slamon2001chemotherapy]", "[@slamon2001; @slamon2001chemotherapy]")
    assert only_errors(project) == ["data/agents/trastuzumab.yaml:6: summary: unknown reference key 'slamon2001' (not in references.bib)"]


def test_unknown_citation_in_docs_page(project):
    write(project, "docs/overview/extra.md", "# Extra\n\nText.\n\nMore [@nobody1999]. And `[@in_code]` is not a citation.\n")
    assert only_errors(project) == ["docs/overview/extra.md:5: citation: unknown reference key 'nobody1999' (not in references.bib)"]


def test_dangling_links(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "mechanisms: [adcc-failure]", "mechanisms: [adcc-fail]",
               "agents: [trastuzumab, chemotherapy]", "agents: [Trastuzumab, chemotherapy]")
    assert only_errors(project) == [
        "data/trials/NCT00000001.yaml:10: arms[0].agents[0]: no agent 'Trastuzumab' in data/agents/ (did you mean 'trastuzumab'?)",
        "data/trials/NCT00000001.yaml:22: mechanisms[0]: no mechanism 'adcc-fail' in data/mechanisms/ (did you mean 'adcc-failure'?)",
    ]


def test_outcome_values_must_name_arms(project):
    replace_in(project, "data/trials/NCT00000001.yaml", '"Chemotherapy": 4.6', '"Chemo": 4.6')
    assert only_errors(project) == [
        "data/trials/NCT00000001.yaml:19: outcomes[0].values.Chemo: 'Chemo' is not an arm label of this trial "
        "('Trastuzumab + chemotherapy', 'Chemotherapy')"]


def test_duplicate_bibtex_entry(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{ocana2006trastuzumab,\n  title = {Again},\n  year = {2006}\n}\n")
    assert only_errors(project) == ["references.bib:51: key: duplicate entry key 'ocana2006trastuzumab' (first at line 21)"]


def test_bibtex_keys_differing_in_case(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{Ocana2006Trastuzumab,\n  title = {Again},\n  year = {2006}\n}\n")
    assert "references.bib:51: key: 'Ocana2006Trastuzumab' differs from 'ocana2006trastuzumab' only in case" in only_errors(project)


def test_unparseable_bibtex_entry_is_reported_and_later_entries_survive(project):
    replace_in(project, "references.bib", "title = {Expression of", "title = {Unclosed, Expression of",
               "p95HER2}, a truncated", "p95HER2, a truncated")
    report = check(load(project))
    errs = [f.format() for f in report.errors]
    assert any(e.startswith("references.bib:10: entry: entry does not parse") for e in errs), errs
    # The entry after the broken one is still there.
    assert "ocana2006trastuzumab" in load(project).bib.references


def test_fields_bibtexparser_drops_silently_are_reported(project):
    # One brace too many closes the entry after its author; the other fields would vanish.
    replace_in(project, "references.bib", "author = {Oca{\\~n}a, A. and Cruz, J.J. and Pandiella, A.},",
               "author = {Oca{\\~n}a, A. and Cruz, J.J. and Pandiella, A.}},")
    assert only_errors(project) == [
        "references.bib:21: ocana2006trastuzumab.title: missing title",
        "references.bib:22: entry: entry text outside any entry (an entry closed early by an extra brace?)"]


def test_uncited_entry_is_a_warning(project):
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely2020,\n  title = {Nobody cites me},\n  year = {2020}\n}\n")
    report = check(load(project))
    assert report.errors == []
    assert [f.format() for f in report.warnings] == ["references.bib:51: warning: lonely2020: entry is not cited by any record or page"]


def test_duplicate_review_number(project):
    replace_in(project, "references.bib", "reviewnum = {41}", "reviewnum = {17}")
    assert only_errors(project) == ["references.bib:21: ocana2006trastuzumab.reviewnum: review number 17 is also on 'scaltriti2007expression'"]


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=cwd, capture_output=True, text=True,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def test_cli_exit_codes_and_summary(project):
    ok = run_cli("check", cwd=project)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().splitlines()[-1].startswith("checked 15 records")

    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely2020,\n  title = {Nobody cites me},\n  year = {2020}\n}\n")
    warn = run_cli("check", cwd=project)
    assert warn.returncode == 0
    assert run_cli("check", "--strict", cwd=project).returncode == 1
    assert run_cli("--root", str(project), "check", "--strict", cwd=REPO).returncode == 1

    write(project, "data/agents/empty.yaml", "")
    bad = run_cli("check", cwd=project)
    assert bad.returncode == 1
    lines = bad.stdout.strip().splitlines()
    assert "data/agents/empty.yaml:1: file: empty file" in lines
    assert lines[-1].endswith("1 error(s), 1 warning(s)")


# ---- the check as the one preflight ------------------------------------------------------
def test_a_record_that_fails_validation_is_reported_once(project):
    # The broken mechanism is the only one citing lonely2020, and a trial, a patent and five pages link to it.
    replace_in(project, "data/mechanisms/p95her2.yaml", "category: target-alteration", "category: target-alterations",
               "refs: [scaltriti2007expression]\nrelated", "refs: [scaltriti2007expression, lonely2020]\nrelated")
    bib = project / "references.bib"
    bib.write_text(bib.read_text() + "\n@article{lonely2020,\n  title = {Cited by a broken record},\n  year = {2020}\n}\n")
    found = findings(project)
    assert len(found) == 1, found
    assert found[0].startswith("data/mechanisms/p95her2.yaml:2: category: input should be 'target-alteration'")


def test_a_record_that_does_not_parse_is_reported_once(project):
    write(project, "data/mechanisms/p95her2.yaml", 'title: "p95HER2\ncategory: other\nsummary: x [@scaltriti2007expression]\n')
    found = findings(project)
    assert len(found) == 1 and "data/mechanisms/p95her2.yaml" in found[0] and "YAML does not parse" in found[0], found


def test_links_and_anchors_in_pages_are_checked_with_their_line(project):
    write(project, "docs/overview/open-questions.md",
          "# Open questions\n\n## Who benefits\n\n"
          "See [nothing](../mechanisms/nothing.md), [x](../trials.md#no-such-anchor)\n"
          "and [here](#who-benefits), [there](#nowhere), [abs](/trials.md), [html](../trials/beta-study.html).\n\n"
          "```\n[in code](../no/such.md)\n```\n"
          "[ref]: why-trastuzumab.md#missing\n"
          "Fine: [a heading](how-resistance-arises.md#how-resistance-arises), [web](https://example.org/x.md),\n"
          "[references](../bibliography.md#bib-ocana2006trastuzumab), [data](../downloads/trials.csv), "
          "[`code`](../agents/lapatinib.md), [mail](mailto:a@b.c).\n")
    assert only_errors(project) == [
        "docs/overview/open-questions.md:5: link: '../mechanisms/nothing.md': no page or file 'mechanisms/nothing.md'",
        "docs/overview/open-questions.md:5: link: '../trials.md#no-such-anchor': no heading or anchor 'no-such-anchor' on 'trials.md'",
        "docs/overview/open-questions.md:6: link: '#nowhere': no heading or anchor 'nowhere' on 'overview/open-questions.md'",
        "docs/overview/open-questions.md:6: link: '../trials/beta-study.html': no page or file 'trials/beta-study.html' "
        "(link to the page's source, beta-study.md)",
        "docs/overview/open-questions.md:6: link: '/trials.md' is an absolute link; write it relative to this page",
        "docs/overview/open-questions.md:11: link: 'why-trastuzumab.md#missing': no heading or anchor 'missing' on "
        "'overview/why-trastuzumab.md'",
    ]


def test_duplicate_glossary_meaning(project):
    with open(project / "data/glossary.yaml", "a", encoding="utf-8") as f:
        f.write("- term: ER\n  expansion: Estrogen  receptor\n")
    assert only_errors(project) == [
        "data/glossary.yaml:10: [4].term: 'ER' meaning 'Estrogen  receptor' is listed twice (first on line 4)"]


def test_timeline_ids_are_unique(project):
    with open(project / "data/timeline.yaml", "a", encoding="utf-8") as f:
        f.write("- date: 2005\n  id: us-approval\n  event: Twice.\n- date: 2006\n  event: No id (optional).\n"
                "- date: 2007\n  id: Not_A_Slug\n  event: Bad id.\n")
    assert findings(project) == [
        "data/timeline.yaml:9: [2].id: id 'us-approval' is used twice (first on line 2)",
        "data/timeline.yaml:14: [4].id: string should match pattern '^[a-z0-9][a-z0-9-]*$'",
    ]


def test_evidence_ids_are_slugs_unique_within_their_record(project):
    item = ("  - id: {id}\n    claim: Another finding [@scaltriti2007expression].\n"
            "    refs: [scaltriti2007expression]\n")
    replace_in(project, "data/mechanisms/p95her2.yaml",
               "evidence:\n  - claim:", "evidence:\n  - id: scaltriti-2007\n    claim:",
               "strategies:", item.format(id="scaltriti-2007") + "strategies:")
    # The same id in another record is no clash: an item is named by its record and its id.
    replace_in(project, "data/mechanisms/adcc-failure.yaml", "  - claim:", "  - id: scaltriti-2007\n    claim:")
    assert findings(project) == [
        "data/mechanisms/p95her2.yaml:18: evidence[1].id: evidence id 'scaltriti-2007' is used twice in this record "
        "(first on line 9)"]
    replace_in(project, "data/mechanisms/p95her2.yaml", "  - id: scaltriti-2007\n    claim: Another", "  - id: Scaltriti_2007\n    claim: Another")
    assert findings(project) == [
        "data/mechanisms/p95her2.yaml:18: evidence[1].id: string should match pattern '^[a-z0-9][a-z0-9-]*$'"]
