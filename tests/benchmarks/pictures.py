"""Benchmark: what drawing the pictures costs against a full build (not a test).

    .venv/bin/python tests/benchmarks/pictures.py [--scale 1,10] [--repeat 3]

For each scale (1 = the real evidence base; 10 = every trial, mechanism, agent and patent copied
ten times under new ids), times every picture the site draws (outcome charts, median-PFS
overview, evidence strips, mechanism maps for the home page and the index, timeline) and a full
`mkdocs build --strict` of the same data, and prints the pictures' share of the build. The
target is at most 5 %. Best of ``--repeat`` runs for the pictures; one build per scale.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from macros.charts import evidence_strip, outcome_chart, pfs_overview  # noqa: E402
from macros.evidence import load  # noqa: E402
from macros.mechanism_map import mechanism_map  # noqa: E402
from macros.mechanisms import CATEGORY_LABELS  # noqa: E402
from macros.page import record_label  # noqa: E402
from macros.timeline_chart import timeline_chart  # noqa: E402


def project(tmp: Path, scale: int) -> Path:
    """A copy of the project; at scale > 1 each record is copied (scale - 1) more times under new ids."""
    root = tmp / "atlas"
    root.mkdir()
    for name in ("mkdocs.yml", "references.bib", "macros", "overrides", "docs", "data"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    if scale > 1:
        for k in ("mechanisms", "agents", "trials", "patents"):
            for path in sorted((root / "data" / k).glob("*.yaml")):
                text = path.read_text(encoding="utf-8")  # the copies link to the originals
                for i in range(2, scale + 1):
                    new_id = f"{path.stem}-x{i}" if k in ("mechanisms", "agents") else _other_id(path.stem, i)
                    (path.parent / f"{new_id}.yaml").write_text(text, encoding="utf-8")
    return root


def _other_id(rid: str, i: int) -> str:
    if rid.startswith("NCT"):
        return f"NCT{i:02d}{rid[5:]}"
    if rid[:2] in ("CN", "WO", "US", "EP"):
        return f"{rid[:2]}{i}{rid[2:]}"
    return f"{rid}-x{i}"


def draw_all(eb) -> int:
    """Every picture of the site; returns the total size in bytes."""
    out = []
    for tid, t in eb.trials.items():
        out.append(outcome_chart(record_label(eb, "trials", tid), t))
    out.append(pfs_overview(eb.trials, {tid: record_label(eb, "trials", tid) for tid in eb.trials}, "trials.md"))
    for m in eb.mechanisms.values():
        out.append(evidence_strip(m.title, m))
    out.append(mechanism_map(eb, "index.md", CATEGORY_LABELS))
    out.append(mechanism_map(eb, "mechanisms/index.md", CATEGORY_LABELS))
    out.append(timeline_chart(eb.timeline, "timeline.md"))
    return sum(len(s.encode()) for s in out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="1,10")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"{'scale':>5} {'records':>8} {'pictures s':>11} {'KB':>7} {'build s':>8} {'share':>7}")
    for scale in [int(s) for s in a.scale.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            root = project(Path(tmp), scale)
            eb = load(root)
            eb.links  # computed once per build anyway; not a cost of the pictures
            best, size = float("inf"), 0
            for _ in range(a.repeat):
                t0 = time.perf_counter()
                size = draw_all(eb)
                best = min(best, time.perf_counter() - t0)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, check=True,
                           env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
            build = time.perf_counter() - t0
            n = sum(eb.counts()[k] for k in ("mechanisms", "agents", "trials", "patents"))
            print(f"{scale:>5} {n:>8} {best:>11.3f} {size / 1024:>7.0f} {build:>8.1f} {best / build:>7.1%}")


if __name__ == "__main__":
    main()
