"""Benchmark: how build time and output size grow with the evidence base (not a test).

    .venv/bin/python tests/benchmarks/build_scale.py [--sizes 50,200,800]

Makes synthetic evidence bases by repeating the fixture's trials and mechanisms, then
times the core (evidence base -> pages) and the full `mkdocs build --strict`, in one run.
It prints ratios against the smallest size: shared machines are noisy, so compare ratios
from the same run rather than absolute times across runs.
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
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))

from conftest import site_project  # noqa: E402
from macros.evidence import load  # noqa: E402
from macros.site import build_pages  # noqa: E402


def grow(root: Path, n: int) -> None:
    """n extra trials and n // 4 extra mechanisms, cross-linked like the real ones."""
    trial = (root / "data/trials/NCT00000001.yaml").read_text()
    mech = (root / "data/mechanisms/adcc-failure.yaml").read_text()
    for i in range(n):
        (root / f"data/trials/NCT9{i:07d}.yaml").write_text(trial.replace("ALPHA", f"BENCH-{i}"))
    for i in range(n // 4):
        (root / f"data/mechanisms/bench-{i}.yaml").write_text(mech.replace("Failure to trigger ADCC", f"Bench {i}"))


def size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="50,200,800")
    sizes = [int(s) for s in ap.parse_args().sizes.split(",")]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = site_project(Path(tmp))
            grow(root, n)
            t0 = time.perf_counter()
            pages = build_pages(load(root))
            core = time.perf_counter() - t0
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q"], cwd=root, check=True,
                           env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"})
            full = time.perf_counter() - t0
            rows.append((n, len(pages), core, full, size(root / "site")))
            shutil.rmtree(root / "site")
    base = rows[0]
    print(f"{'extra trials':>12} {'pages':>6} {'core s':>7} {'build s':>8} {'site MB':>8}  ratios vs first: pages, build, size")
    for n, pages, core, full, nbytes in rows:
        print(f"{n:>12} {pages:>6} {core:>7.2f} {full:>8.2f} {nbytes / 1e6:>8.1f}  "
              f"{pages / base[1]:.1f}x, {full / base[3]:.1f}x, {nbytes / base[4]:.1f}x")


if __name__ == "__main__":
    main()
