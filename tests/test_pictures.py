"""Pictures drawn at build time (inline SVG): golden files, determinism, honesty about values,
accessible names, links, sizes, and no two labels overlapping (computed from the SVG itself).

Golden files under tests/golden/pictures hold each SVG of the fixture with one element per line
(the SVG itself is one line); update them on purpose with ATLAS_UPDATE_GOLDEN=1 and read the diff.
"""
from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace
from typing import get_args

import pytest

from conftest import FIXTURE, REPO
from macros.charts import evidence_counts, evidence_strip, outcome_chart, pfs_overview
from macros.evidence import load
from macros.mechanism_map import MAX_ROWS, mechanism_map
from macros.mechanisms import CATEGORY_LABELS
from macros.model import Agent, Arm, Direction, Evidence, EvidenceModel, Mechanism, MechanismCategory, Outcome, Trial
from macros.page import record_label
from macros.site import build_pages
from macros.svg import text_width
from macros.timeline_chart import timeline_chart

GOLDEN = Path(__file__).parent / "golden" / "pictures"
NS = "{http://www.w3.org/2000/svg}"
SVG_RE = re.compile(r"<svg .*?</svg>", re.S)


# ---- helpers ----------------------------------------------------------------------------------
def svgs(html: str) -> list[str]:
    return SVG_RE.findall(html)


def one_svg(html: str) -> str:
    found = svgs(html)
    assert len(found) == 1, f"expected one picture, found {len(found)}"
    return found[0]


def label_boxes(svg: str) -> list[tuple[float, float, float, float, str]]:
    """Every line of text as a box (x0, y0, x1, y1, text), from the SVG's own coordinates, font size
    and weight and the layout's text metrics (``svg.text_width``); ascent .8 and descent .22 em."""
    root = ET.fromstring(svg)
    boxes = []
    for t in root.iter(f"{NS}text"):
        size = float(t.get("font-size"))
        bold = t.get("font-weight") == "700"
        anchor = t.get("text-anchor", "start")
        for part in list(t.iter(f"{NS}tspan")) or [t]:
            s = part.text or ""
            x, y = float(part.get("x")), float(part.get("y"))
            w = text_width(s, size, bold)
            x0 = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
            boxes.append((x0, y - 0.8 * size, x0 + w, y + 0.22 * size, s))
    return boxes


def overlapping(boxes) -> list[tuple[str, str]]:
    """Pairs of boxes that overlap (a sweep over y, so that thousands of labels stay cheap)."""
    out = []
    boxes = sorted(boxes, key=lambda b: b[1])
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if b[1] >= a[3]:
                break
            if a[0] < b[2] and b[0] < a[2]:
                out.append((a[4], b[4]))
    return out


def outside(svg: str, boxes) -> list[str]:
    root = ET.fromstring(svg)
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    return [b[4] for b in boxes if b[0] < -0.5 or b[2] > w + 0.5 or b[1] < -0.5 or b[3] > h + 0.5]


def assert_readable(svg: str, what: str) -> None:
    boxes = label_boxes(svg)
    assert boxes, f"{what}: no labels"
    pairs = overlapping(boxes)
    assert not pairs, f"{what}: {len(pairs)} overlapping label pair(s), e.g. {pairs[:5]}"
    out = outside(svg, boxes)
    assert not out, f"{what}: labels outside the picture: {out[:5]}"


def assert_named(svg: str, what: str) -> None:
    """role img (no links) or group (links inside), named and described by its own title and desc."""
    root = ET.fromstring(svg)
    has_links = root.find(f".//{NS}a") is not None
    assert root.get("role") == ("group" if has_links else "img"), f"{what}: role {root.get('role')!r}"
    ids = root.get("aria-labelledby", "").split()
    assert len(ids) == 2, f"{what}: aria-labelledby {ids}"
    texts = {el.get("id"): "".join(el.itertext()).strip() for el in root.iter() if el.get("id")}
    assert all(texts.get(i) for i in ids), f"{what}: aria-labelledby points at missing or empty elements"


def formatted(svg: str) -> str:
    """One element per line, for reading golden files (the SVG itself has no newline)."""
    assert "\n" not in svg
    return svg.replace("><", ">\n<") + "\n"


def resolve(from_page: str, url: str) -> tuple[str, str]:
    """A relative link from page ``from_page`` (source path) -> (target source path, anchor)."""
    assert not re.match(r"^[a-z]+:|^/", url), f"not a relative link: {url}"
    path, _, anchor = url.partition("#")
    target = posixpath.normpath(posixpath.join(posixpath.dirname(from_page), path))
    return (target[:-5] + ".md" if target.endswith(".html") else target), anchor


# ---- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fixture_eb():
    return load(FIXTURE)


@pytest.fixture(scope="module")
def fixture_pages(fixture_eb):
    return build_pages(fixture_eb)


@pytest.fixture(scope="module")
def real_eb():
    return load(REPO)


@pytest.fixture(scope="module")
def real_pages(real_eb):
    return build_pages(real_eb)


def synthetic_atlas(n_mechanisms: int):
    """An evidence base stand-in with ``n_mechanisms`` mechanisms over every category, long titles,
    and up to 24 agents each (names of many lengths): what the map reads, nothing more."""
    cats = get_args(MechanismCategory)
    agents = {f"agent-{i}": Agent(name=f"Agent {i}" + " with a long name" * (i % 3) + f" {'X' * (i % 7)}",
                                  **{"class": "other"}) for i in range(150)}
    mechanisms, mech_agents = {}, {}
    for i in range(n_mechanisms):
        mid = f"mech-{i:03d}"
        title = f"Synthetic mechanism {i}" + " with a deliberately long descriptive title" * (i % 4)
        mechanisms[mid] = Mechanism(title=title, category=cats[(i * 7) % len(cats)], summary="s")
        mech_agents[mid] = sorted(f"agent-{(i * 13 + k * 11) % 150}" for k in range(i % 25))
    return SimpleNamespace(mechanisms=mechanisms, agents=agents, links=SimpleNamespace(of=lambda kind, rid, other: mech_agents.get(rid, []) if (kind, other) == ("mechanisms", "agents") else []))


# ---- golden files -----------------------------------------------------------------------------
GOLDEN_PICTURES = {
    "outcomes__NCT00000001.svg": ("trials/NCT00000001.md", 0),
    "outcomes__beta-study.svg": ("trials/beta-study.md", 0),
    "pfs-overview.svg": ("trials.md", 0),
    "mechanism-map.svg": ("mechanisms/index.md", 0),
    "evidence__p95her2.svg": ("mechanisms/p95her2.md", 0),
    "evidence__adcc-failure.svg": ("mechanisms/adcc-failure.md", 0),
    "timeline.svg": ("timeline.md", 0),
}


@pytest.mark.parametrize("name", sorted(GOLDEN_PICTURES))
def test_picture_matches_golden_file(fixture_pages, name):
    page, index = GOLDEN_PICTURES[name]
    svg = formatted(svgs(fixture_pages[page])[index])
    golden = GOLDEN / name
    if os.environ.get("ATLAS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(svg, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}"
    assert svg == golden.read_text(encoding="utf-8")


def test_pictures_are_byte_identical_across_builds(fixture_pages):
    again = build_pages(load(FIXTURE))
    for page, html in fixture_pages.items():
        assert svgs(html) == svgs(again[page]), page
    big = synthetic_atlas(300)
    assert mechanism_map(big, "index.md", CATEGORY_LABELS) == mechanism_map(synthetic_atlas(300), "index.md", CATEGORY_LABELS)


# ---- where the pictures are -------------------------------------------------------------------
def test_every_page_kind_has_its_picture(real_eb, real_pages):
    for tid, t in real_eb.trials.items():
        expected = 1 if any(o.values for o in t.outcomes) else 0
        assert len(svgs(real_pages[f"trials/{tid}.md"])) == expected, tid
    for mid, m in real_eb.mechanisms.items():
        assert len(svgs(real_pages[f"mechanisms/{mid}.md"])) == (1 if m.evidence else 0), mid
    assert len(svgs(real_pages["mechanisms/index.md"])) == 1
    assert len(svgs(real_pages["timeline.md"])) == 1
    assert 'id="pfs-chart"' in real_pages["trials.md"]
    # The home page is hand-written: it calls the macro, which draws the same map.
    assert "{{ mechanism_map() }}" in (REPO / "docs" / "index.md").read_text(encoding="utf-8")


def test_pictures_have_names_and_readable_labels(real_pages):
    count = 0
    for page, html in sorted(real_pages.items()):
        for svg in svgs(html):
            assert_named(svg, page)
            assert_readable(svg, page)
            count += 1
    assert count > 40


def test_picture_links_resolve(real_eb, real_pages):
    docs = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs").rglob("*.md")}
    for page, html in sorted(real_pages.items()):
        for svg in svgs(html):
            for a in ET.fromstring(svg).iter(f"{NS}a"):
                target, anchor = resolve(page, a.get("href"))
                assert target in real_pages or target in docs, (page, a.get("href"))
                if anchor.startswith("bib-"):
                    assert anchor[4:] in real_eb.bib.references, (page, anchor)
                elif anchor:
                    assert "{#" + anchor + "}" in real_pages[target] or f"## {anchor.replace('-', ' ').capitalize()}" \
                        in real_pages[target], (page, a.get("href"))


def test_sizes_at_real_scale(real_eb, real_pages):
    for tid in real_eb.trials:
        for svg in svgs(real_pages[f"trials/{tid}.md"]):
            assert len(svg.encode()) < 20_000, (tid, len(svg.encode()))
    (svg,) = svgs(real_pages["mechanisms/index.md"])
    assert len(svg.encode()) < 200_000


# ---- the mechanism map --------------------------------------------------------------------------
def test_map_links_every_category_mechanism_and_agent(real_eb):
    svg = one_svg(mechanism_map(real_eb, "index.md", CATEGORY_LABELS))
    hrefs = [a.get("href") for a in ET.fromstring(svg).iter(f"{NS}a")]
    assert len(real_eb.mechanisms) <= MAX_ROWS  # the real atlas is drawn whole
    for mid in real_eb.mechanisms:
        assert f"mechanisms/{mid}.html" in hrefs, mid
    for cat in {m.category for m in real_eb.mechanisms.values()}:
        assert f"mechanisms/index.html#cat-{cat}" in hrefs, cat
    named = {a for mid in real_eb.mechanisms for a in real_eb.links.of("mechanisms", mid, "agents")}
    shown = {h[len("agents/"):-5] for h in hrefs if h.startswith("agents/")}
    more = [h for h in hrefs if h.endswith("#strategies-and-agents")]
    assert shown <= named and (shown == named or more)


def test_map_stays_readable_at_300_mechanisms():
    big = synthetic_atlas(300)
    html = mechanism_map(big, "mechanisms/index.md", CATEGORY_LABELS)
    svg = one_svg(html)
    assert_readable(svg, "map of 300 mechanisms")
    assert_named(svg, "map of 300 mechanisms")
    root = ET.fromstring(svg)
    links = [a.get("href") for a in root.iter(f"{NS}a")]
    rows = [h for h in links if re.fullmatch(r"mech-\d+\.html", h)]
    assert len(rows) <= MAX_ROWS, "the map at scale collapses categories"
    hidden = sum(int(re.match(r"\+(\d+) more mechanisms", "".join(t.itertext())).group(1))
                 for t in root.iter(f"{NS}text") if "more mechanisms" in "".join(t.itertext()))
    assert len(rows) + hidden == 300, "every mechanism is drawn or counted in a '+N more' link"
    # Every mechanism still reachable from the list beside the picture.
    assert all(f'href="mech-{i:03d}.html"' in html for i in range(300))


def test_map_of_25_mechanisms_shows_all_rows():
    svg = one_svg(mechanism_map(synthetic_atlas(25), "index.md", CATEGORY_LABELS))
    assert_readable(svg, "map of 25 mechanisms")
    assert "more mechanisms" not in svg
    assert len(re.findall(r'href="mechanisms/mech-\d+\.html"', svg)) == 25


# ---- outcome charts: honest about values ---------------------------------------------------------
def _trial(values: dict, unit: str | None = "months", hr=None, p=None) -> Trial:
    arms = [Arm(label=k, role="experimental" if i == 0 else "comparator") for i, k in enumerate(values)]
    return Trial(title="T", arms=arms, refs=["k"],
                 outcomes=[Outcome(endpoint="OS", unit=unit, values=values, hr=hr, p=p, refs=["k"])])


def test_qualified_values_are_drawn_as_reported_never_as_numbers():
    svg = one_svg(outcome_chart("T", _trial({"A": ">51", "B": 12.5, "C": "not reached"}, hr=0.61, p="<0.001")))
    root = ET.fromstring(svg)
    bars = [r for r in root.iter(f"{NS}rect") if "atlas-bar" in r.get("class", "")]
    assert len(bars) == 1, "only the numeric value has a bar"
    marks = [p for p in root.iter(f"{NS}path") if p.get("class") == "atlas-qualified-mark"]
    assert len(marks) == 2
    texts = ["".join(t.itertext()) for t in root.iter(f"{NS}text")]
    assert ">51 months (as reported)" in texts and "not reached (as reported)" in texts
    assert "12.5 months" in texts and "HR 0.61 · p < 0.001" in texts
    assert "months" in texts, "the axis names its unit"
    assert_readable(svg, "qualified values")


def test_outcome_axis_is_labelled_with_its_unit():
    svg = one_svg(outcome_chart("T", _trial({"A": 33.1, "B": 12.3}, unit="percent")))
    ticks = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{NS}text") if t.get("class") == "atlas-tick"]
    assert ticks == ["0%", "20%", "40%", "60%", "80%", "100%"]


def test_outcome_chart_absent_without_values():
    t = Trial(title="T", refs=["k"], outcomes=[Outcome(endpoint="OS", hr=0.7, refs=["k"])])
    assert outcome_chart("T", t) == ""


def test_pfs_overview_pairs_arms_one_unit_per_chart_and_lists_the_rest(real_eb, real_pages):
    html = real_pages["trials.md"]
    charts = svgs(html)
    titles = [ET.fromstring(s).find(f"{NS}title").text for s in charts]
    assert titles[0] == "Median progression-free survival in months, arm by arm, per trial"
    assert len(set(titles)) == len(titles)
    charted = set(re.findall(r'href="trials/([^"#]+)\.html"', "".join(charts)))
    listed = set(re.findall(r'href="trials/([^"#]+)\.html"', html.split('class="atlas-chart-missing"', 1)[1]))
    assert charted | listed == set(real_eb.trials) and not charted & listed
    for tid in charted:
        pfs = [o for o in real_eb.trials[tid].outcomes if o.endpoint == "PFS" and not o.subgroup and o.values]
        assert pfs, f"{tid} is charted without a whole-population PFS figure"


def test_pfs_overview_draws_qualified_values_as_markers():
    trials = {"t1": _trial({"A": "not reached", "B": 4.0})}
    trials["t1"] = trials["t1"].model_copy(update={"outcomes": [Outcome(endpoint="PFS", unit="months",
                                                                          values={"A": "not reached", "B": 4.0}, refs=["k"])]})
    svg = one_svg(pfs_overview(trials, {"t1": "T1"}, "trials.md"))
    root = ET.fromstring(svg)
    assert len([r for r in root.iter(f"{NS}rect") if r.get("class") == "atlas-bar atlas-bar--comparator"
                and float(r.get("y")) > 20]) == 1  # below the legend
    assert not [r for r in root.iter(f"{NS}rect") if r.get("class") == "atlas-bar atlas-bar--experimental"
                and float(r.get("y")) > 20], "no bar for 'not reached'"
    assert "not reached (as reported)" in ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


# ---- evidence strip ----------------------------------------------------------------------------
def test_evidence_strip_counts_every_model_and_direction():
    ev = [Evidence(claim="c", model="cell-line", direction="resistance", refs=["k"]),
          Evidence(claim="c", model="cell-line", refs=["k"]),
          Evidence(claim="c", direction="sensitivity", refs=["k"])]
    m = Mechanism(title="M", category="other", summary="s", evidence=ev)
    models, directions = evidence_counts(m)
    assert [v for v, _ in models] == [*get_args(EvidenceModel), "not stated"]
    assert [v for v, _ in directions] == [*get_args(Direction), "not stated"]
    assert dict(models)["cell-line"] == 2 and dict(models)["not stated"] == 1
    assert dict(directions) == {"resistance": 1, "sensitivity": 1, "neutral": 0, "not stated": 1}
    svg = one_svg(evidence_strip("M", m))
    texts = ["".join(t.itertext()) for t in ET.fromstring(svg).iter(f"{NS}text")]
    for v, c in models + directions:
        i = texts.index(v.replace("-", " "), 0 if (v, c) in models else texts.index("By direction"))
        assert texts[i + 1] == str(c), (v, texts[i + 1])
    assert_readable(svg, "evidence strip")


# ---- timeline ------------------------------------------------------------------------------------
def test_timeline_picture_places_events_in_date_order(real_eb):
    svg = one_svg(timeline_chart(real_eb.timeline, "timeline.md"))
    root = ET.fromstring(svg)
    dots = [float(c.get("cy")) for c in root.iter(f"{NS}circle")]
    assert len(dots) == len(real_eb.timeline)
    assert dots == sorted(dots) and len(set(dots)) == len(dots)
    assert all(a.get("href").startswith("bibliography.html#bib-") for a in root.iter(f"{NS}a"))
    assert_readable(svg, "timeline")


def test_record_labels_reach_the_overview(fixture_eb):
    labels = {tid: record_label(fixture_eb, "trials", tid) for tid in fixture_eb.trials}
    html = pfs_overview(fixture_eb.trials, labels, "trials.md")
    assert "ALPHA (NCT00000001)" in html and "beta-study.html" in html  # charted, and listed without PFS
