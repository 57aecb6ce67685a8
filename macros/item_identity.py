"""How glossary items, timeline events and evidence items are told apart, and the check that
keeps that identity unique.

A glossary item is its term, and for a term listed with several meanings, its
expansion too: the same term with the same expansion twice is an error. A
timeline event is its ``id`` slug, used once; an event without one (the id is
optional) is matched by its date and text instead. An evidence item may have an
``id`` too, used once within its mechanism (pages quote it by mechanism and id).
"""
from __future__ import annotations

from collections import Counter

from .evidence import EvidenceBase
from .findings import Finding
from .model import GlossaryTerm, TimelineEvent


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def glossary_names(items: list[GlossaryTerm]) -> list[str]:
    """Display name of each item: ``OS``, or ``ER (meaning 2)`` for a term listed more than once."""
    totals = Counter(t.term for t in items)
    seen: Counter[str] = Counter()
    out = []
    for t in items:
        seen[t.term] += 1
        out.append(t.term if totals[t.term] == 1 else f"{t.term} (meaning {seen[t.term]})")
    return out


def timeline_name(event: TimelineEvent, position: int) -> str:
    """``event us-approval (1998)``; an event without an id is named by its date and position."""
    if event.id:
        return f"event {event.id} ({event.date})"
    return f"event {position + 1} ({event.date})"


def check_item_identity(eb: EvidenceBase) -> list[Finding]:
    out: list[Finding] = []
    first: dict[tuple[str, str], int] = {}
    for term, where in zip(eb.glossary, eb.loaded.list_where["glossary"]):
        key = (term.term, _norm(term.expansion))
        line = where.line()
        if key in first:
            out.append(Finding(where.path, line, f"[{where.base_loc[0]}].term",
                               f"{term.term!r} meaning {term.expansion!r} is listed twice (first on line {first[key]})"))
        else:
            first[key] = line
    ids: dict[str, int] = {}
    for event, where in zip(eb.timeline, eb.loaded.list_where["timeline"]):
        i = where.base_loc[0]
        if event.id is None:
            continue
        if event.id in ids:
            out.append(Finding(where.path, where.line(("id",)), f"[{i}].id",
                               f"id {event.id!r} is used twice (first on line {ids[event.id]})"))
        else:
            ids[event.id] = where.line(("id",))
    return out + _evidence_ids(eb)


def _evidence_ids(eb: EvidenceBase) -> list[Finding]:
    """An evidence item's id names it within its record: pages address it by (mechanism, id)."""
    out = []
    for mid, m in eb.mechanisms.items():
        where = eb.loaded.where[("mechanisms", mid)]
        first: dict[str, int] = {}
        for i, e in enumerate(m.evidence):
            if e.id is None:
                continue
            line = where.line(("evidence", i, "id"))
            if e.id in first:
                out.append(Finding(where.path, line, f"evidence[{i}].id",
                                   f"evidence id {e.id!r} is used twice in this record (first on line {first[e.id]})"))
            else:
                first[e.id] = line
    return out
