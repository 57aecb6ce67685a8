"""Raw HTML handed past Python-Markdown's HTML parser (``macros.raw_html``): the HTML and the
table of contents are exactly those Python-Markdown gives without it, on every page of the atlas
and on documents made of awkward pieces; and the generated pages do take the short path."""
from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.utils.meta import get_data

from conftest import REPO
from macros.atlas_build import AtlasBuild
from macros.page_links import EXTENSIONS as CHECK_EXTENSIONS
from macros.raw_html import RawHtmlExtension, RawHtmlPreprocessor, whole_elements


def _site_extensions() -> tuple[list, dict]:
    """The extensions MkDocs builds the site with: mkdocs.yml's, plus MkDocs' own."""
    config = load_config(str(REPO / "mkdocs.yml"))
    return config["markdown_extensions"], config["mdx_configs"]


SITE = _site_extensions()
CHECK = (CHECK_EXTENSIONS, {})


def convert(text: str, extensions, with_raw_html: bool) -> tuple[str, list]:
    names, configs = extensions
    md = markdown.Markdown(extensions=list(names) + ([RawHtmlExtension()] if with_raw_html else []),
                           extension_configs=configs)
    return md.convert(text), getattr(md, "toc_tokens", [])


def body(page: str) -> str:
    """A page's Markdown without its front matter, taken off as MkDocs does."""
    return get_data(page)[0]


@pytest.fixture(scope="module")
def atlas_pages() -> dict[str, str]:
    generated = {p: body(c) for p, c in AtlasBuild.load(REPO).files().items() if p.endswith(".md")}
    written = {p.relative_to(REPO / "docs").as_posix(): body(p.read_text(encoding="utf-8"))
               for p in (REPO / "docs").rglob("*.md")}
    assert len(generated) > 150 and len(written) > 5
    return {**written, **generated}


@pytest.mark.parametrize("extensions", [SITE, CHECK], ids=["site", "check"])
def test_every_page_of_the_atlas_converts_the_same(atlas_pages, extensions):
    differ = [p for p, text in atlas_pages.items()
              if convert(text, extensions, True) != convert(text, extensions, False)]
    assert differ == []


def test_generated_pages_take_the_short_path(atlas_pages):
    """Every generated record page has its HTML chunks stored by the preprocessor, so that
    Python-Markdown's HTML parser reads only the few lines around them."""
    md = markdown.Markdown(extensions=SITE[0])
    pre = RawHtmlPreprocessor(md)
    record_pages = [p for p in atlas_pages if p.split("/")[0] in ("mechanisms", "agents", "trials", "patents")
                    and not p.endswith("index.md")]
    assert len(record_pages) > 100
    slow = [p for p in record_pages if pre.run(atlas_pages[p].split("\n")) == atlas_pages[p].split("\n")]
    assert slow == []
    assert md.htmlStash.html_counter > 5 * len(record_pages)


@pytest.mark.parametrize("chunk, taken", [
    ('<div class="a">x</div>', True),
    ('<dl><dt>a</dt>\n<dd>b</dd></dl>\n<div>c</div>', True),
    ('<figure><svg><title>t</title><rect x="1"/></svg></figure>', True),
    ('<div title="a > b">y</div>', True),
    ('<DIV>X</DIV>', True),
    ('<div><p>a<p>b<br></div>', True),       # left open inside: closed with the block, as HTMLParser does
    ('<div>x</div> tail', False),              # text after the element
    ('<div>x</div>\ntext', False),             # text on the next line
    ('<div>x</div><div>y</div>', False),       # two elements on one line: Python-Markdown puts a line between
    ('<div>x', False),                         # left open
    ('<span>x</span>', False),                 # inline: a paragraph
    ('<hr>', False),
    ('<div/>', False),
    ('<!-- note -->', False),
    ('<div><!-- note --></div>', False),
    ('<div><script>a = "<div>"</script></div>', False),
    ('<div>1 < 2</div>', False),               # a "<" that is not a tag
    ('<div>`x`</div>', False),
    (' <div>x</div>', False),                  # indented
    ('text <div>x</div>', False),
])
def test_which_chunks_are_taken(chunk, taken):
    assert whole_elements(chunk, markdown.Markdown().is_block_level) is taken


def test_an_extension_that_reads_raw_html_its_own_way_is_left_to_it():
    text = '<div markdown="1">*x*</div>\n\n<div>y</div>\n'
    with_md_in_html = (["md_in_html"], {})
    assert convert(text, with_md_in_html, True) == convert(text, with_md_in_html, False)
    assert "<em>x</em>" in convert(text, with_md_in_html, True)[0]


PIECES = [
    '<div class="a">x</div>', "<p>t &amp; u</p>", "<ul>\n<li>a</li>\n</ul>", "<dl><dt>a</dt>\n<dd>b</dd></dl>",
    '<figure><svg><title>t</title><rect x="1"/></svg></figure>', "<div>", "</div>", "<span>x</span>",
    "<hr>", "<br>", "<div/>", "<!-- c -->", '<script>var a = "<div>";</script>', "<DIV>X</DIV>",
    '<div title="a > b">y</div>', "<p>a<p>b</div>", "<table><tr><td>1</td></tr></table>",
    "# Heading", "## Sub {: #sub }", "text", "- item", "1. first", "    code <div>x</div>", "```", "> quote",
    "<em>inline</em> text", "`code <div>`", "| a | b |\n|---|---|\n| 1 | 2 |", "&copy;", "   <div>x</div>",
]


@settings(max_examples=400, derandomize=True, database=None, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(["\n\n", "\n", "", " ", "\n\n\n", "\n  \n"])),
                min_size=1, max_size=10))
def test_documents_of_awkward_pieces_convert_the_same(parts):
    text = "".join(piece + joint for piece, joint in parts)
    for extensions in (SITE, CHECK):
        assert convert(text, extensions, True) == convert(text, extensions, False), text
