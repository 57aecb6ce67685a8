"""Questions about the evidence that have one answer wherever they are asked.

Pure functions over model objects (no HTML, no files): which outcome is a
trial's primary or key result, its median PFS, the role of an arm, a patent's
office and year, the name a record is shown under, the records as plain data.
The pages, the tables, the downloads, the diff and the page macros all ask here.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .kinds import kind
from .model import Arm, Outcome, Patent, Trial

if TYPE_CHECKING:  # pragma: no cover
    from .evidence import EvidenceBase

EXPERIMENTAL, COMPARATOR = "experimental", "comparator"


# ---- records ------------------------------------------------------------------------------
def record_exists(eb: EvidenceBase, kind_name: str, rid: str) -> bool:
    return rid in eb.loaded.records.get(kind_name, {})


def record_label(eb: EvidenceBase, kind_name: str, rid: str) -> str:
    """The name a record is shown under (its kind's ``label``), or the id itself when it is missing."""
    rec = eb.loaded.records.get(kind_name, {}).get(rid)
    return rid if rec is None else kind(kind_name).label(rid, rec)


def record_data(eb: EvidenceBase) -> dict[str, object]:
    """Every record and list item as plain JSON-able values, as written in the YAML (defaults left out)."""
    out: dict[str, object] = {}
    for kind_name, records in eb.loaded.records.items():
        out[kind_name] = {rid: rec.model_dump(mode="json", by_alias=True, exclude_defaults=True)
                          for rid, rec in sorted(records.items())}
    for kind_name, items in eb.loaded.lists.items():
        out[kind_name] = [i.model_dump(mode="json", by_alias=True, exclude_defaults=True) for i in items]
    return out


# ---- trials: arms -------------------------------------------------------------------------
def arm_role(arm: Arm) -> str:
    """An arm whose role no source states counts as experimental (single-arm studies)."""
    return arm.role or EXPERIMENTAL


def arms_with_role(t: Trial, role: str) -> list[Arm]:
    return [a for a in t.arms if arm_role(a) == role]


def trial_agents(t: Trial, role: str) -> list[str]:
    """Agent ids of the arms with ``role``, sorted, without repeats."""
    return sorted({ag for a in arms_with_role(t, role) for ag in a.agents})


def comparator_labels(t: Trial) -> list[str]:
    return [a.label for a in arms_with_role(t, COMPARATOR)]


# ---- trials: outcomes ---------------------------------------------------------------------
def primary_outcome(t: Trial) -> Outcome | None:
    return next((o for o in t.outcomes if o.primary), None)


def key_outcome(t: Trial) -> Outcome | None:
    """The primary outcome, or the first one reported when no source names the primary endpoint."""
    return primary_outcome(t) or (t.outcomes[0] if t.outcomes else None)


def median_pfs(t: Trial) -> float | None:
    """Median PFS in months of the first experimental arm with a figure, whole population."""
    experimental = [a.label for a in arms_with_role(t, EXPERIMENTAL)]
    for o in t.outcomes:
        if o.endpoint == "PFS" and o.subgroup is None and (o.unit or "").startswith("month") and o.measure in (None, "median"):
            for label in experimental:
                v = o.values.get(label)
                if isinstance(v, (int, float)):
                    return float(v)
    return None


def format_value(value: object, unit: str | None) -> str:
    """A figure with its unit: ``5.8 months``, ``22%``, ``not reached``."""
    shown = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    if unit == "percent":
        return f"{shown}%"
    return f"{shown} {unit}" if unit else shown


def format_p(p: str) -> str:
    return f"p {p}" if p[:1] in "<>=≤≥" else f"p = {p}"


def outcome_label(o: Outcome) -> str:
    """``PFS (rate, 1 year) — patients with brain metastases``."""
    bits = [o.endpoint]
    extra = [x for x in (o.measure, o.timepoint) if x]
    if extra:
        bits.append(f"({', '.join(extra)})")
    if o.subgroup:
        bits.append(f"— {o.subgroup}")
    return " ".join(bits)


def outcome_figures(o: Outcome, arm: str | None = None) -> str:
    """The figures of an outcome: every arm's value, HR and p; or one arm's value only."""
    if arm is not None:
        return format_value(o.values[arm], o.unit)
    parts = [f"{label}: {format_value(v, o.unit)}" for label, v in o.values.items()]
    if o.hr is not None:
        parts.append(f"HR {o.hr:g}")
    if o.p is not None:
        parts.append(format_p(o.p))
    return "; ".join(parts)


def key_result(t: Trial) -> str | None:
    """``PFS: A: 5.8 months; B: 4.9 months`` for the key outcome, or None when the trial reports none."""
    o = key_outcome(t)
    return f"{outcome_label(o)}: {outcome_figures(o)}" if o else None


# ---- patents ------------------------------------------------------------------------------
def patent_office(patent_id: str) -> str:
    """The office, read from the publication number's prefix (CN, WO, US, EP)."""
    return patent_id[:2]


def patent_year(p: Patent) -> str | None:
    return p.published[:4] if p.published else None

