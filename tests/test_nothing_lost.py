"""Nothing is lost: what goes in (records, BibTeX entries, evidence items, arms, outcomes, glossary
and timeline items) comes out (pages, rows, bibliography entries, JSON items), on the real
evidence base and on the fixture.

The counts going in are taken from the files with an independent reader (PyYAML's own
loader, a regular expression over the BibTeX), not from the atlas's loader.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import FIXTURE, REPO
from macros.checks import check
from macros.downloads import downloads
from macros.evidence import load
from macros.site import build_pages

KINDS = ("mechanisms", "agents", "trials", "patents")
_ENTRY_RE = re.compile(r"^\s*@(?!string\b|comment\b|preamble\b)[A-Za-z]+\s*\{", re.I | re.M)


def counted_in(root: Path) -> dict:
    records = {k: {p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
                   for p in sorted((root / "data" / k).glob("*.yaml"))} for k in KINDS}
    return {
        "records": {k: sorted(v) for k, v in records.items()},
        "evidence": {rid: len(r.get("evidence", [])) for rid, r in records["mechanisms"].items()},
        "strategies": {rid: len(r.get("strategies", [])) for rid, r in records["mechanisms"].items()},
        "arms": {rid: len(r.get("arms", [])) for rid, r in records["trials"].items()},
        "outcomes": {rid: len(r.get("outcomes", [])) for rid, r in records["trials"].items()},
        "claims": {rid: len(r.get("claims", [])) for rid, r in records["patents"].items()},
        "glossary": len(yaml.safe_load((root / "data/glossary.yaml").read_text(encoding="utf-8"))),
        "timeline": len(yaml.safe_load((root / "data/timeline.yaml").read_text(encoding="utf-8"))),
        "entries": len(_ENTRY_RE.findall((root / "references.bib").read_text(encoding="utf-8"))),
    }


class Children(HTMLParser):
    """Counts the direct children named ``child`` of every element whose class list has ``cls``."""

    def __init__(self, cls: str, child: str):
        super().__init__(convert_charrefs=True)
        self.cls, self.child = cls, child
        self.stack: list[tuple[str, bool]] = []
        self.counts: list[int] = []

    VOID = {"br", "img", "hr", "meta", "link", "input", "wbr"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if self.stack and self.stack[-1][1] and tag == self.child:
            self.counts[-1] += 1
        is_target = self.cls in (dict(attrs).get("class") or "").split()
        if is_target:
            self.counts.append(0)
        self.stack.append((tag, is_target))

    def handle_endtag(self, tag):
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag:
                break


def children(html: str, cls: str, child: str) -> list[int]:
    p = Children(cls, child)
    p.feed(html)
    return p.counts


def section(page: str, title: str) -> str:
    """The HTML under the ``## title`` heading of a generated page ("" when there is none)."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    return m.group(1) if m else ""


def table_rows(html: str) -> int:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return body.count("<tr")


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["real", "fixture"])
def test_nothing_is_lost_between_the_files_and_the_site(root):
    counts = counted_in(root)
    eb = load(root)
    assert check(eb).errors == []
    pages = build_pages(eb)
    atlas = json.loads(downloads(eb)["downloads/atlas.json"])

    # Every record has its page and its JSON item; ids come out as they went in.
    for kind in KINDS:
        ids = counts["records"][kind]
        assert sorted(eb.loaded.records[kind]) == ids, kind
        assert sorted(p[len(kind) + 1:-3] for p in pages if p.startswith(kind + "/") and p != f"{kind}/index.md") == ids
        assert sorted(atlas[kind]) == ids, kind
    # Index pages and tables: one link or row per record.
    for kind, index in (("mechanisms", "mechanisms/index.md"), ("agents", "agents/index.md")):
        linked = set(re.findall(r'href="([a-z0-9][a-z0-9-]*)\.html"', pages[index]))
        assert linked == set(counts["records"][kind]), kind
    assert table_rows(pages["trials.md"]) == len(counts["records"]["trials"])
    assert table_rows(pages["patents.md"]) == len(counts["records"]["patents"])

    # Evidence items and strategies of each mechanism: on its page and in the JSON.
    for mid, n in counts["evidence"].items():
        page = pages[f"mechanisms/{mid}.md"]
        assert children(section(page, "Evidence"), "atlas-evidence", "li") == ([n] if n else []), mid
        assert len(atlas["mechanisms"][mid].get("evidence", [])) == n, mid
        s = counts["strategies"][mid]
        assert children(section(page, "Strategies and agents"), "atlas-strategies", "li") == ([s] if s else []), mid
        assert len(atlas["mechanisms"][mid].get("strategies", [])) == s, mid
    # Arms and outcomes of each trial: rows of its tables, and in the JSON.
    for tid in counts["records"]["trials"]:
        page = pages[f"trials/{tid}.md"]
        assert table_rows(section(page, "Arms")) == counts["arms"][tid], tid
        assert table_rows(section(page, "Outcomes")) == counts["outcomes"][tid], tid
        assert len(atlas["trials"][tid].get("arms", [])) == counts["arms"][tid], tid
        assert len(atlas["trials"][tid].get("outcomes", [])) == counts["outcomes"][tid], tid
    for pid, n in counts["claims"].items():
        assert children(pages[f"patents/{pid}.md"], "atlas-claims", "li") == [n], pid
    # Glossary, timeline, bibliography.
    assert table_rows(pages["glossary.md"]) == counts["glossary"] == len(atlas["glossary"])
    assert children(pages["timeline.md"], "atlas-timeline", "li") == [counts["timeline"]]
    assert len(atlas["timeline"]) == counts["timeline"]
    assert counts["entries"] == len(eb.bib)
    assert children(pages["bibliography.md"], "atlas-bibliography", "li") == [counts["entries"]]
