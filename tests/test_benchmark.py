"""The build benchmark (`make bench`) cannot rot silently: its generator, floor and runner work at a tiny scale.

The benchmark's timings are never asserted; what is asserted is that the synthetic evidence
base follows the data contract (the check passes with nothing to report), that the atlas and
its floor build the same pages, and that every part of the runner still runs.
"""
from __future__ import annotations

import filecmp
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "tests" / "benchmarks"))

import bench  # noqa: E402
import synthetic  # noqa: E402

TINY = 0.1


def test_generator_is_seeded_and_follows_the_contract(tmp_path):
    a, counts = synthetic.project(tmp_path / "a", TINY)
    b, _ = synthetic.project(tmp_path / "b", TINY)
    c, _ = synthetic.project(tmp_path / "c", TINY, seed=14)
    cmp = filecmp.dircmp(a / "data", b / "data")
    assert not cmp.diff_files and not cmp.left_only and not cmp.right_only
    assert (a / "references.bib").read_bytes() == (b / "references.bib").read_bytes()
    assert (a / "references.bib").read_bytes() != (c / "references.bib").read_bytes()

    assert counts == synthetic.counts_at(TINY)
    assert synthetic.counts_at(1) == {"mechanisms": 30, "agents": 40, "trials": 25, "patents": 12,
                                      "references": 231, "glossary": 40, "timeline": 20}
    assert synthetic.counts_at(10)["trials"] == 250 and synthetic.counts_at(40)["trials"] == 1000
    for kind in ("mechanisms", "agents", "trials", "patents"):
        assert len(list((a / "data" / kind).glob("*.yaml"))) == counts[kind]

    result = subprocess.run([sys.executable, "-m", "macros", "check", "--strict"], cwd=a, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout

    sys.path.insert(0, str(a))
    from macros.evidence import load

    eb = load(a)
    # What the benchmark must exercise: citations, outcomes, cross-links both ways, glossary, timeline, LaTeX.
    assert all(t.outcomes and t.mechanisms and t.arms for t in eb.trials.values())
    assert any(eb.links.of("mechanisms", m, "trials") for m in eb.mechanisms)
    assert any(eb.links.of("agents", a, "mechanisms") for a in eb.agents)
    assert all(p.mechanisms and p.agents for p in eb.patents.values())
    assert len(eb.timeline) == counts["timeline"] and len({t.term for t in eb.glossary}) == counts["glossary"]
    prose = " ".join(m.summary for m in eb.mechanisms.values())
    assert "[@" in prose and any(re.search(rf"\b{re.escape(t.term)}\b", prose) for t in eb.glossary)
    assert any("\\" in r.raw.get("author", "") for r in eb.bib.references.values())


class _Main(HTMLParser):
    """The text of a page's <article> (what the page says, without the navigation)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "article" or self.depth:
            self.depth += 1
            self.parts.append(f"<{tag} {sorted(attrs)}>")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1
            self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def article(path: Path) -> str:
    p = _Main()
    p.feed(path.read_text(encoding="utf-8"))
    return "".join(p.parts)


def without_tooltips(text: str) -> str:
    """``article()`` text with each glossary tooltip reduced to its word."""
    return re.sub(r"<abbr \[\('title', [^\]]*\)\]>(.*?)</abbr>", r"\1", text)


def test_benchmark_runs_end_to_end_and_the_floor_has_the_atlas_pages(tmp_path):
    work, report = tmp_path / "work", tmp_path / "results.json"
    # Its own process, as `make bench` runs it (and Playwright's sync API wants no other session running).
    run = subprocess.run([sys.executable, str(Path(bench.__file__)), "--scales", f"{TINY}", "--reps", "1",
                          "--work", str(work), "--json", str(report)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    assert "atlas/floor" in run.stdout and "trial table in Chromium" in run.stdout and "editor's loop" in run.stdout
    results = json.loads(report.read_text(encoding="utf-8"))

    row = results["scales"][0]
    assert row["pages"] > 20 and row["atlas_s"] > 0 and row["floor_s"] > 0 and row["check_s"] > 0
    assert row["atlas_cpu_s"] > 0 and row["cpu_ratio"] == row["atlas_cpu_s"] / row["floor_cpu_s"]
    assert re.search(r"targets at 0\.1x: (all met|not met: )", run.stdout)
    assert re.search(r"beyond a one-word change: sort -?[\d.]+ frames, filter -?[\d.]+ frames "
                     r"\(target: a frame or two\): (met|not met)$", run.stdout, re.M)
    assert re.search(r"\(target: under 1\.5x\): (met|not met)$", run.stdout, re.M)
    assert results["table"]["rows"] == synthetic.counts_at(TINY)["trials"]
    assert results["serve"]["atlas_s"] > 0 and results["serve"]["floor_s"] > 0
    assert len(results["serve"]["atlas_all"]) == len(results["serve"]["floor_all"]) == 1

    atlas_site, floor_site = work / f"atlas-{TINY:g}x" / "site", work / f"floor-{TINY:g}x" / "site"
    pages = sorted(p.relative_to(atlas_site) for p in atlas_site.rglob("*.html"))
    assert pages == sorted(p.relative_to(floor_site) for p in floor_site.rglob("*.html"))
    # The floor builds the atlas's final pages: the content of every page is the same, except the
    # glossary tooltips the atlas adds to hand-written pages in their HTML, after Markdown (the floor,
    # with no hook, has no way to add them, so the atlas's figures carry that cost alone).
    different = [str(p) for p in pages if without_tooltips(article(atlas_site / p)) != without_tooltips(article(floor_site / p))]
    assert not different, f"pages whose content differs between the atlas and its floor: {different[:5]}"
    # The floor configuration has no hook, no macros plugin and no data watch.
    floor_cfg = (work / f"floor-{TINY:g}x" / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks" not in floor_cfg and "macros" not in floor_cfg and "watch" not in floor_cfg


def test_report_judges_the_table_and_the_editors_loop_against_their_targets(capsys):
    table = {"rows": 1000, "page_rows": 30, "reps": 5, "sort_script_ms": 3, "filter_script_ms": 11,
             "search_ms": 23, "search_script_ms": 5, "one_word_ms": 20}
    bench.print_table({**table, "sort_ms": 20 + 2 * bench.FRAME_MS, "filter_ms": 40}, 40)
    bench.print_table({**table, "sort_ms": 20 + 2.5 * bench.FRAME_MS, "filter_ms": 40}, 40)
    bench.print_serve({"reps": 3, "atlas_s": 14.9, "floor_s": 10.0}, 10)
    bench.print_serve({"reps": 3, "atlas_s": 15.0, "floor_s": 10.0}, 10)
    verdicts = re.findall(r"\): (met|not met)$", capsys.readouterr().out, re.M)
    assert verdicts == ["met", "not met", "met", "not met"]


@pytest.mark.parametrize("value", ["Ocañа", "plain title, no LaTeX", "628--638", "a---b----c", "{HER2}-positive",
                                   "{a}--{b}", "M{\\\"u}ller", "Oca{\\~n}a", "TNF$\\alpha$", "x ~ y", "?`Que?",
                                   "``quoted''", "50% off", "A & B", "a{-}-b", "  spaced\n out  "])
def test_latex_short_paths_give_what_pylatexenc_gives(value):
    from macros import bibliography

    decoder, _ = bibliography.latex_decoder()
    slow = " ".join(decoder.latex_to_text(value).split())  # pylatexenc with its own table of macros
    assert bibliography.latex_to_text(value) == slow


def test_glossary_trie_matches_longest_term_first():
    from macros.glossary import Abbreviations

    abbr = Abbreviations({"HER": "a", "HER2": "b", "HER2-low": "c", "T-DM1": "d", "L+C": "e", "A&B": "f"})
    out = abbr("HER2 and HER2-low, HER, HER3, T-DM1x, T-DM1, L+C, A&amp;B, xHER2")
    titles = re.findall(r'<abbr title="(\w)">([^<]*)</abbr>', out)
    assert titles == [("b", "HER2"), ("c", "HER2-low"), ("a", "HER"), ("d", "T-DM1"), ("e", "L+C"), ("f", "A&amp;B")]
