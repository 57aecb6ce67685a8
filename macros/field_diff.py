"""One record (or item) against another, field by field, as Markdown lines for a pull-request comment.

Text fields are shown whole with word marks and the citation keys they gain or
lose; lists of items (evidence, strategies, arms, outcomes, claims) are paired
item by item and named by what they are ("outcome PFS (median) — CD16A-158F
carriers", "arm Trastuzumab", "evidence 2: Few patients whose…", or by the item's id when it
has one: "evidence berns-2007: In tumours from…"), never by index alone.
"""
from __future__ import annotations

import json
from difflib import SequenceMatcher
from typing import Any, Callable

from .citations import find_citations
from .comment_markdown import code, quote, text
from .model import MARKDOWN_FIELDS
from .word_diff import marked, only_whitespace_changed

# Lists whose items are records of their own, with how an item is named and (when stable) keyed.
Namer = Callable[[Any, int], str]


def _start(s: str, words: int = 8) -> str:
    parts = " ".join(str(s).split()).split(" ")
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _outcome_name(o: dict, i: int) -> str:
    detail = ", ".join(str(o[k]) for k in ("measure", "timepoint") if o.get(k))
    name = f"outcome {o.get('endpoint', '?')}" + (f" ({detail})" if detail else "")
    return name + (f" — {o['subgroup']}" if o.get("subgroup") else "")


def _evidence_name(e: dict, i: int) -> str:
    return f"evidence {e.get('id') or i + 1}: {_start(e.get('claim', ''))}"


NAMERS: dict[str, Namer] = {
    "evidence": _evidence_name,
    "strategies": lambda s, i: f"strategy {i + 1}: " + (", ".join(s["agents"]) if s.get("agents") else _start(s.get("note", ""))),
    "arms": lambda a, i: f"arm {a.get('label', i + 1)}",
    "outcomes": _outcome_name,
    "claims": lambda c, i: f"claim {i + 1}: {_start(c)}",
}
KEYS: dict[str, Callable[[Any], object]] = {
    "evidence": lambda e: e.get("id"),
    "arms": lambda a: a.get("label"),
    "outcomes": lambda o: tuple(o.get(k) for k in ("endpoint", "measure", "timepoint", "subgroup")),
}
LONG = 80


def _is_text(field: str, value: object) -> bool:
    return isinstance(value, str) and (field in MARKDOWN_FIELDS or len(value) > LONG or "\n" in value)


def scalar(value: object) -> str:
    if isinstance(value, str):
        return code(value)
    return code(json.dumps(value, ensure_ascii=False))


def cited_keys(value: object) -> set[str]:
    return {k for _, keys in find_citations(value) for k in keys} if isinstance(value, str) else set()


def citation_note(old: object, new: object) -> str:
    return citation_changes(cited_keys(old), cited_keys(new))


def citation_changes(a: set[str], b: set[str]) -> str:
    """`` (citations added: …; citations removed: …)`` between two sets of keys, or nothing."""
    parts = []
    if b - a:
        parts.append("citations added: " + ", ".join(code(k) for k in sorted(b - a)))
    if a - b:
        parts.append("citations removed: " + ", ".join(code(k) for k in sorted(a - b)))
    return f" ({'; '.join(parts)})" if parts else ""


# ---- a whole value ----------------------------------------------------------------------
def render_fields(data: dict, indent: str = "") -> list[str]:
    """Every field of a record or item, one bullet each (text fields quoted in full)."""
    lines = []
    for field, value in data.items():
        lines += render_field(field, value, indent)
    return lines


def render_field(field: str, value: object, indent: str = "") -> list[str]:
    if _is_text(field, value):
        return [f"{indent}- {field}:", quote(text(value), indent + "  ")]
    if field in NAMERS and isinstance(value, list):
        lines = [f"{indent}- {field}:"]
        for i, item in enumerate(value):
            lines += render_item(NAMERS[field](item, i), item, indent + "  ")
        return lines
    if isinstance(value, list):
        return [f"{indent}- {field}: " + ", ".join(scalar(v) for v in value)]
    if isinstance(value, dict):
        return [f"{indent}- {field}: " + "; ".join(f"{code(k)}: {scalar(v)}" for k, v in value.items())]
    return [f"{indent}- {field}: {scalar(value)}"]


def render_item(name: str, item: object, indent: str) -> list[str]:
    if isinstance(item, dict):
        return [f"{indent}- {text(name)}", *render_fields(item, indent + "  ")]
    if isinstance(item, str) and _is_text("claims", item):
        return [f"{indent}- {text(name.split(':')[0])}:", quote(text(item), indent + "  ")]
    return [f"{indent}- {scalar(item)}"]


# ---- a change ---------------------------------------------------------------------------
def diff_fields(old: dict, new: dict, indent: str = "") -> list[str]:
    """What changed between two dumps of a record or item, field by field."""
    lines = []
    order = list(new) + [k for k in old if k not in new]
    for field in order:
        o, n = old.get(field), new.get(field)
        if o == n:
            continue
        lines += diff_field(field, o, n, indent)
    return lines


def diff_field(field: str, o: object, n: object, indent: str = "") -> list[str]:
    if o is None:
        first, *rest = render_field(field, n, indent)
        return [first.replace(f"- {field}", f"- {field} added", 1), *rest]
    if n is None:
        if _is_text(field, o) or isinstance(o, (list, dict)):
            first, *rest = render_field(field, o, indent)
            return [first.replace(f"- {field}", f"- {field} removed, was", 1), *rest]
        return [f"{indent}- {field} removed (was {scalar(o)})"]
    if isinstance(o, str) and isinstance(n, str) and (_is_text(field, o) or _is_text(field, n)):
        if only_whitespace_changed(o, n):
            return [f"{indent}- {field}: only line breaks or spacing changed"]
        return [f"{indent}- {field} changed{citation_note(o, n)}:", quote(marked(o, n), indent + "  ")]
    if field in NAMERS and isinstance(o, list) and isinstance(n, list):
        return diff_items(field, o, n, indent)
    if isinstance(o, list) and isinstance(n, list):
        added = [v for v in n if v not in o]
        removed = [v for v in o if v not in n]
        parts = []
        if added:
            parts.append("added " + ", ".join(scalar(v) for v in added))
        if removed:
            parts.append("removed " + ", ".join(scalar(v) for v in removed))
        if not parts:
            parts.append("same items, new order: " + ", ".join(scalar(v) for v in n))
        return [f"{indent}- {field}: {'; '.join(parts)}"]
    if isinstance(o, dict) and isinstance(n, dict):
        lines = []
        for k in list(n) + [k for k in o if k not in n]:
            if o.get(k) != n.get(k):
                lines += diff_field(f"{field}.{k}", o.get(k), n.get(k), indent)
        return lines
    return [f"{indent}- {field}: {scalar(o)} → {scalar(n)}"]


def pair_items(old: list, new: list, key: Callable[[Any], object] | None = None) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (old index, new index) of the same item, then the removed and added indexes.

    Identical items pair first, then items with the same key (when the key is unique
    on both sides; an item whose key is None has none), then the most similar remaining
    items (at least half alike).
    """
    pairs: list[tuple[int, int]] = []
    left, right = set(range(len(old))), set(range(len(new)))
    for i in sorted(left):
        j = next((j for j in sorted(right) if new[j] == old[i]), None)
        if j is not None:
            pairs.append((i, j))
            left.discard(i)
            right.discard(j)
    if key is not None:
        okeys = [key(x) for x in old]
        nkeys = [key(x) for x in new]
        for i in sorted(left):
            if okeys[i] is not None and okeys.count(okeys[i]) == 1 and nkeys.count(okeys[i]) == 1:
                j = nkeys.index(okeys[i])
                if j in right:
                    pairs.append((i, j))
                    left.discard(i)
                    right.discard(j)
    dumps_o = {i: json.dumps(old[i], sort_keys=True, ensure_ascii=False) for i in left}
    dumps_n = {j: json.dumps(new[j], sort_keys=True, ensure_ascii=False) for j in right}
    scored = sorted(((SequenceMatcher(None, dumps_o[i], dumps_n[j], autojunk=False).ratio(), -i, -j)
                     for i in left for j in right), reverse=True)
    for ratio, i, j in scored:
        i, j = -i, -j
        if ratio < 0.5:
            break
        if i in left and j in right:
            pairs.append((i, j))
            left.discard(i)
            right.discard(j)
    return sorted(pairs, key=lambda p: p[1]), sorted(left), sorted(right)


def diff_items(field: str, old: list, new: list, indent: str = "") -> list[str]:
    namer = NAMERS[field]
    pairs, removed, added = pair_items(old, new, KEYS.get(field))
    lines = []
    for i, j in pairs:
        if old[i] == new[j]:
            continue
        name = text(namer(new[j], j))
        if isinstance(old[i], dict) and isinstance(new[j], dict):
            lines += [f"{indent}- {name} changed:", *diff_fields(old[i], new[j], indent + "  ")]
        else:
            lines += [f"{indent}- {text(namer(new[j], j).split(':')[0])} changed{citation_note(old[i], new[j])}:",
                      quote(marked(str(old[i]), str(new[j])), indent + "  ")]
    for j in added:
        first, *rest = render_item(namer(new[j], j), new[j], indent)
        lines += [first.replace("- ", "- added: ", 1), *rest]
    for i in removed:
        lines.append(f"{indent}- removed: {text(namer(old[i], i))}")
    moved = [p for p in pairs if old[p[0]] == new[p[1]]]
    if not lines and moved:
        lines.append(f"{indent}- {field}: same items, new order")
    return lines
