"""Exact-match search: a lookup from every record's names and codes to its page.

Material's search ranks pages by lunr score, which does not put "Herceptin" or
"T-DM1" on the record they name: brand names and codes occur on many pages.
This module writes a small lookup that the site's ``search-exact.js`` consults
before Material's ranked results: a query equal (after normalising) to a
record's name, alias, acronym, registry id or patent number puts that record
first. Because the lookup is built from the data on every build, every new
record and alias is covered without any tuning of scores.

Normalising: Unicode NFKC, lower case, and everything that is not a letter or
a digit dropped, so that "T-DM1", "t-dm1", "TDM1" and "T DM1" are one key.
The script in the browser applies the same rule to the query.

Ties (two records share a key) are ranked by, in order:
1. what matched: an identifier (registry id, patent number) before a name
   (agent name, mechanism title, trial acronym or title, patent title), before an alias;
2. the kind of record: mechanism, agent, trial, patent (the order of the site's menu);
3. the record's id (its file name), alphabetically.
Every tied record is listed; the first one is the top result.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .evidence import EvidenceBase
from .json_script import json_for_script
from .links import output_path, record_page
from .model import NCT_RE
from .domain import record_label

# The lookup ships as a script (not fetched JSON) so that it loads from file:// too.
INDEX_PATH = "search/exact-index.js"
GLOBAL_NAME = "atlasExactSearch"
KIND_ORDER = ("mechanisms", "agents", "trials", "patents")
# What matched, best first; the label is shown in the search result.
FIELD_RANK = {"registry id": 0, "patent number": 0, "name": 1, "title": 1, "acronym": 1, "alias": 2}


def normalise(text: str) -> str:
    """The lookup key of a name or a query: NFKC, lower case, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


@dataclass(frozen=True)
class Term:
    """One name a record can be found by."""

    kind: str
    record_id: str
    field: str  # a FIELD_RANK key
    text: str  # as written in the data


def record_terms(eb: EvidenceBase) -> list[Term]:
    """Every name, alias, acronym, registry id and patent number of every record."""
    terms: list[Term] = []
    for mid, m in sorted(eb.mechanisms.items()):
        terms.append(Term("mechanisms", mid, "title", m.title))
    for aid, a in sorted(eb.agents.items()):
        terms.append(Term("agents", aid, "name", a.name))
        terms += [Term("agents", aid, "alias", alias) for alias in a.aliases]
    for tid, t in sorted(eb.trials.items()):
        if NCT_RE.match(tid):
            terms.append(Term("trials", tid, "registry id", tid))
        if t.acronym:
            terms.append(Term("trials", tid, "acronym", t.acronym))
        terms.append(Term("trials", tid, "title", t.title))
    for pid, p in sorted(eb.patents.items()):
        terms.append(Term("patents", pid, "patent number", pid))
        if p.title:  # an untitled patent's subject is the atlas's words, not a name anyone types
            terms.append(Term("patents", pid, "title", p.title))
    return terms


def tie_order(term: Term) -> tuple:
    return (FIELD_RANK[term.field], KIND_ORDER.index(term.kind), term.record_id)


def lookup(eb: EvidenceBase) -> dict[str, list[Term]]:
    """key -> the records it names, best first; one entry per record (its best-ranked term)."""
    by_key: dict[str, list[Term]] = {}
    for term in record_terms(eb):
        key = normalise(term.text)
        if key:
            by_key.setdefault(key, []).append(term)
    out: dict[str, list[Term]] = {}
    for key in sorted(by_key):
        best: dict[tuple[str, str], Term] = {}
        for term in sorted(by_key[key], key=tie_order):
            best.setdefault((term.kind, term.record_id), term)
        out[key] = list(best.values())
    return out


def index_data(eb: EvidenceBase) -> dict:
    """The lookup as plain data: records listed once, keys pointing at them by position.

    ``records``: [page URL relative to the site root, label, kind]; ``keys``: key ->
    [[record position, field, text as written], ...] best first.
    """
    table = lookup(eb)
    used = sorted({(t.kind, t.record_id) for terms in table.values() for t in terms},
                  key=lambda r: (KIND_ORDER.index(r[0]), r[1]))
    position = {r: i for i, r in enumerate(used)}
    records = [[output_path(record_page(kind, rid)), record_label(eb, kind, rid), kind] for kind, rid in used]
    keys = {key: [[position[(t.kind, t.record_id)], t.field, t.text] for t in terms] for key, terms in table.items()}
    return {"records": records, "keys": keys}


def index_script(eb: EvidenceBase) -> bytes:
    """``search/exact-index.js``: assigns the lookup to ``window.atlasExactSearch``.

    The JSON is escaped for script context (see ``json_for_script``), so record text can end
    neither the string, nor the statement, nor a script element were the file ever inlined.
    """
    return f"window.{GLOBAL_NAME} = {json_for_script(index_data(eb))};\n".encode("utf-8")
