"""Property-based tests (hypothesis) over the YAML loader, the citation parser and the renderers.

Fixed seed (``derandomize=True``) and a bounded number of examples, so that ``make test`` is
repeatable; no example database is written. ``ATLAS_PROPERTY_SCALE=20`` runs twenty times as
many examples from a random seed, for a deeper search by hand.
"""
from __future__ import annotations

import html
import json
import os
import re
import string

import markdown as md
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from macros.citations import code_spans, parse_citations
from macros.glossary import NO_TOOLTIP_IN, Abbreviations
from macros.markup import escape_markdown_inline, html_tokens, map_text_nodes, render_markdown
from macros.model import BIBKEY_RE, MAX_MARKDOWN, Agent, markdown_problem, text_problem
from macros.yaml_values import YamlProblem, parse_yaml
from test_hostile import time_limit
from test_security import assert_harmless, scan

SCALE = int(os.environ.get("ATLAS_PROPERTY_SCALE", "1"))
PROFILE = dict(derandomize=SCALE == 1, database=None, deadline=None,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def examples(n: int):
    return settings(max_examples=n * SCALE, **PROFILE)


# Text that leans on the characters that matter to the parsers, plus anything else.
SPECIAL = "[]@;,-`*_<>&\"'\\!()#{}|~:.\n\t\r \u2028\u2029\u200b\x00\x85"
text_st = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL), st.characters()), max_size=300)
markdownish = st.lists(st.one_of(
    st.sampled_from(["[", "]", "[@a]", "[@b; @c]", "[see @a, p. 5]", "[-@a]", "`", "``", "[@", "@a", "](", "<",
                     "<b>", "*", "_", "\n", "\n\n", "    ", "> ", "- ", "1. ", "&", "&amp;", "\\", "<script>", "x"]),
    st.text(alphabet=string.ascii_letters + " ", max_size=8)), max_size=60).map("".join)


# ---- the YAML loader ---------------------------------------------------------------------
keys = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)
leaf_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
tree = st.recursive(leaf_text, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)), max_leaves=20)


@examples(300)
@given(tree)
def test_double_quoted_yaml_round_trips_exactly(value):
    """Every text (control characters, line separators, quotes, "yes", "1e3") comes back as written."""
    text = yaml.dump(value, default_style='"', allow_unicode=True, default_flow_style=False)
    parsed = parse_yaml(text)
    assert parsed.value == value
    # Every key and item has a line, inside the file.
    n_lines = text.count("\n") + 1

    def walk(v, loc):
        assert 1 <= parsed.lines[loc] <= n_lines, loc
        if isinstance(v, dict):
            for k, x in v.items():
                walk(x, loc + (k,))
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, loc + (i,))

    walk(value, ())


@examples(300)
@given(st.one_of(text_st, st.lists(st.sampled_from(
    ["a: ", "- ", "&x ", "*x", "<<: ", "!!set ", "!t ", "[", "]", "{", "}", "\"", "'", "\n", "  ", "? ", "|\n", ">\n",
     "1", ".nan", "yes", "2020-02-30", "#", "---\n", ":", ",", "\t", "%YAML 1.1\n", "\\"]), max_size=40).map("".join)))
def test_any_text_loads_or_is_a_problem(text):
    with time_limit(20):
        try:
            parsed = parse_yaml(text)
        except YamlProblem as exc:
            assert exc.line >= 1 and exc.message and "\n" not in exc.message
            return
    json.dumps(parsed.value, allow_nan=True)  # plain values only: dict, list, str, int, float, bool, None


@examples(200)
@given(st.integers(min_value=-10**40, max_value=10**40), st.floats(allow_nan=False, allow_infinity=False))
def test_plain_numbers_are_numbers(i, f):
    v = parse_yaml(f"i: {i}\nf: {f!r}\n").value
    assert v["i"] == i and type(v["i"]) is int
    assert v["f"] == f and type(v["f"]) is float


# ---- the citation parser ---------------------------------------------------------------------
@examples(500)
@given(st.one_of(text_st, markdownish))
def test_citation_groups_are_well_formed(text):
    with time_limit(20):
        groups, problems = parse_citations(text)
    spans = code_spans(text)
    last = -1
    for g in groups:
        assert last <= g.start < g.end <= len(text)
        assert text[g.start] == "[" and text[g.end - 1] == "]"
        assert g.line == text.count("\n", 0, g.start) + 1
        assert not any(s <= g.start < e for s, e in spans), "a citation inside code"
        assert all(BIBKEY_RE.match(k) for k in g.keys)
        last = g.end
    for s, e in spans:
        assert text[s] == "`" and text[e - 1] == "`"


filler = st.text(alphabet=string.ascii_letters + " .,()", max_size=20)
bib_key = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_+-]{0,8}[A-Za-z0-9]", fullmatch=True)
item = st.tuples(st.sampled_from(["", "see", "e.g.", "cf. also"]), st.booleans(), bib_key,
                 st.sampled_from(["", "p. 5", "pp. 33-35", "chap. 1", "fig. 2"]))


@examples(150)
@given(st.lists(st.tuples(filler, st.lists(item, min_size=1, max_size=4)), max_size=6), filler)
def test_written_citations_are_found_with_prefix_and_locator(parts, tail):
    text, expected = "", []
    for before, items in parts:
        written = "; ".join(f"{p + ' ' if p else ''}{'-' if minus else ''}@{k}{', ' + loc if loc else ''}"
                            for p, minus, k, loc in items)
        text += before + " [" + written + "] "  # "[@key](" would be a link, not a citation
        expected.append([(p, minus, k, loc) for p, minus, k, loc in items])
    text += tail
    groups, problems = parse_citations(text)
    assert problems == []
    assert [[(i.prefix, i.suppress_author, i.key, i.locator) for i in g.items] for g in groups] == expected


# ---- the renderers ---------------------------------------------------------------------------
def _cite(group) -> str:
    return f'<sup class="atlas-cite">[{len(group.items)}]</sup>'


@examples(400)
@given(st.one_of(text_st, markdownish))
def test_accepted_markdown_renders_harmlessly_and_keeps_its_citations(text):
    assume(text_problem(text, False, MAX_MARKDOWN) is None and markdown_problem(text) is None)
    groups, _ = parse_citations(text)
    with time_limit(20):
        out = render_markdown(text, _cite, Abbreviations({"HER2": 'x"><script>alert(1)</script>'}))
    assert_harmless(out, repr(text))
    assert scan(out).tags.count("sup") >= len(groups)


one_line_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=80)


@examples(300)
@given(one_line_text)
def test_headings_show_the_text_as_written(text):
    assume(text_problem(text, True, 500) is None)
    rendered = md.markdown("# " + escape_markdown_inline(text))
    inner = re.fullmatch(r"<h1>(.*)</h1>", rendered, re.S)
    assert inner, rendered
    assert "<" not in inner.group(1)
    assert html.unescape(inner.group(1)) == " ".join(text.split()) or html.unescape(inner.group(1)) == text.strip()


@examples(300)
@given(one_line_text)
def test_code_spans_show_their_text_as_written(text):
    assume("`" not in text and text.strip() and "@" not in text and text_problem(text, True, 500) is None)
    out = render_markdown(f"`{text}`", _cite)
    inner = re.fullmatch(r"<p><code>(.*)</code></p>", out, re.S)
    assert inner, out
    assert html.unescape(inner.group(1)) == text.strip()


html_st = st.lists(st.one_of(
    st.sampled_from(["<p>", "</p>", "<a href=\"x\">", "</a>", "<code>", "</code>", "<h2 id=\"h\">", "</h2>",
                     "<script>", "</script>", "<!--", "-->", "<b title='HER2 >'>", "<i x=y\"z w=\"q>", "\">",
                     "<style>", "</style>", "<", ">", "&amp;", "&#39;", "</", "<!x>", "<?x>", "HER2", " HER2 ",
                     "<textarea>", "</textarea>", "<svg>", "</svg>", "<abbr>", "</abbr>", "\n", "'", "\""]),
    st.text(alphabet=string.ascii_letters + " ", max_size=6)), max_size=50).map("".join)


class _Structure:
    """What an HTML parser sees in a document, ignoring <abbr> elements and text."""

    def __init__(self, text: str):
        from html.parser import HTMLParser

        seen = []

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag != "abbr" or not attrs or attrs[0][0] != "title":
                    seen.append(("start", tag, attrs))

            def handle_endtag(self, tag):
                seen.append(("end", tag))

            def handle_comment(self, data):
                seen.append(("comment", data))

        p = P(convert_charrefs=True)
        p.feed(text)
        p.close()
        self.seen = [s for s in seen if s != ("end", "abbr")]


@examples(500)
@given(html_st)
def test_tooltips_change_only_text_nodes(doc):
    """Wrapping glossary terms never changes a tag, attribute or comment, whatever the HTML."""
    assert "".join(tok for _, tok in html_tokens(doc)) == doc
    assert map_text_nodes(doc, lambda s: s) == doc
    hostile = 'x" onmouseover="alert(1)" y=\'<script>alert(2)</script>'
    out = Abbreviations({"HER2": hostile}).wrap_html(doc)
    assert _Structure(out).seen == _Structure(doc).seen
    for m in re.finditer(r'<abbr title="([^"]*)">', out):
        assert html.unescape(m.group(1)) == hostile


@examples(40)
@given(st.fixed_dictionaries({"name": st.one_of(one_line_text, text_st), "class": st.just("other")},
                             optional={"aliases": st.lists(text_st, max_size=3), "summary": st.one_of(text_st, markdownish),
                                       "targets": st.lists(text_st, max_size=3)}))
def test_validation_is_never_looser_than_rendering(fields):
    """Whatever record the model accepts, its page, the indexes and the downloads are made."""
    from pathlib import Path

    from conftest import FIXTURE
    from macros.downloads import downloads
    from macros.evidence import load
    from macros.site import build_pages

    try:
        agent = Agent.model_validate(fields)
    except ValueError:  # pydantic's ValidationError: refused, so never rendered
        return
    eb = _fixture_eb(load, Path(FIXTURE))
    eb.loaded.records["agents"]["zz-agent"] = agent
    try:
        with time_limit(30):
            pages = build_pages(eb)
            files = downloads(eb)
    finally:
        del eb.loaded.records["agents"]["zz-agent"]
    assert_harmless(pages["agents/zz-agent.md"].split("---\n", 2)[2], "agent page")
    atlas = json.loads(files["downloads/atlas.json"])
    assert atlas["agents"]["zz-agent"]["name"] == agent.name


_EB = {}


def _fixture_eb(load, root):
    if "eb" not in _EB:
        _EB["eb"] = load(root)
    return _EB["eb"]


# ---- the plain-paragraph short path of markdown_to_html -----------------------------------
def _through_the_libraries(text: str) -> str:
    import nh3

    from macros import markup

    renderer = markup._markdown_without_html()
    renderer.reset()
    return nh3.clean(renderer.convert(text), tags=markup.ALLOWED_TAGS, attributes=markup.ALLOWED_ATTRIBUTES,
                     url_schemes=markup.URL_SCHEMES, link_rel="noopener noreferrer nofollow", strip_comments=True)


plainish = st.text(alphabet=st.one_of(st.sampled_from(SPECIAL + "\u00a0\ufeff\ufffe\u00e9\u2014 1.#+=-|:"),
                                      st.characters(blacklist_categories=("Cs", "Co"))), min_size=1, max_size=80)


@examples(1500)
@given(plainish)
def test_plain_paragraphs_skip_the_libraries_with_the_same_result(text):
    """What takes the short path comes out exactly as Python-Markdown and nh3 would make it."""
    from macros.markup import _plain_paragraph, markdown_to_html

    assume(_plain_paragraph(text))
    assert markdown_to_html(text) == _through_the_libraries(text)


@examples(300)
@given(st.lists(st.sampled_from(["Cells", " ", "HER2", "(p < 0.05)", "resist", ";", ",", "é", "\u2014", "1.", "x"]),
                min_size=1, max_size=20).map("".join))
def test_sentences_render_the_same_by_either_path(text):
    from macros.markup import markdown_to_html

    assert markdown_to_html(text) == _through_the_libraries(text)
