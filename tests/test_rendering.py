"""Rendering without a site: citations, links, Markdown fields, backlinks, tables."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import REPO, write
from macros.citations import Numbering, find_citations, find_citations_in_markdown, keys_in
from macros.evidence import load
from macros.links import href
from macros.markup import render_markdown
from macros.page import PageWriter
from macros.reference_pages import cited_on
from macros.site import build_pages, process_doc_page
from macros.tables import sort_key


# ---- citations -------------------------------------------------------------------------
def test_citation_groups_are_parsed():
    text = ("One [@a]. Two [@b; @c2020:x]. Prefix [see @d]. Email a@b.c [mail a@b.c]. Last [@e.]\n"
            "next [ @f ; @g ] [link @h](https://x.org)")
    assert find_citations(text) == [(1, ["a"]), (1, ["b", "c2020:x"]), (1, ["d"]), (1, ["e"]), (2, ["f", "g"])]
    assert keys_in("[@x; @y]") == ["x", "y"]


def test_citations_in_code_are_not_citations():
    md = "Real [@a].\n\n```\n[@fenced]\n```\n\nInline `[@span]` and [@b].\n"
    assert find_citations_in_markdown(md) == [(1, ["a"]), (7, ["b"])]


def test_numbering_follows_first_use_and_markers_are_sorted():
    n = Numbering()
    assert n.numbers(["b", "a"]) == [(1, "b"), (2, "a")]
    assert n.numbers(["a", "c", "b"]) == [(1, "b"), (2, "a"), (3, "c")]
    assert n.order == ["b", "a", "c"]


def test_page_markers_link_to_the_page_reference_list(project):
    eb = load(project)
    w = PageWriter(eb, "mechanisms/x.md")
    html = w.md("First [@slamon2001chemotherapy], then [@scaltriti2007expression; @slamon2001chemotherapy].")
    assert html == ('<p>First <sup class="atlas-cite">[<a href="#ref-1" title="Slamon et al., 2001">1</a>]</sup>, then '
                    '<sup class="atlas-cite">[<a href="#ref-1" title="Slamon et al., 2001">1</a>, '
                    '<a href="#ref-2" title="Scaltriti et al., 2007">2</a>]</sup>.</p>')
    refs = w.references_section()
    assert '<li id="ref-1">' in refs and '<li id="ref-2">' in refs
    assert 'href="../bibliography.html#bib-slamon2001chemotherapy"' in refs
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/11248153/"' in refs


def test_latex_is_shown_as_unicode(project):
    eb = load(project)
    w = PageWriter(eb, "bibliography.md")
    w.cite(["ocana2006trastuzumab"])
    refs = w.references_section()
    assert "Ocaña A., Cruz J.J., Pandiella A." in refs
    assert "TNFα and NF-κB" in refs
    assert "2006;29(1):90–95" in refs


# ---- links -----------------------------------------------------------------------------
def test_links_are_relative_html():
    assert href("mechanisms/p95her2.md", "trials/NCT00000001.md") == "../trials/NCT00000001.html"
    assert href("index.md", "mechanisms/index.md", "cat-other") == "mechanisms/index.html#cat-other"
    assert href("trials.md", "bibliography.md", "bib-a") == "bibliography.html#bib-a"
    assert href("mechanisms/p95her2.md", "mechanisms/p95her2.md") == "p95her2.html"
    assert href("overview/a.md", "downloads/atlas.json") == "../downloads/atlas.json"


# ---- Markdown fields -------------------------------------------------------------------
def test_markdown_renders_but_raw_html_does_not():
    out = render_markdown("**bold** <b>raw</b> [ok](https://example.org) [bad](javascript:alert(1))", lambda k: "")
    assert "<strong>bold</strong>" in out
    assert "&lt;b&gt;raw&lt;/b&gt;" in out
    assert '<a href="https://example.org"' in out
    assert "javascript" not in out


def test_abbreviations_skip_links_and_code():
    from macros.glossary import Abbreviations

    abbr = Abbreviations({"HER2": "human epidermal growth factor receptor 2"})
    out = render_markdown("HER2 and `HER2` and [HER2](https://x.org) and HER2-positive and pHER2", lambda k: "", abbr)
    assert out.count("<abbr") == 1
    assert out.startswith('<p><abbr title="human epidermal growth factor receptor 2">HER2</abbr> and <code>HER2</code>')


def test_terms_with_two_meanings_get_no_tooltip(project):
    eb = load(project)
    from macros.glossary import tooltip_terms

    terms = tooltip_terms(eb.glossary)
    assert "ER" not in terms and terms["ADCC"] == "antibody-dependent cellular cytotoxicity"


# ---- backlinks -------------------------------------------------------------------------
def test_links_are_rendered_both_ways(project):
    eb = load(project)
    lk = eb.links
    assert lk.of("mechanisms", "adcc-failure", "trials") == ["NCT00000001"]
    assert lk.of("mechanisms", "p95her2", "trials") == ["beta-study"]
    assert lk.of("mechanisms", "p95her2", "patents") == ["CN113308542"]
    assert lk.of("agents", "lapatinib", "mechanisms") == ["p95her2"]
    assert lk.of("agents", "chemotherapy", "trials") == ["NCT00000001"]
    assert lk.of("agents", "trastuzumab", "patents") == ["CN113308542"]
    assert lk.of("trials", "NCT00000001", "agents") == ["chemotherapy", "trastuzumab"]
    # related is declared on p95her2 only, shown on both
    assert lk.of("mechanisms", "adcc-failure", "mechanisms") == ["p95her2"]
    assert lk.of("mechanisms", "p95her2", "mechanisms") == ["adcc-failure"]
    pages = build_pages(eb)
    assert 'href="../trials/NCT00000001.html"' in pages["mechanisms/adcc-failure.md"]
    assert 'href="p95her2.html"' in pages["mechanisms/adcc-failure.md"]
    assert 'href="../mechanisms/p95her2.html"' in pages["agents/lapatinib.md"]
    assert 'href="../patents/CN113308542.html"' in pages["agents/trastuzumab.md"]


def test_cited_on_lists_every_citing_page(project):
    eb = load(project)
    assert cited_on(eb)["slamon2001chemotherapy"] == [
        "agents/trastuzumab.md", "mechanisms/adcc-failure.md", "overview/patents-and-trials.md",  # via outcome()
        "timeline.md", "trials/NCT00000001.md"]
    assert "overview/why-trastuzumab.md" in cited_on(eb)["ocana2006trastuzumab"]


def test_new_record_file_adds_page_row_and_backlinks(project):
    write(project, "data/trials/NCT12345678.yaml",
          "title: New study\nphase: Ib\narms:\n  - label: L\n    agents: [lapatinib]\n"
          "mechanisms: [p95her2]\nrefs: [scaltriti2007expression]\n")
    pages = build_pages(load(project))
    assert "trials/NCT12345678.md" in pages
    assert 'href="trials/NCT12345678.html"' in pages["trials.md"]
    assert 'href="../trials/NCT12345678.html"' in pages["mechanisms/p95her2.md"]
    assert 'href="../trials/NCT12345678.html"' in pages["agents/lapatinib.md"]


def test_doc_pages_get_markers_and_reference_list(project):
    eb = load(project)
    out = process_doc_page(eb, "overview/a.md", "# A\n\nText [@ocana2006trastuzumab].\n\n`[@code]`\n")
    assert '<sup class="atlas-cite">[<a href="#ref-1"' in out
    assert "`[@code]`" in out
    assert "## References" in out and 'href="../bibliography.html#bib-ocana2006trastuzumab"' in out
    # Glossary text never becomes Markdown source of a page.
    assert "*[" not in out and "antibody-dependent" not in out


def test_doc_page_html_gets_tooltips_in_prose_only(project):
    from macros.site import process_doc_html

    eb = load(project)
    html = ('<h2 id="adcc">ADCC</h2>\n<p>ADCC and ER, <a href="x.html">ADCC</a>, <code>ADCC</code> '
            '<span title="ADCC">ADCC-like</span></p>\n<pre><code>ADCC</code></pre><script>var ADCC;</script>')
    assert process_doc_html(eb, html) == (
        '<h2 id="adcc">ADCC</h2>\n<p><abbr title="antibody-dependent cellular cytotoxicity">ADCC</abbr> and ER, '
        '<a href="x.html">ADCC</a>, <code>ADCC</code> <span title="ADCC">ADCC-like</span></p>\n'
        '<pre><code>ADCC</code></pre><script>var ADCC;</script>')


def test_citation_forms_render_with_prefix_and_locator(project):
    eb = load(project)
    w = PageWriter(eb, "mechanisms/x.md")
    html = w.md("A [see @slamon2001chemotherapy, p. 5]. B [-@ocana2006trastuzumab]. "
                "C [see @slamon2001chemotherapy, p. 5; @ocana2006trastuzumab]. `[@slamon2001chemotherapy]` `a<b`")
    text = re.sub(r"<[^>]+>", "", html)
    assert text == "A see [1, p. 5]. B [2]. C see [1, p. 5; 2]. [@slamon2001chemotherapy] a&lt;b"
    assert html.count('href="#ref-1"') == 2 and html.count('href="#ref-2"') == 2


# ---- tables ----------------------------------------------------------------------------
def test_trial_table_carries_sort_keys_and_filters(project):
    pages = build_pages(load(project))
    table = pages["trials.md"]
    rows = re.findall(r"<tr data-f-agent[^>]*>.*?</tr>", table, re.S)
    assert len(rows) == 2
    alpha = next(r for r in rows if "NCT00000001" in r)
    assert 'data-f-phase="III"' in alpha and 'data-f-mechanism="adcc-failure"' in alpha
    assert 'data-f-agent="chemotherapy trastuzumab"' in alpha
    assert '<td data-label="Phase" data-sort="7">III</td>' in alpha  # phase rank in PHASE_ORDER
    assert '<td data-label="Enrollment" data-sort="469">469</td>' in alpha
    assert '<td data-label="Median PFS, experimental (months)" data-sort="7.4">7.4</td>' in alpha  # experimental arm
    beta = next(r for r in rows if "beta-study" in r)
    assert '<td data-label="Comparator" data-sort=""></td>' in beta  # no comparator: missing, not zero
    assert "<form class=\"atlas-filters\" data-for=\"trial-table\" hidden>" in table


def test_sort_keys():
    assert sort_key(None) == "" and sort_key("") == ""
    assert sort_key(12) == "12" and sort_key(5.5) == "5.5"
    assert sort_key("  Mixed   Case ") == "mixed case"


def test_core_does_not_import_mkdocs():
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from pathlib import Path\n"
            "import macros.site, macros.checks, macros.cli, macros.diff, macros.bundle, macros.atlas_build\n"
            "from macros.evidence import load\n"
            "macros.atlas_build.AtlasBuild.load(Path(%r)).files()\n"
            "assert not [m for m in sys.modules if m.startswith('mkdocs')], 'mkdocs imported'\n") % (
        str(REPO), str(REPO / "tests/fixtures/atlas"))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
