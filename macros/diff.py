"""``python -m macros diff <ref>``: what the working tree changes in the data, for a pull request.

The working tree (uncommitted and untracked files included) is compared with
``data/`` and ``references.bib`` as they are at a git ref. Records are compared
field by field after loading, so reformatting a file is not a change.
"""
from __future__ import annotations

import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

from .domain import record_data
from .evidence import EvidenceBase, load

PATHS = ("data", "references.bib")


def load_at_ref(root: Path, ref: str, into: Path) -> EvidenceBase:
    """Extract data/ and references.bib as of ``ref`` into ``into`` and load them."""
    present = subprocess.run(["git", "-C", str(root), "ls-tree", "--name-only", ref, "--", *PATHS],
                             capture_output=True, text=True)
    if present.returncode != 0:
        raise SystemExit(f"git does not know {ref!r}: {present.stderr.strip()}")
    names = present.stdout.split()
    if names:
        archive = subprocess.run(["git", "-C", str(root), "archive", "--format=tar", ref, "--", *names],
                                 capture_output=True, check=True)
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(into, filter="data")
    return load(into)


def flatten(value: object, prefix: str = "") -> dict[str, object]:
    """Nested record -> {"outcomes[0].values.Arm A": 5.8, ...} for a field-level comparison."""
    out: dict[str, object] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}[{i}]"))
    else:
        out[prefix] = value
    return out


def _show(v: object) -> str:
    text = json.dumps(v, ensure_ascii=False)
    text = text if len(text) <= 120 else text[:117] + "..."
    return "`" + text.replace("`", "'") + "`"


def _keyed_lists(data: dict) -> dict:
    """Glossary and timeline items keyed by what identifies them, so an insertion is not a shift."""
    data = dict(data)
    data["glossary"] = {f"{g['term']} ({g['expansion']})": g for g in data.get("glossary", [])}
    data["timeline"] = {f"{t['date']}: {t['event'][:60]}": t for t in data.get("timeline", [])}
    return data


def compare(old: EvidenceBase, new: EvidenceBase) -> list[str]:
    lines: list[str] = []
    a, b = _keyed_lists(record_data(old)), _keyed_lists(record_data(new))
    a["references"] = {k: r.raw for k, r in old.bib.references.items()}
    b["references"] = {k: r.raw for k, r in new.bib.references.items()}
    for kind in ["mechanisms", "agents", "trials", "patents", "glossary", "timeline", "references"]:
        before, after = a.get(kind, {}), b.get(kind, {})
        added = sorted(set(after) - set(before))
        removed = sorted(set(before) - set(after))
        changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
        if not (added or removed or changed):
            continue
        lines.append(f"### {kind.capitalize()}\n")
        for k in added:
            lines.append(f"- **added** `{k}`")
        for k in removed:
            lines.append(f"- **removed** `{k}`")
        for k in changed:
            lines.append(f"- **changed** `{k}`")
            fa, fb = flatten(before[k]), flatten(after[k])
            for f in sorted(set(fa) | set(fb)):
                if f not in fa:
                    lines.append(f"    - `{f}` added: {_show(fb[f])}")
                elif f not in fb:
                    lines.append(f"    - `{f}` removed (was {_show(fa[f])})")
                elif fa[f] != fb[f]:
                    lines.append(f"    - `{f}`: {_show(fa[f])} → {_show(fb[f])}")
        lines.append("")
    return lines


def diff_report(root: Path, ref: str) -> str:
    root = Path(root).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        old = load_at_ref(root, ref, Path(tmp))
        new = load(root)
        body = compare(old, new)
    from .checks import check

    report = check(new)
    head = [f"## Data changes against `{ref}`", ""]
    if not body:
        head.append("No record or BibTeX entry changes.\n")
    counts_old, counts_new = old.counts(), new.counts()
    summary = ", ".join(f"{k} {counts_old[k]} → {counts_new[k]}" for k in counts_new if counts_old[k] != counts_new[k])
    if summary:
        head += [f"Counts: {summary}.", ""]
    tail = ["", f"Check: {report.summary()}."]
    tail += [f"- {f.format()}" for f in report.errors]
    return "\n".join(head + body + tail) + "\n"
