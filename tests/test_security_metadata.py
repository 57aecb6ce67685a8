"""Hostile contributor text in descriptions, Open Graph tags, JSON-LD and the search lookup stays text:
it cannot close the <script> element that carries the JSON-LD, leave an attribute, or add markup."""
from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import site_project, write

HOSTILE = ('</script><script>alert(1)</script>"><img src=x onerror=alert(2)> <!-- & \u2028\u2029 '
           "{{ config }} </SCRIPT > ]]>")
# One-line fields (names, titles, labels) refuse U+2028/U+2029 (see test_hostile); Markdown fields take them.
ONE_LINE = HOSTILE.replace("\u2028", "").replace("\u2029", "")
ENV = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
       "ATLAS_SITE_URL": "https://example.org/atlas/"}


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            a, body = self.scripts[-1]
            self.scripts[-1] = (a, body + data)


def parse(path: Path) -> Elements:
    p = Elements()
    p.feed(path.read_text(encoding="utf-8"))
    return p


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = site_project(tmp_path_factory.mktemp("hostile-meta"))
    q, line = json.dumps(HOSTILE), json.dumps(ONE_LINE)
    write(root, "data/agents/evil-agent.yaml", f"name: {line}\naliases: [{line}]\nclass: other\nsummary: {q}\n")
    write(root, "data/trials/NCT99999999.yaml",
          f"acronym: {line}\ntitle: {line}\nphase: II\nconditions: [{line}]\narms:\n  - label: A\n    agents: [evil-agent]\n"
          f"summary: {q}\nrefs: [scaltriti2007expression]\n")
    # A hand-written page whose front matter tries to set the description and the JSON-LD.
    page = (root / "docs" / "overview" / "open-questions.md")
    body = page.read_text(encoding="utf-8").split("---\n", 2)[-1]
    page.write_text(f"---\ndescription: {q}\njson_ld: {q}\n---\n{body}", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=root,
                            capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr[-4000:]
    return root / "site"


def no_injection(el: Elements, where: str) -> None:
    assert not any(t == "img" for t, _ in el.tags), f"{where}: an <img> was injected"
    assert not any(k.startswith("on") for _, a in el.tags for k in a), f"{where}: an event handler attribute"
    for attrs, body in el.scripts:
        if attrs.get("type") == "application/ld+json":
            json.loads(body)  # the whole element body is one JSON document
        else:
            assert "alert(" not in body, f"{where}: hostile text ran as a script: {body[:200]!r}"


@pytest.mark.parametrize("page", ["agents/evil-agent.html", "trials/NCT99999999.html"])
def test_record_metadata_keeps_hostile_text_as_text(hostile_site, page):
    el = parse(hostile_site / page)
    no_injection(el, page)
    metas = {a.get("name") or a.get("property"): a.get("content") for t, a in el.tags if t == "meta"}
    assert metas["description"].startswith(HOSTILE.split("\u2028")[0].split("<!--")[0][:20])
    assert metas["og:description"] == metas["description"]
    ld = [json.loads(body) for a, body in el.scripts if a.get("type") == "application/ld+json"]
    assert len(ld) == 1
    assert ld[0]["name"] == ONE_LINE
    raw = (hostile_site / page).read_text(encoding="utf-8")
    start = raw.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    body = raw[start:raw.index("</script>", start)]
    assert json.loads(body) == ld[0], "the JSON-LD element ends before its JSON does"
    for bad in ("<", ">", "\u2028", "\u2029"):
        assert bad not in body


def test_hand_written_front_matter_cannot_set_json_ld_or_break_the_description(hostile_site):
    page = "overview/open-questions.html"
    el = parse(hostile_site / page)
    no_injection(el, page)
    assert not [a for a, _ in el.scripts if a.get("type") == "application/ld+json"]
    metas = {a.get("name") or a.get("property"): a.get("content") for t, a in el.tags if t == "meta"}
    assert metas["description"] == " ".join(HOSTILE.split())  # as written, whitespace collapsed
    assert metas["og:description"] == metas["description"]


def test_search_lookup_keeps_hostile_text_inside_its_string(hostile_site):
    text = (hostile_site / "search" / "exact-index.js").read_text(encoding="utf-8")
    for bad in ("</script", "<!--", "\u2028", "\u2029"):
        assert bad not in text
    data = json.loads(text[text.index("=") + 1:].strip().rstrip(";"))
    assert any(label == ONE_LINE for _, label, _ in data["records"])
