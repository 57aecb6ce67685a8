"""The data as files to download: JSON per record kind and for everything, CSV tables, BibTeX."""
from __future__ import annotations

import csv
import io
import json
from functools import cache
from typing import Callable

from .evidence import EvidenceBase
from .domain import (COMPARATOR, EXPERIMENTAL, outcome_figures, outcome_label, patent_office, primary_outcome,
                     record_data, trial_agents)

DOWNLOAD_DIR = "downloads"


def _dump(obj: object) -> bytes:
    return (json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")


def trials_csv(eb: EvidenceBase) -> bytes:
    rows = []
    for tid, t in sorted(eb.trials.items()):
        prim = primary_outcome(t)
        rows.append([tid, t.acronym or "", t.title, t.phase or "", t.setting or "", t.status or "",
                     "" if t.enrollment is None else t.enrollment,
                     " ".join(trial_agents(t, EXPERIMENTAL)), " ".join(trial_agents(t, COMPARATOR)),
                     " ".join(t.mechanisms), outcome_label(prim) if prim else "", outcome_figures(prim) if prim else "",
                     " ".join(t.refs)])
    return _csv(["id", "acronym", "title", "phase", "setting", "status", "enrollment", "agents", "comparator_agents",
                 "mechanisms", "primary_endpoint", "primary_result", "refs"], rows)


def patents_csv(eb: EvidenceBase) -> bytes:
    rows = [[pid, patent_office(pid), p.published or "", p.assignee or "", p.title or "", p.subject or "", " ".join(p.targets),
             " ".join(p.mechanisms), " ".join(p.agents), " ".join(p.refs)] for pid, p in sorted(eb.patents.items())]
    return _csv(["id", "office", "published", "assignee", "title", "subject", "targets", "mechanisms", "agents", "refs"], rows)


def _producers(eb: EvidenceBase) -> dict[str, Callable[[], bytes]]:
    """Each download's path and how to make its content, so that listing them costs nothing."""
    data = cache(lambda: record_data(eb))
    kinds = list(eb.loaded.records) + list(eb.loaded.lists)
    out: dict[str, Callable[[], bytes]] = {
        f"{DOWNLOAD_DIR}/{kind}.json": (lambda kind=kind: _dump(data()[kind])) for kind in kinds}
    out[f"{DOWNLOAD_DIR}/atlas.json"] = lambda: _dump(data())
    out[f"{DOWNLOAD_DIR}/trials.csv"] = lambda: trials_csv(eb)
    out[f"{DOWNLOAD_DIR}/patents.csv"] = lambda: patents_csv(eb)
    bib = eb.root / "references.bib"
    if bib.exists():
        out[f"{DOWNLOAD_DIR}/references.bib"] = bib.read_bytes
    return out


def download_names(eb: EvidenceBase) -> list[str]:
    return sorted(_producers(eb))


def downloads(eb: EvidenceBase) -> dict[str, bytes]:
    return {path: make() for path, make in _producers(eb).items()}
