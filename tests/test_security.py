"""Contributor text is untrusted: hostile text in every kind of field comes out as harmless text."""
from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import write
from macros.evidence import load
from macros.downloads import downloads
from macros.site import build_pages

HOSTILE = '</title><script>alert(1)</script><img src=x onerror=alert(2)> {{ config }} {% raw %} {: onclick=alert(3)}'
HOSTILE_MD = HOSTILE + ' [x](javascript:alert(4)) [y](data:text/html,z) <a href="javascript:alert(5)" onmouseover="alert(6)">a</a>'


# Glossary items whose text reaches every hand-written page (as tooltips): valid, hostile text.
GLOSSARY_PAYLOADS = [
    ("ZZSLASH\\", '"><script>alert(13)</script>\\ *[x]: <img src=x onerror=alert(14)>'),
    ("ZZBRACKET", "ok]: <script>alert(15)</script> \\\\<svg onload=alert(16)>"),
    ("ZZQUOTE", "it's \"quoted\" & <b onmouseover=alert(17)>bold</b> {{ config }}"),
]


def yq(s: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def add_hostile_records(root: Path) -> None:
    h, m = yq(HOSTILE), yq(HOSTILE_MD)
    write(root, "data/mechanisms/hostile.yaml", f"""title: {h}
category: other
review_section: {h}
summary: {m}
players: [{h}]
evidence:
  - claim: {m}
    figures: [{h}]
    refs: [evil2020]
strategies:
  - agents: [evil-agent]
    note: {m}
    refs: [evil2020]
""")
    write(root, "data/agents/evil-agent.yaml", f"""name: {h}
aliases: [{h}]
class: other
targets: [{h}]
summary: {m}
refs: [evil2020]
""")
    write(root, "data/trials/evil-trial.yaml", f"""acronym: {h}
title: {h}
phase: II
conditions: [{h}]
arms:
  - label: {h}
    agents: [evil-agent]
outcomes:
  - endpoint: other
    measure: {h}
    subgroup: {h}
    unit: {h}
    values: {{{h}: {h}}}
    p: {h}
    refs: [evil2020]
mechanisms: [hostile]
summary: {m}
notes: {m}
refs: [evil2020]
""")
    write(root, "data/patents/CN999999.yaml", f"""title: {h}
assignee: {h}
claims: [{m}]
mechanism: {m}
targets: [{h}]
mechanisms: [hostile]
agents: [evil-agent]
refs: [evil2020]
""")
    with open(root / "data/glossary.yaml", "a", encoding="utf-8") as f:
        f.write(f"- term: EVIL\n  expansion: {h}\n  definition: {m}\n")
        for term, expansion in GLOSSARY_PAYLOADS:
            f.write(f"- term: {yq(term)}\n  expansion: {yq(expansion)}\n")
    # The terms appear in the prose of a hand-written page, so their tooltips are built there.
    with open(root / "docs/overview/why-trastuzumab.md", "a", encoding="utf-8") as f:
        f.write("\n" + " and ".join(t for t, _ in GLOSSARY_PAYLOADS) + " appear here, and EVIL too.\n")
    with open(root / "data/timeline.yaml", "a", encoding="utf-8") as f:
        f.write(f"- date: 2020\n  event: {m}\n  refs: [evil2020]\n")
    with open(root / "references.bib", "a", encoding="utf-8") as f:
        f.write("\n@article{evil2020,\n"
                "  author = {<script>alert(7)</script> and Mr \\\"><img src=x onerror=alert(8)>},\n"
                "  title = {</title><script>alert(9)</script> {{ config }}},\n"
                "  journal = {<svg onload=alert(10)>},\n  year = {2020},\n"
                "  url = {javascript:alert(11)},\n  doi = {10.1/\"><script>alert(12)</script>}\n}\n")


# The atlas's own pictures (macros/svg.py) are the only SVG allowed: exactly these attributes on
# <svg>, and only drawing elements inside. Anything else in an <svg> is reported as a foreign tag.
PICTURE_SVG_ATTRS = {"xmlns", "class", "viewbox", "width", "height", "role", "aria-labelledby"}
PICTURE_TAGS = {"title", "desc", "a", "rect", "line", "text", "tspan", "path", "circle", "polyline"}


class Scanner(HTMLParser):
    """Collects what a browser would execute or load: elements, event handlers, URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.handlers: list[str] = []
        self.urls: list[str] = []
        self.svg_depth = 0  # inside an atlas picture

    def handle_starttag(self, tag, attrs):
        inside = self.svg_depth > 0
        picture = (tag == "svg" and not inside and {n for n, _ in attrs} == PICTURE_SVG_ATTRS
                   and (dict(attrs).get("class") or "").startswith("atlas-chart"))
        if picture or (inside and tag in PICTURE_TAGS):
            self.svg_depth += 1  # an atlas picture, or one of its drawing elements
        else:
            self.tags.append(tag)  # any other element, including any other <svg> and anything foreign in a picture
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(f"{tag}.{name}")
            if name in ("href", "src", "action", "formaction") and value:
                self.urls.append(value)

    def handle_endtag(self, tag):
        if self.svg_depth and (tag == "svg" or tag in PICTURE_TAGS):
            self.svg_depth -= 1


def scan(html: str) -> Scanner:
    s = Scanner()
    s.feed(html)
    return s


def assert_harmless(html: str, where: str) -> None:
    s = scan(html)
    assert "script" not in s.tags and "img" not in s.tags and "svg" not in s.tags, where
    assert s.handlers == [], (where, s.handlers)
    bad = [u for u in s.urls if re.match(r"\s*(javascript|data|vbscript):", u, re.I)]
    assert bad == [], (where, bad)


@pytest.fixture
def hostile(project):
    add_hostile_records(project)
    return project


def test_hostile_records_load_and_check(hostile):
    from macros.checks import check

    report = check(load(hostile))
    # url/doi that are not links are warnings, the rest is valid data.
    assert report.errors == [], [f.format() for f in report.errors]
    # (and the hostile records give no review section a chapter covers)
    assert {f.field for f in report.warnings} == {"evil2020.url", "evil2020.doi", "review_section", "outcomes[0]"}


@pytest.mark.parametrize("page", ["mechanisms/hostile.md", "agents/evil-agent.md", "trials/evil-trial.md",
                                  "patents/CN999999.md", "trials.md", "patents.md", "mechanisms/index.md",
                                  "agents/index.md", "bibliography.md", "glossary.md", "timeline.md"])
def test_generated_pages_show_hostile_text_as_text(hostile, page):
    markdown = build_pages(load(hostile))[page]
    body = markdown.split("---\n", 2)[2]
    assert_harmless(body, page)
    # No template syntax survives: braces are either entities or inside pages that skip Jinja.
    assert markdown.startswith("---\nrender_macros: false\n")
    # The text is still there, escaped.
    assert "alert" in body


def test_heading_neutralises_markdown_and_attr_lists(hostile):
    markdown = build_pages(load(hostile))["mechanisms/hostile.md"]
    h1 = next(line for line in markdown.splitlines() if line.startswith("# "))
    assert "{" not in h1 and "<" not in h1 and "*" not in h1


def test_downloads_are_data_not_markup(hostile):
    import csv
    import io
    import json

    files = downloads(load(hostile))
    atlas = json.loads(files["downloads/atlas.json"])
    # The text is kept exactly, as data: neither escaped nor stripped.
    assert atlas["mechanisms"]["hostile"]["title"] == HOSTILE
    assert atlas["mechanisms"]["hostile"]["summary"] == HOSTILE_MD
    assert {"term": "EVIL", "expansion": HOSTILE, "definition": HOSTILE_MD} in atlas["glossary"]
    rows = list(csv.DictReader(io.StringIO(files["downloads/trials.csv"].decode())))
    assert [r["title"] for r in rows if r["id"] == "evil-trial"] == [HOSTILE]
    assert set(files) >= {"downloads/atlas.json", "downloads/trials.csv", "downloads/patents.csv", "downloads/references.bib"}


def test_ids_cannot_escape_their_folder(project):
    # Path-like ids are rejected before any page is named after them.
    for name in ["data/mechanisms/..%2f..%2fx.yaml", "data/mechanisms/.hidden.yaml", "data/agents/a b.yaml"]:
        write(project, name, "title: T\ncategory: other\nsummary: s\n")
    eb = load(project)
    pages = build_pages(eb)
    assert all(re.fullmatch(r"[a-z]+(/[A-Za-z0-9-]+)?\.md|[a-z]+/index\.md", p) for p in pages), sorted(pages)
    assert "..%2f..%2fx" not in eb.mechanisms


def test_built_site_escapes_titles_and_never_runs_jinja(hostile, tmp_path):
    from conftest import site_project

    root = site_project(tmp_path, hostile)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root,
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr[-3000:]
    site = root / "site"
    for page in ["mechanisms/hostile.html", "agents/evil-agent.html", "trials/evil-trial.html",
                 "patents/CN999999.html", "trials.html", "bibliography.html", "glossary.html",
                 "overview/why-trastuzumab.html", "index.html", "contributing.html"]:
        html = (site / page).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title, (page, title)
        article = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', html, re.S).group(1)
        assert_harmless(article, page)
        if page.startswith("overview/"):
            # Hand-written: glossary text arrives only as the title of an <abbr> built by the atlas,
            # exactly as written, and never as markup.
            tips = abbr_titles(article)
            for term, expansion in GLOSSARY_PAYLOADS + [("EVIL", HOSTILE)]:
                assert tips.get(term) == expansion, (term, tips)
        elif page == "contributing.html":
            assert "alert" not in article, page
        elif page == "index.html":
            # The home page's map names the records: their hostile titles only as escaped text
            # (assert_harmless above finds no live markup), never as a tag.
            assert "&lt;script&gt;" in article and "<script>alert" not in article, page
        else:
            # Generated: Jinja never evaluated contributor text (the site name would appear if {{ config }} had run).
            assert "{{ config }}" in article or "&#123;&#123; config &#125;&#125;" in article, page


def abbr_titles(html: str) -> dict[str, str]:
    """term -> tooltip text of every <abbr> (as a browser reads them: entities decoded)."""

    class Abbrs(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.found: dict[str, str] = {}
            self._title: str | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "abbr":
                self._title = dict(attrs).get("title")

        def handle_data(self, data):
            if self._title is not None:
                self.found[data] = self._title
                self._title = None

    a = Abbrs()
    a.feed(html)
    return a.found


# ---- every field that reaches a hand-written page refuses control characters ----------------
CONTROL_PAYLOADS = ["ok\r<script>alert(1)</script>", "nul\x00<script>", "ls\u2028<script>", "ps\u2029<script>",
                    "vt\x0b<script>", "ff\x0c<script>", "nel\x85<script>", "del\x7f<script>", "esc\x1b[31m"]


def yaml_escaped(s: str) -> str:
    """A YAML double-quoted scalar that spells control characters as escapes."""
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in out) + '"'


@pytest.mark.parametrize("payload", CONTROL_PAYLOADS)
@pytest.mark.parametrize("field", ["term", "expansion"])
def test_glossary_text_with_control_characters_is_refused(project, field, payload):
    from macros.checks import check

    item = {"term": "CRTERM", "expansion": "fine"}
    item[field] = payload
    with open(project / "data/glossary.yaml", "a", encoding="utf-8") as f:
        f.write(f"- term: {yaml_escaped(item['term'])}\n  expansion: {yaml_escaped(item['expansion'])}\n")
    errors = [f.format() for f in check(load(project)).errors]
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"data/glossary.yaml:") and f": [4].{field}: " in errors[0], errors
    assert "is not allowed" in errors[0]
    assert "\n" not in errors[0] and "\r" not in errors[0]


@pytest.mark.parametrize("payload", ["ok\r<script>alert(1)</script>", "nul\x00x", "vt\x0bx"])
@pytest.mark.parametrize("field", ["title", "author", "journal", "year", "note"])
def test_bibtex_text_with_control_characters_is_refused(project, field, payload):
    from macros.checks import check

    fields = {"title": "T", "author": "A, B.", "journal": "J", "year": "2020", "note": "n"}
    fields[field] = payload
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    with open(project / "references.bib", "a", encoding="utf-8", newline="") as f:
        f.write(f"\n@article{{ctrl2020,\n{body}\n}}\n")
    write(project, "docs/overview/open-questions.md", "# Q\n\nCites [@ctrl2020].\n")
    errors = [f.format() for f in check(load(project)).errors]
    assert any(e.startswith("references.bib:") and f"ctrl2020.{field}: control character" in e for e in errors), errors


def render_hand_written_page(eb, page: str, markdown_text: str) -> str:
    """What the build does to a hand-written page, without MkDocs: citations, Markdown, tooltips."""
    import markdown as md

    from macros.site import process_doc_html, process_doc_page

    html = md.markdown(process_doc_page(eb, page, markdown_text), extensions=["attr_list", "tables", "toc"])
    return process_doc_html(eb, html)


@pytest.mark.parametrize("term, expansion", GLOSSARY_PAYLOADS + [("EVIL", HOSTILE), ("EVIL2", HOSTILE_MD)])
def test_glossary_text_on_a_hand_written_page_is_an_attribute_value(project, term, expansion):
    with open(project / "data/glossary.yaml", "a", encoding="utf-8") as f:
        f.write(f"- term: {yq(term)}\n  expansion: {yq(expansion)}\n")
    eb = load(project)
    from macros.checks import check

    assert check(eb).errors == []
    md_term = term.replace("\\", "\\\\")  # the term as Markdown source writes it
    html = render_hand_written_page(eb, "overview/x.md",
                                    f"# {md_term} heading\n\nProse with {md_term}, `{term}` and [{md_term}](../trials.md).\n\n"
                                    f"| a | b |\n| --- | --- |\n| {md_term} | x |\n")
    assert_harmless(html, term)
    # Exactly one tooltip per prose occurrence (paragraph, table cell), none in the heading, code or link.
    assert html.count("<abbr") == 2, html
    assert abbr_titles(html) == {term: expansion}
    assert html.count('<a href="../trials.md">') == 1


@pytest.mark.parametrize("payload", ["a\\\\ <script>alert(1)</script>", "\\u2028<img src=x onerror=alert(2)>",
                                     "\\u2029\\\\textbf{<svg onload=alert(3)>}", '"><script>alert(4)</script>'])
@pytest.mark.parametrize("field", ["title", "author", "journal", "note"])
def test_bibtex_text_on_a_hand_written_page_is_text(project, field, payload):
    """BibTeX text reaches hand-written pages in their reference lists: refused or shown as text."""
    from macros.checks import check

    text = payload.encode().decode("unicode_escape")
    fields = {"title": "T", "author": "A, B.", "journal": "J", "year": "2020", "note": "n"}
    fields[field] = text
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    with open(project / "references.bib", "a", encoding="utf-8") as f:
        f.write(f"\n@article{{hostile2020,\n{body}\n}}\n")
    eb = load(project)
    errors = [f.format() for f in check(eb).errors]
    if errors:  # refused: then the build stops here
        assert all(e.startswith("references.bib:") for e in errors), errors
        return
    html = render_hand_written_page(eb, "overview/x.md", "# X\n\nCites [@hostile2020].\n")
    assert_harmless(html, text)
    assert "alert(" in html  # shown, as text
