"""The page macros: their documented examples, their output, their errors, and the check of docs/ pages."""
from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import REPO, replace_in, write
from macros.checks import check
from macros.evidence import load
from macros.macro_calls import COMMENT_END, COMMENT_START, find_calls, jinja_environment
from macros.page_macros import MacroError, PageMacros
from macros.reference_pages import cited_on
from macros.site import process_doc_page

CONTRIBUTING = REPO / "docs" / "contributing.md"


@pytest.fixture(scope="module")
def real_eb():
    return load(REPO)


def render(eb, page: str, markdown: str) -> str:
    """A hand-written page as the build makes it: Jinja with the macros, then the page's citation pass."""
    body = jinja_environment().from_string(markdown).render(**PageMacros(eb, page).functions())
    return process_doc_page(eb, page, body)


# ---- the documentation ---------------------------------------------------------------------
def _doc_examples() -> tuple[list[str], list[tuple[str, str]]]:
    """From the Contributing page's macro section: the example calls, and (call, documented message)
    for a call shown with the error it gives."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    section = text.split("## Use the data in a page", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
    calls, errors = [], []
    for i, (lang, body) in enumerate(blocks):
        if lang != "jinja":
            continue
        lines = [ln for ln in body.splitlines() if ln.strip()]
        if i + 1 < len(blocks) and blocks[i + 1][0] == "text":
            assert len(lines) == 1, "an error example shows one call"
            errors.append((lines[0], blocks[i + 1][1].strip()))
        else:
            calls += lines
    return calls, errors


def test_every_documented_macro_example_renders(real_eb):
    calls, errors = _doc_examples()
    assert len(calls) >= 10 and errors
    documented = {c.name for line in calls for c in find_calls(line)}
    assert documented == set(PageMacros.NAMES), "every macro has an example"
    for line in calls:
        html = render(real_eb, "overview/example.md", f"# Example\n\n{line}\n")
        body = html.split("\n", 2)[2]
        assert body.strip(), line
        if "_table(" in line:
            shown = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)[0].count("<tr")
            assert shown > 0, f"{line}: the example shows an empty table"
        if "event_date(" in line:
            assert re.search(r'<time class="atlas-value" datetime="[0-9-]+">[0-9-]+</time>', html), line
        if "evidence_value(" in line:
            assert re.search(r'<span class="atlas-value">[^<]+</span>', html), line
        if "outcome(" in line:
            assert re.search(r'<span class="atlas-figure">[^<]+</span> <sup class="atlas-cite">', html), line
            assert "<ol class=\"atlas-refs\">" in html, f"{line}: its citation is in the page's reference list"


def test_documented_error_is_what_the_check_reports(real_eb):
    _, errors = _doc_examples()
    for call, message in errors:
        page = f"# Example\n\n{call}\n"
        path, line = message.split(":", 2)[:2]
        from macros.macro_calls import check_page

        found = check_page(real_eb, path, path.removeprefix("docs/"), page).findings
        assert [f.format() for f in found] == [message]
        assert line == "3"


def test_macro_delimiters_match_mkdocs_yml():
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    macros = next(p["macros"] for p in config["plugins"] if isinstance(p, dict) and "macros" in p)
    assert (macros["j2_comment_start_string"], macros["j2_comment_end_string"]) == (COMMENT_START, COMMENT_END)
    assert macros["module_name"] == "macros" and macros["on_undefined"] == "strict" and macros["on_error_fail"] is True


# ---- output ---------------------------------------------------------------------------------
def test_record_link_and_value_come_from_the_data(project):
    m = PageMacros(load(project), "overview/x.md")
    assert m.record_link("trials", "NCT00000001") == '<a href="../trials/NCT00000001.html">ALPHA (NCT00000001)</a>'
    assert m.record_link("agents", "lapatinib") == '<a href="../agents/lapatinib.html">Lapatinib</a>'
    assert PageMacros(load(project), "index.md").record_link("mechanisms", "p95her2") == \
        '<a href="mechanisms/p95her2.html">p95HER2, a truncated receptor</a>'
    assert m.record_value("trials", "NCT00000001", "enrollment") == '<span class="atlas-value">469</span>'
    assert m.count("trials") == 2 and m.count("references") == 5


def test_event_date_gives_the_date_as_the_data_holds_it(project):
    m = PageMacros(load(project), "overview/x.md")
    assert m.event_date("us-approval") == '<time class="atlas-value" datetime="1998">1998</time>'
    assert m.event_date("pivotal-trial") == '<time class="atlas-value" datetime="2001-03">2001-03</time>'
    assert m.event_date("pivotal-trial", part="year") == '<time class="atlas-value" datetime="2001-03">2001</time>'
    replace_in(project, "data/timeline.yaml", "date: 2001-03", "date: 2002-11-30")
    assert PageMacros(load(project), "x.md").event_date("pivotal-trial", part="year") == \
        '<time class="atlas-value" datetime="2002-11-30">2002</time>'


def _with_evidence_id(project, figures: str = '["ORR 11% vs >51%"]') -> None:
    replace_in(project, "data/mechanisms/p95her2.yaml",
               "evidence:\n  - claim:", "evidence:\n  - id: scaltriti-2007\n    claim:",
               'figures: ["ORR 11% vs >51%"]', f"figures: {figures}")


def test_evidence_value_quotes_an_item_named_by_its_id(project):
    _with_evidence_id(project, '["ORR 11% vs >51%", "p95HER2 in 9 of 46"]')
    m = PageMacros(load(project), "overview/x.md")
    assert m.evidence_value("p95her2", "scaltriti-2007", "n") == '<span class="atlas-value">46</span>'
    assert m.evidence_value("p95her2", "scaltriti-2007", "model") == '<span class="atlas-value">patients</span>'
    assert m.evidence_value("p95her2", "scaltriti-2007", "figures", containing="orr") == \
        '<span class="atlas-value">ORR 11% vs &gt;51%</span>'
    assert m.evidence_value("p95her2", "scaltriti-2007", "figures") == \
        '<span class="atlas-value">ORR 11% vs &gt;51%; p95HER2 in 9 of 46</span>'


def test_evidence_value_output_is_escaped_and_inert(project):
    _with_evidence_id(project, """['<img src=x onerror=y> *em* [@ocana2006trastuzumab] `c` {{ 7*7 }}']""")
    eb = load(project)
    assert check(eb).errors == []
    body = jinja_environment().from_string('# X\n\n{{ evidence_value("p95her2", "scaltriti-2007", "figures") }}\n') \
        .render(**PageMacros(eb, "overview/x.md").functions())
    assert body.split("\n")[2] == ('<span class="atlas-value">&lt;img src=x onerror=y&gt; &#42;em&#42; '
                                   '&#91;@ocana2006trastuzumab&#93; &#96;c&#96; &#123;&#123; 7&#42;7 &#125;&#125;</span>')
    html = process_doc_page(eb, "overview/x.md", body)
    assert "atlas-cite" not in html and "## References" not in html, "a data value became a citation"


def test_outcome_is_formatted_and_cited_in_page_order(project):
    eb = load(project)
    html = render(eb, "overview/x.md",
                  "# X\n\nFirst [@ocana2006trastuzumab]; ALPHA: "
                  '{{ outcome("NCT00000001", "PFS", arm="Trastuzumab + chemotherapy") }}; all arms: '
                  '{{ outcome("NCT00000001", "PFS") }}; again [@ocana2006trastuzumab].\n')
    para = html.split("\n")[2]
    assert para == (
        'First <sup class="atlas-cite">[<a href="#ref-1" title="Ocaña et al., 2006">1</a>]</sup>; ALPHA: '
        '<span class="atlas-figure">7.4 months</span> '
        '<sup class="atlas-cite">[<a href="#ref-2" title="Slamon et al., 2001">2</a>]</sup>; all arms: '
        '<span class="atlas-figure">Trastuzumab + chemotherapy: 7.4 months; Chemotherapy: 4.6 months; p &lt;0.001</span> '
        '<sup class="atlas-cite">[<a href="#ref-2" title="Slamon et al., 2001">2</a>]</sup>; again '
        '<sup class="atlas-cite">[<a href="#ref-1" title="Ocaña et al., 2006">1</a>]</sup>.')
    refs = html.split("## References", 1)[1]
    assert refs.index('id="ref-1"') < refs.index("ocana2006trastuzumab") < refs.index('id="ref-2"') < refs.index(
        "slamon2001chemotherapy")


def test_macro_citations_count_as_citations_of_the_page(project):
    write(project, "docs/overview/x.md", '# X\n\n{{ outcome("NCT00000001", "PFS") }}\n')
    assert "overview/x.md" in cited_on(load(project))["slamon2001chemotherapy"]


def test_data_values_are_escaped_and_inert(project):
    """A hostile title, label and acronym: no tag, no Markdown, no citation, no Jinja comes out live.
    (A line break in a one-line field is refused by the check: see test_hostile.)"""
    replace_in(project, "data/trials/NCT00000001.yaml",
               "acronym: ALPHA", 'acronym: "<script>x</script> *em* [@ocana2006trastuzumab] `code` {{ 7*7 }}"',
               "title: Trastuzumab plus chemotherapy against chemotherapy alone", 'title: "A # heading [x](javascript:y)"',
               '- label: Chemotherapy\n', '- label: "Chemo <b>|</b>"\n',
               '"Chemotherapy": 4.6', '"Chemo <b>|</b>": 4.6')
    eb = load(project)
    assert check(eb).errors == []
    page = ('# X\n\n{{ record_link("trials", "NCT00000001") }} '
            '{{ outcome("NCT00000001", "PFS", arm="Chemo <b>|</b>") }}\n\n'
            '{{ record_card("trials", "NCT00000001") }}\n\n{{ trial_table() }}\n')
    body = jinja_environment().from_string(page).render(**PageMacros(eb, "overview/x.md").functions())
    for raw in ("<script>", "<b>", "*em*", "[@ocana", "`code`", "{{", "[x]"):
        assert raw not in body, raw
    assert "&lt;script&gt;" in body and "&#42;em&#42;" in body and "&#91;@ocana2006trastuzumab&#93;" in body
    html = process_doc_page(eb, "overview/x.md", body)
    assert "ocana2006trastuzumab" not in html.split("## References")[-1], "a data value became a citation"
    assert 'href="#ref-1" title="Slamon' in html  # the outcome's own citation


# ---- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (("count", "trial"), "count: no kind 'trial' (did you mean 'trials'?); choose one of: mechanisms, agents, trials, "
                         "patents, references, glossary, timeline"),
    (("record_link", "trial", "NCT00000001"), "no record kind 'trial' (did you mean 'trials'?); kinds: mechanisms, "
                                             "agents, trials, patents"),
    (("record_link", "trials", "NCT0000001"), "no trial 'NCT0000001' in data/trials/ (did you mean 'NCT00000001'?)"),
    (("record_card", "agents", "lapatinb"), "no agent 'lapatinb' in data/agents/ (did you mean 'lapatinib'?)"),
    (("outcome", "NCT00000001", "OS"), "outcome: trial 'NCT00000001' reports no 'OS' outcome (its endpoints: PFS)"),
    (("outcome", "NCT00000001", "PFS", "Chemo"), "outcome: PFS (median) of 'NCT00000001' has no value for arm 'Chemo' "
                                                 "(arms with a value: 'Trastuzumab + chemotherapy', 'Chemotherapy')"),
    (("record_value", "trials", "NCT00000001", "arms"), "record_value: trial 'NCT00000001' has no plain field 'arms'; "
                                                        "fields with a value: acronym, enrollment, phase, review_section, setting, status, title"),
    (("event_date", "us-aproval"), "no timeline event 'us-aproval' in data/timeline.yaml (did you mean 'us-approval'?)"),
    (("event_date", "us-approval", "month"), "event_date: part is \"year\" or left out for the whole date, not 'month'"),
    (("evidence_value", "p95her2", "scaltriti-2007", "n"), "evidence_value: mechanism 'p95her2' has no evidence item "
                                                          "'scaltriti-2007'; its evidence ids: none; give the item an id in its file"),
    (("evidence_value", "p95hr2", "scaltriti-2007", "n"), "no mechanism 'p95hr2' in data/mechanisms/ (did you mean 'p95her2'?)"),
])
def test_wrong_calls_name_the_valid_choices(project, call, message):
    with pytest.raises(MacroError) as exc:
        PageMacros(load(project), "x.md").call(*call)
    assert str(exc.value) == message


@pytest.mark.parametrize("kwargs, message", [
    ({"phase": "3"}, "no phase '3'; phase is one of: 0, I, Ib, I/II, Ib/II, II, II/III, III, IV"),
    ({"setting": "metastatc"}, "no setting 'metastatc' (did you mean 'metastatic'?); setting is one of: early, "
                               "neoadjuvant, adjuvant, metastatic, advanced"),
    ({"agent": "trastuzumab-dxd"}, "no agent 'trastuzumab-dxd' in data/agents/ (did you mean 'trastuzumab' or "
                                   "'trastuzumab-deruxtecan'?)"),
    ({"columns": ["trial", "pahse"]}, "trial_table: no column 'pahse' (did you mean 'phase'?); columns: trial, phase, "
                                      "setting, agents, comparator, enrollment, result, pfs, mechanisms, status"),
    ({"colour": "red"}, "got an unexpected keyword argument 'colour'; trial_table(phase: 'str | list[str] | None' = None, "
                        "setting: 'str | list[str] | None' = None, status: 'str | list[str] | None' = None, "
                        "agent: 'str | list[str] | None' = None, mechanism: 'str | list[str] | None' = None, "
                        "columns: 'list[str] | None' = None) -> 'str'"),
])
def test_wrong_table_filters_name_the_valid_choices(project, kwargs, message):
    with pytest.raises(MacroError) as exc:
        PageMacros(load(project), "x.md").call("trial_table", **kwargs)
    assert str(exc.value) == message


def test_ambiguous_outcome_lists_the_matches_and_what_tells_them_apart(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "mechanisms: [adcc-failure]", """  - endpoint: PFS
    subgroup: HER2 3+
    timepoint: 1 year
    measure: rate
    unit: percent
    values: {"Trastuzumab + chemotherapy": 30}
    refs: [slamon2001chemotherapy]
mechanisms: [adcc-failure]""")
    m = PageMacros(load(project), "x.md")
    with pytest.raises(MacroError) as exc:
        m.outcome("NCT00000001", "PFS")
    assert str(exc.value) == ("outcome: 'NCT00000001' reports 2 PFS outcomes; say which: "
                              "PFS (median) -> subgroup='none', timepoint='none'; "
                              "PFS (rate, 1 year) — HER2 3+ -> subgroup='HER2 3+', timepoint='1 year'")
    assert "7.4 months" in m.outcome("NCT00000001", "PFS", subgroup="none")
    assert "30%" in m.outcome("NCT00000001", "PFS", timepoint="1 year")
    with pytest.raises(MacroError, match=r"with subgroup='HER2 2\+' \(its subgroup values for PFS: 'HER2 3\+', 'none'\)"):
        m.outcome("NCT00000001", "PFS", subgroup="HER2 2+")


@pytest.mark.parametrize("args, kwargs, message", [
    (("p95her2", "scaltriti-2070", "n"), {}, "evidence_value: mechanism 'p95her2' has no evidence item 'scaltriti-2070' "
                                             "(did you mean 'scaltriti-2007'?); its evidence ids: scaltriti-2007"),
    (("p95her2", "scaltriti-2007", "figure"), {}, "evidence_value: evidence item 'scaltriti-2007' of 'p95her2' has no "
                                                  "value for 'figure' (did you mean 'figures'?); fields with a value: "
                                                  "direction, figures, model, n"),
    (("p95her2", "scaltriti-2007", "claim"), {}, "evidence_value: evidence item 'scaltriti-2007' of 'p95her2' has no "
                                                 "value for 'claim'; fields with a value: direction, figures, model, n"),
    (("p95her2", "scaltriti-2007", "n"), {"containing": "46"}, "evidence_value: containing picks one of the figures; "
                                                               "use it with field \"figures\""),
    (("p95her2", "scaltriti-2007", "figures"), {"containing": "PFS"},
     "evidence_value: no figure of evidence item 'scaltriti-2007' of 'p95her2' contains 'PFS'; "
     "its figures: 'ORR 11% vs >51%'; 'ORR 9%'"),
    (("p95her2", "scaltriti-2007", "figures"), {"containing": "ORR"},
     "evidence_value: 2 figures of evidence item 'scaltriti-2007' of 'p95her2' contain 'ORR'; "
     "its figures: 'ORR 11% vs >51%'; 'ORR 9%'"),
])
def test_wrong_evidence_value_calls_name_the_valid_choices(project, args, kwargs, message):
    _with_evidence_id(project, '["ORR 11% vs >51%", "ORR 9%"]')
    with pytest.raises(MacroError) as exc:
        PageMacros(load(project), "x.md").call("evidence_value", *args, **kwargs)
    assert str(exc.value) == message


# ---- tables ---------------------------------------------------------------------------------
def test_tables_filter_pick_columns_and_keep_their_state_apart(project):
    m = PageMacros(load(project), "overview/x.md")
    first = m.trial_table(phase="III", columns=["trial", "enrollment"])
    second = m.trial_table(agent=["trastuzumab-deruxtecan", "trastuzumab"])
    patents = m.patent_table(office="CN", year=2021)
    assert 'data-atlas-table="trial-table-1"' in first and 'data-state-prefix="trial-table-1."' in first
    assert 'data-atlas-table="trial-table-2"' in second and 'data-state-prefix="trial-table-2."' in second
    assert 'data-atlas-table="patent-table-1"' in patents
    assert re.findall(r'data-key="(\w+)"', first) == ["trial", "enrollment"]
    assert first.count("<tr data-f-") == 1 and "NCT00000001" in first and "beta-study" not in first
    assert second.count("<tr data-f-") == 2
    assert "<caption>Clinical trials: phase III</caption>" in first
    assert "<caption>Clinical trials: agent Trastuzumab or Trastuzumab deruxtecan</caption>" in second
    assert patents.count("<tr data-f-") == 1
    for html in (first, second, patents):
        assert html.startswith("\n\n<div") and html.endswith("</div>\n\n") and "\n\n" not in html.strip()


# ---- the check reads docs/ ------------------------------------------------------------------
def test_check_reports_wrong_calls_in_docs_pages(project):
    write(project, "docs/overview/x.md", "\n".join([
        "# X",
        "",
        '{{ record_link("trials", "NCT0000001") }} and {{ count("trial") }}',
        '{{ trial_table(phase="3") }}',
        "{{ record_link(kind, 'x') }}",  # a computed argument: left to the build
        '{{ outcome("NCT00000001", "PFS") }} is fine',
        "",
    ]))
    write(project, "docs/overview/off.md", '---\nrender_macros: false\n---\n# Off\n\n{{ count("nothing") }}\n')
    write(project, "docs/overview/broken.md", "# B\n\n{{ count('trials') \n")
    assert [f.format() for f in check(load(project)).errors] == [
        "docs/overview/broken.md:3: macros: the page's macros do not parse: unexpected end of template, expected 'end of print statement'.",
        "docs/overview/x.md:3: count: count: no kind 'trial' (did you mean 'trials'?); choose one of: mechanisms, agents, "
        "trials, patents, references, glossary, timeline",
        "docs/overview/x.md:3: record_link: no trial 'NCT0000001' in data/trials/ (did you mean 'NCT00000001'?)",
        "docs/overview/x.md:4: trial_table: no phase '3'; phase is one of: 0, I, Ib, I/II, Ib/II, II, II/III, III, IV",
    ]


def test_check_reports_wrong_event_and_evidence_ids_without_building(project):
    _with_evidence_id(project)
    write(project, "docs/overview/x.md", "\n".join([
        "# X",
        "",
        'Approved in {{ event_date("us-aproval") }}; {{ event_date("us-approval", part="year") }} is fine.',
        'A series of {{ evidence_value("p95her2", "scaltriti-2070", "n") }} patients.',
        "",
    ]))
    assert [f.format() for f in check(load(project)).errors] == [
        "docs/overview/x.md:3: event_date: no timeline event 'us-aproval' in data/timeline.yaml (did you mean 'us-approval'?)",
        "docs/overview/x.md:4: evidence_value: evidence_value: mechanism 'p95her2' has no evidence item 'scaltriti-2070' "
        "(did you mean 'scaltriti-2007'?); its evidence ids: scaltriti-2007",
    ]


def test_an_event_that_does_not_load_is_reported_once(project):
    replace_in(project, "data/timeline.yaml", "date: 1998", "date: 1998-13")
    write(project, "docs/overview/x.md", '# X\n\nIn {{ event_date("us-approval") }}.\n')
    assert [f.format() for f in check(load(project)).errors] == [
        "data/timeline.yaml:1: [0].date: 1998-13 is not a date in the calendar"]


def test_evidence_value_names_its_mechanism_for_the_diff():
    from macros.macro_calls import records_named

    calls = find_calls('{{ evidence_value("pten-loss", "berns-2007", "n") }} {{ evidence_value(mechanism="p95her2", '
                       'evidence="x", field="n") }} {{ event_date("fda-approval") }}')
    assert [records_named(c) for c in calls] == [[("mechanisms", "pten-loss")], [("mechanisms", "p95her2")], []]


def test_real_docs_pages_call_macros_correctly(real_eb):
    assert [f.format() for f in check(real_eb).findings if f.path.startswith("docs/")] == []


def test_hand_written_pages_link_records_only_through_record_link():
    """A hand-typed link to a record page goes stale silently; record_link is checked."""
    record_link_re = re.compile(r"(?:\]\(|href=\")(?:\.\./)*(?:mechanisms|agents|trials|patents)/(?!index\.)[^)\"#\s]+\.(?:md|html)")
    found = []
    for path in sorted((REPO / "docs").rglob("*.md")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found += [f"{path.relative_to(REPO)}:{n}: {m.group(0)}" for m in record_link_re.finditer(line)]
    assert found == []
    assert record_link_re.search("see [x](../trials/NCT00567190.md)") and record_link_re.search('<a href="agents/x.html">')
    assert not record_link_re.search("[table](../trials.md)") and not record_link_re.search("(mechanisms/index.md)")


# ---- the overview chapters take their figures from the data ------------------------------------
# Figures a chapter shows through a macro: (page, as the real data gives them, as the changed copy gives them).
# The changed copy moves every timeline date 400 years on (the calendar repeats, so each date stays
# real) and edits the evidence items and outcomes the chapters quote.
CHAPTER_FIGURES = [
    ("overview/why-trastuzumab.md", ["2020", "1984", "1987", "1998", "2000", "2018", "2014", "2019"],
     ["2420", "2384", "2387", "2398", "2400", "2401", "2418", "2414", "2419"]),
    ("overview/how-resistance-arises.md", ["~50%", "55", "20-25%", "22%"], ["~90%", "955", "90-95%", "92%"]),
    ("overview/open-questions.md", ["1987", "1984", "only 20%"], ["2387", "2384", "only 70%"]),
    ("overview/patents-and-trials.md", ["8.8 months", "6.6 months", "624"], ["18.8 months", "16.6 months", "724"]),
]
DATA_CHANGES = {
    "data/mechanisms/pten-loss.yaml": ("    n: 55\n    direction: resistance\n    figures: [\"PIK3CA activating mutations 25%\", "
                                       "\"PTEN deficiency 20-25%\"]",
                                       "    n: 955\n    direction: resistance\n    figures: [\"PIK3CA activating mutations 25%\", "
                                       "\"PTEN deficiency 90-95%\"]"),
    "data/mechanisms/pi3k-activation.yaml": ("reduced PTEN 22%", "reduced PTEN 92%"),
    "data/mechanisms/er-her2-crosstalk.yaml": ("~50% of HER2-positive", "~90% of HER2-positive"),
    "data/mechanisms/tumour-microenvironment.yaml": ("only 20% of BC", "only 70% of BC"),
    "data/mechanisms/adcc-failure.yaml": ("624 participants (Table 2)", "724 participants (Table 2)"),
    "data/trials/NCT01808573.yaml": ("capecitabine: 8.8\n", "capecitabine: 18.8\n", "capecitabine: 6.6\n", "capecitabine: 16.6\n"),
}


def _chapter_text(eb, page: str) -> str:
    """What a reader of the chapter sees of its prose: rendered with the macros, without tags or reference list."""
    source = (eb.root / "docs" / page).read_text(encoding="utf-8")
    source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    html = render(eb, page, source).split("## References", 1)[0]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def _shows(text: str, figure: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(figure)}(?![\w]|\.\d)", text) is not None


@pytest.fixture(scope="module")
def changed_eb(tmp_path_factory):
    root = tmp_path_factory.mktemp("changed")
    shutil.copytree(REPO / "data", root / "data")
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "references.bib", root / "references.bib")
    timeline = root / "data" / "timeline.yaml"
    text, n = re.subn(r'^(- date: "?)(\d{4})', lambda m: f"{m.group(1)}{int(m.group(2)) + 400}",
                      timeline.read_text(encoding="utf-8"), flags=re.M)
    assert n > 20
    timeline.write_text(text, encoding="utf-8")
    for rel, pairs in DATA_CHANGES.items():
        replace_in(root, rel, *pairs)
    eb = load(root)
    assert check(eb).errors == []
    return eb


@pytest.mark.parametrize("page, real, changed", CHAPTER_FIGURES, ids=[p for p, _, _ in CHAPTER_FIGURES])
def test_overview_chapters_show_the_figures_the_data_holds(real_eb, changed_eb, page, real, changed):
    """Change the data and the chapter changes with it: no figure of these is typed into the page."""
    before, after = _chapter_text(real_eb, page), _chapter_text(changed_eb, page)
    assert [f for f in real if not _shows(before, f)] == [], "the chapter no longer shows these figures"
    assert [f for f in changed if not _shows(after, f)] == [], "the chapter does not follow the data"
    assert [f for f in real if _shows(after, f)] == [], "typed into the chapter, not taken from the data"


# ---- the mkdocs-macros entry point -------------------------------------------------------------
class FakeEnv:
    """What define_env uses of mkdocs-macros' env: conf, page, macro()."""

    def __init__(self, root: Path):
        self.conf = {"config_file_path": str(root / "mkdocs.yml"), "docs_dir": str(root / "docs")}
        self.page = None
        self.macros: dict = {}
        self.variables: dict = {}

    def macro(self, fn, name=""):
        self.macros[name or fn.__name__] = fn


def test_define_env_without_the_hook_loads_its_own_build(project):
    from types import SimpleNamespace

    from macros import define_env

    # a computed argument: the check cannot see the call, the macro stops it
    write(project, "docs/overview/x.md", '# X\n{% set kind = "trials" %}\n{{ record_link(kind, "NCT0000001") }}\n')
    env = FakeEnv(project)
    define_env(env)
    assert sorted(env.macros) == sorted(PageMacros.NAMES) and env.variables == {}
    env.page = SimpleNamespace(file=SimpleNamespace(src_uri="overview/x.md", src_path="overview/x.md"))
    assert env.macros["count"]("trials") == 2
    with pytest.raises(MacroError) as exc:
        env.macros["record_link"]("trials", "NCT0000001")
    assert str(exc.value) == ("docs/overview/x.md:3: record_link: no trial 'NCT0000001' in data/trials/ "
                              "(did you mean 'NCT00000001'?)")


def test_build_names_page_line_and_closest_event_for_a_computed_wrong_id(project):
    from types import SimpleNamespace

    from macros import define_env

    write(project, "docs/overview/x.md", '# X\n{% set e = "us-aproval" %}\nSince {{ event_date(e, part="year") }}.\n')
    env = FakeEnv(project)
    define_env(env)
    env.page = SimpleNamespace(file=SimpleNamespace(src_uri="overview/x.md", src_path="overview/x.md"))
    with pytest.raises(MacroError) as exc:
        env.macros["event_date"]("us-aproval", part="year")
    assert str(exc.value) == ("docs/overview/x.md:3: event_date: no timeline event 'us-aproval' in data/timeline.yaml "
                              "(did you mean 'us-approval'?)")


def test_define_env_refuses_an_evidence_base_with_errors(project):
    from macros import define_env
    from macros.atlas_build import EvidenceErrors

    write(project, "data/agents/broken.yaml", "name: [unclosed\n")
    with pytest.raises(EvidenceErrors, match=r"\ndata/agents/broken\.yaml:\d+: file: YAML does not parse"):
        define_env(FakeEnv(project))


def test_an_uncited_figure_needs_its_citation_later_on_the_line(project):
    write(project, "docs/overview/x.md", "\n".join([
        "# X",
        'From {{ outcome("NCT00000001", "PFS", arm="Chemotherapy", cite=False) }} to '
        '{{ outcome("NCT00000001", "PFS", arm="Trastuzumab + chemotherapy") }}.',
        'Only {{ outcome("NCT00000001", "PFS", arm="Chemotherapy", cite=False) }}.',
        ""]))
    assert [f.format() for f in check(load(project)).errors] == [
        "docs/overview/x.md:3: outcome: cite=False: the same outcome ('NCT00000001', 'PFS') must be cited later on this line"]


def test_record_link_text_fits_the_sentence_and_keeps_the_name_as_tooltip(project):
    m = PageMacros(load(project), "overview/x.md")
    assert m.record_link("agents", "trastuzumab-deruxtecan", "T-DXd") == \
        '<a href="../agents/trastuzumab-deruxtecan.html" title="Trastuzumab deruxtecan">T-DXd</a>'
    with pytest.raises(MacroError, match="non-empty string"):
        m.record_link("agents", "lapatinib", "")


def test_a_broken_record_is_reported_once_not_again_by_every_macro_naming_it(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "phase: III", "phase: 3")
    write(project, "docs/overview/x.md", '# X\n\n{{ record_link("trials", "NCT00000001") }}\n')
    assert [f.format() for f in check(load(project)).errors if f.path.startswith("docs/")] == []
    assert [f.path for f in check(load(project)).errors] == ["data/trials/NCT00000001.yaml"]
