"""The build benchmark: the atlas against its floor (plain MkDocs + Material on the same pages).

    .venv/bin/python tests/benchmarks/bench.py                  # 1x, 10x, 40x; 3 repetitions
    .venv/bin/python tests/benchmarks/bench.py --scales 1       # quick: 1x only
    .venv/bin/python tests/benchmarks/bench.py --reps 1 --no-serve --no-browser

For each scale a seeded synthetic evidence base (``synthetic.py``) is generated and its floor
project made (``floor.py``). Then the builds run interleaved: repetition -> scale -> variant,
the variants' order rotating, so that drift of a shared machine hits every variant alike.
Variants: ``atlas`` (``mkdocs build --strict`` with hook and macros plugin), ``floor``
(``mkdocs build --strict`` of the final pages, no hook, no plugin, no data work) and ``check``
(``python -m macros check`` alone). Each runs as its own process; wall time from start to
exit, and from ``os.wait4`` its CPU time (user + system) and peak RSS. The CPU ratio is the
steadier one on a shared machine: another process's load stretches wall time, not CPU time.

It prints, per scale: median wall times, atlas / floor (wall and CPU), peak RSS and its ratio, site size without
``downloads/`` and its ratio, the check's time as a share of the atlas build; then the time
growth exponent between the smallest and largest scale, log(t_large / t_small) / log(scale
ratio), and which targets are met. Then the trial table's sort and filter response in Chromium at the largest scale
(``table_timing.py``) and the editor's loop under ``mkdocs serve`` (``serve_loop.py``).
Shared machines are noisy: compare ratios from one run, not absolute times across runs.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from floor import ENV, floor_project  # noqa: E402
from synthetic import project  # noqa: E402

VARIANTS = ("atlas", "floor", "check")


def measure(cmd: list[str], cwd: Path) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in bytes, CPU seconds) of one child process; raises when it fails."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{err.read().decode()[-3000:]}")
    return wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime


def build_cmd(site: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site)]


def site_size(site: Path) -> tuple[int, int]:
    """(bytes, HTML pages) of a built site, not counting downloads/."""
    total = pages = 0
    for p in site.rglob("*"):
        if p.is_file() and p.relative_to(site).parts[0] != "downloads":
            total += p.stat().st_size
            pages += p.suffix == ".html"
    return total, pages


def prepare(work: Path, scale: float) -> dict:
    t0 = time.perf_counter()
    atlas, counts = project(work / f"atlas-{scale:g}x", scale)
    # The project's own copy of the package, compiled now: the first timed build should not pay for
    # writing its bytecode (the floor's packages were compiled when they were installed).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(atlas / "macros")], check=True)
    floor = floor_project(atlas, work / f"floor-{scale:g}x")
    print(f"  {scale:g}x: {counts} (set up in {time.perf_counter() - t0:.0f} s)", flush=True)
    return {"scale": scale, "atlas": atlas, "floor": floor, "counts": counts}


def run_variant(setup: dict, variant: str) -> tuple[float, int, float]:
    if variant == "check":
        return measure([sys.executable, "-m", "macros", "check"], setup["atlas"])
    root = setup[variant]
    site = root / "site"
    shutil.rmtree(site, ignore_errors=True)
    return measure(build_cmd(site), root)


def _plain(node):
    """A composed PyYAML node -> plain Python (what a loader built on ``compose`` also has to do)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return {_plain(k): _plain(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v) for v in node.value]
    return node.value


def yaml_estimate(root: Path, reps: int = 3) -> dict:
    """Seconds to read every data file with the atlas's loader (PyYAML's C composer, limits, lines)
    and with a bare CSafeLoader ``compose`` plus a walk to plain values: what the loader's own work costs."""
    import yaml

    from macros.loading import read_yaml

    files = sorted((root / "data").rglob("*.yaml"))
    texts = [(p, p.read_text(encoding="utf-8")) for p in files]
    atlas, csafe = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        for p in files:
            read_yaml(p, p.name)
        t1 = time.perf_counter()
        for _, text in texts:
            _plain(yaml.compose(text, Loader=yaml.CSafeLoader))
        t2 = time.perf_counter()
        atlas.append(t1 - t0)
        csafe.append(t2 - t1)
    return {"files": len(files), "loader_s": statistics.median(atlas), "csafeloader_s": statistics.median(csafe)}


def exponent(t_small: float, t_large: float, s_small: float, s_large: float) -> float:
    return math.log(t_large / t_small) / math.log(s_large / s_small)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,10,40", help="comma-separated scales (default 1,10,40)")
    ap.add_argument("--reps", type=int, default=3, help="repetitions (default 3; medians are reported)")
    ap.add_argument("--work", help="keep the generated projects in this folder (default: a temporary one)")
    ap.add_argument("--no-browser", action="store_true", help="skip the trial-table timing in Chromium")
    ap.add_argument("--no-serve", action="store_true", help="skip the editor's loop under mkdocs serve")
    ap.add_argument("--serve-scale", type=float, help="scale of the editor's loop (default 10, or the largest scale below it)")
    ap.add_argument("--json", help="also write the results as JSON to this file")
    args = ap.parse_args(argv)
    scales = sorted(float(s) for s in args.scales.split(","))

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"setting up in {work}", flush=True)
    setups = [prepare(work, s) for s in scales]
    times: dict[tuple[float, str], list[float]] = {}
    rss: dict[tuple[float, str], list[int]] = {}
    cpu: dict[tuple[float, str], list[float]] = {}
    for rep in range(args.reps):
        for si, setup in enumerate(setups):
            k = (rep + si) % len(VARIANTS)
            for variant in VARIANTS[k:] + VARIANTS[:k]:
                wall, peak, used = run_variant(setup, variant)
                times.setdefault((setup["scale"], variant), []).append(wall)
                rss.setdefault((setup["scale"], variant), []).append(peak)
                cpu.setdefault((setup["scale"], variant), []).append(used)
                print(f"  rep {rep + 1} {setup['scale']:g}x {variant:5}: {wall:6.2f} s, {peak / 1e6:5.0f} MB, "
                      f"CPU {used:6.2f} s", flush=True)

    results = {"scales": [], "reps": args.reps, "python": sys.version.split()[0]}
    for setup in setups:
        setup["yaml"] = yaml_estimate(setup["atlas"], args.reps)
        s = setup["scale"]
        med = {v: statistics.median(times[(s, v)]) for v in VARIANTS}
        med_cpu = {v: statistics.median(cpu[(s, v)]) for v in VARIANTS}
        peak = {v: max(rss[(s, v)]) for v in VARIANTS}
        size = {v: site_size(setup[v] / "site") for v in ("atlas", "floor")}
        results["scales"].append({
            "scale": s, "counts": setup["counts"], "pages": size["atlas"][1],
            "floor_s": med["floor"], "atlas_s": med["atlas"], "check_s": med["check"],
            "time_ratio": med["atlas"] / med["floor"],
            "floor_cpu_s": med_cpu["floor"], "atlas_cpu_s": med_cpu["atlas"], "cpu_ratio": med_cpu["atlas"] / med_cpu["floor"],
            "floor_rss_mb": peak["floor"] / 1e6, "atlas_rss_mb": peak["atlas"] / 1e6, "rss_ratio": peak["atlas"] / peak["floor"],
            "floor_size_mb": size["floor"][0] / 1e6, "atlas_size_mb": size["atlas"][0] / 1e6,
            "size_ratio": size["atlas"][0] / size["floor"][0],
            "check_share": med["check"] / med["atlas"],
            "yaml": setup["yaml"],
            "all_times": {v: times[(s, v)] for v in VARIANTS},
            "all_cpu": {v: cpu[(s, v)] for v in VARIANTS},
        })
    rows = results["scales"]
    if len(rows) > 1:
        a, b = rows[0], rows[-1]
        results["exponent"] = {v: exponent(a[f"{v}_s"], b[f"{v}_s"], a["scale"], b["scale"]) for v in ("atlas", "floor")}
        results["exponent"]["between"] = [a["scale"], b["scale"]]

    print_report(results)
    if not args.no_browser:
        from table_timing import table_timing

        big = setups[-1]
        results["table"] = table_timing(big["atlas"] / "site", big["counts"]["trials"])
        print_table(results["table"], big["scale"])
    if not args.no_serve:
        from serve_loop import editor_loop

        want = args.serve_scale or max([s for s in scales if s <= 10] or scales[:1])
        setup = next((x for x in setups if x["scale"] == want), None) or prepare(work, want)
        results["serve"] = editor_loop(setup["atlas"], setup["floor"], reps=max(1, args.reps))
        print_serve(results["serve"], setup["scale"])
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return results


TARGETS = {"time_ratio": 1.2, "rss_ratio": 1.5, "size_ratio": 1.2, "check_share": 0.1}
SERVE_TARGET = 1.5   # the editor's loop, atlas / floor
TABLE_TARGET_FRAMES = 2   # sort and filter, beyond a one-word change
FRAME_MS = 1000 / 60


def print_report(r: dict) -> None:
    print(f"\nmedian of {r['reps']}; atlas = mkdocs build --strict with hook and macros; floor = the same final pages, plain MkDocs + Material")
    print(f"{'scale':>5} {'pages':>6} {'floor s':>8} {'atlas s':>8} {'atlas/floor':>11} {'CPU ratio':>9} "
          f"{'RSS floor/atlas MB':>19} {'ratio':>6} {'size floor/atlas MB':>20} {'ratio':>6} {'check s':>8} {'check/build':>11}")
    for x in r["scales"]:
        print(f"{x['scale']:>4g}x {x['pages']:>6} {x['floor_s']:>8.2f} {x['atlas_s']:>8.2f} {x['time_ratio']:>10.2f}x "
              f"{x['cpu_ratio']:>8.2f}x "
              f"{x['floor_rss_mb']:>9.0f} / {x['atlas_rss_mb']:<7.0f} {x['rss_ratio']:>5.2f}x "
              f"{x['floor_size_mb']:>9.1f} / {x['atlas_size_mb']:<8.1f} {x['size_ratio']:>5.2f}x "
              f"{x['check_s']:>8.2f} {x['check_share']:>10.0%}")
    print("YAML loading: the atlas's loader (PyYAML's C composer, limits, line marks) against a bare CSafeLoader compose:")
    for x in r["scales"]:
        y = x["yaml"]
        print(f"{x['scale']:>4g}x  {y['files']} files: atlas loader {y['loader_s']:.2f} s, CSafeLoader compose {y['csafeloader_s']:.2f} s")
    if "exponent" in r:
        e = r["exponent"]
        lo, hi = e["between"]
        print(f"time growth exponent {lo:g}x -> {hi:g}x: atlas {e['atlas']:.2f}, floor {e['floor']:.2f} (target: atlas <= 1.05)")
    for x in r["scales"]:
        missed = [f"{name} {x[name]:.2f} > {limit}" for name, limit in TARGETS.items() if x[name] > limit]
        print(f"targets at {x['scale']:g}x: " + ("all met" if not missed else "not met: " + ", ".join(missed)))


def print_table(t: dict, scale: float) -> None:
    shown = "every row" if t["page_rows"] >= t["rows"] else f"{t['page_rows']} rows on screen"
    print(f"\ntrial table in Chromium ({t['rows']} rows, {shown}, {scale:g}x), median of {t['reps']}, "
          f"from the input to the next painted frame: "
          f"sort {t['sort_ms']:.0f} ms (handler {t['sort_script_ms']:.0f} ms), "
          f"filter by select {t['filter_ms']:.0f} ms (handler {t['filter_script_ms']:.0f} ms), "
          f"type-to-search {t['search_ms']:.0f} ms (handler {t['search_script_ms']:.0f} ms)"
          + (f", show all {t['show_all_ms']:.0f} ms" if t.get("show_all_ms") is not None else "")
          + f"; the same measure of a one-word change: {t['one_word_ms']:.0f} ms; one frame = {FRAME_MS:.1f} ms")
    beyond = {k: (t[f"{k}_ms"] - t["one_word_ms"]) / FRAME_MS for k in ("sort", "filter")}
    print(f"beyond a one-word change: sort {beyond['sort']:.1f} frames, filter {beyond['filter']:.1f} frames "
          f"(target: a frame or two): {'met' if max(beyond.values()) <= TABLE_TARGET_FRAMES else 'not met'}")


def print_serve(s: dict, scale: float) -> None:
    ratio = s["atlas_s"] / s["floor_s"]
    print(f"\neditor's loop under mkdocs serve ({scale:g}x), median of {s['reps']}: "
          f"atlas {s['atlas_s']:.2f} s (edit a record's summary), floor {s['floor_s']:.2f} s "
          f"(same edit in its Markdown page): {ratio:.2f}x "
          f"(target: under {SERVE_TARGET}x): {'met' if ratio < SERVE_TARGET else 'not met'}")


if __name__ == "__main__":
    main()
