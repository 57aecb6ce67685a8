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
    assert {f.field for f in report.warnings} == {"evil2020.url", "evil2020.doi"}


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
    files = downloads(load(hostile))
    assert HOSTILE.encode() in files["downloads/atlas.json"].replace(b"\\u", b"") or b"alert(1)" in files["downloads/atlas.json"]
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
                 "overview/why-trastuzumab.html"]:
        html = (site / page).read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert "<" not in title, (page, title)
        article = re.search(r'<article class="md-content__inner md-typeset">(.*)</article>', html, re.S).group(1)
        assert_harmless(article, page)
        # Jinja never evaluated contributor text: the site name would appear if {{ config }} had run.
        assert "{{ config }}" in article or "&#123;&#123; config &#125;&#125;" in article or page.startswith("overview/")
