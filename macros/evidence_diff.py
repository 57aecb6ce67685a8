"""Two evidence bases compared: records, glossary, timeline and BibTeX entries, as report sections.

A record that is present on a side but does not load there is reported as
invalid on that side, with its errors, never as removed. A rename (git's
rename detection on the data files, or the same title under a new id) is
reported as such, with every record and page that still links to the old id.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from jinja2 import TemplateSyntaxError

from .checks import Report, check
from .comment_markdown import code, text
from .evidence import EvidenceBase, docs_citations, load, record_citations
from .field_diff import diff_fields, pair_items, render_fields
from .findings import Finding, errors, field_path
from .glossary import tooltip_terms
from .item_identity import glossary_names, timeline_name
from .links import output_path, record_page
from .kinds import KIND_SINGULAR, RECORD_KINDS, link_uses
from .macro_calls import find_calls, records_named
from .page_links import page_links
from .redirects import renames as redirect_renames


@dataclass
class Side:
    """One side of the comparison: a folder, the evidence base read from it, and its check."""

    root: Path

    @cached_property
    def eb(self) -> EvidenceBase:
        return load(self.root)

    @cached_property
    def report(self) -> Report:
        return check(self.eb)

    def files(self, kind: str) -> set[str]:
        folder = self.root / "data" / kind
        return {p.stem for p in folder.glob("*.yaml")} if folder.is_dir() else set()

    def dump(self, kind: str, rid: str) -> dict:
        return self.eb.loaded.records[kind][rid].model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def errors_in(self, rel: str) -> list[Finding]:
        return [f for f in self.report.errors if f.path == rel]

    @cached_property
    def cited(self) -> set[str]:
        return {c.key for c in record_citations(self.eb) + docs_citations(self.eb)}


def title_of(side: Side, kind: str, rid: str) -> str:
    rec = side.eb.loaded.records[kind].get(rid)
    if rec is None:
        return ""
    return getattr(rec, "title", None) or getattr(rec, "name", None) or ""


def _head(kind: str, rid: str, side: Side, verb: str) -> str:
    t = title_of(side, kind, rid)
    return f"- **{verb}** {code(rid)}" + (f" — {text(t)}" if t else "")


def _errors_list(findings: list[Finding], indent: str = "  ") -> list[str]:
    return [f"{indent}- {code(f'{f.path}:{f.line}')} {code(f.field)}: {text(f.message)}" for f in findings]


# ---- links into a record ----------------------------------------------------------------------
def inbound_links(eb: EvidenceBase, kind: str, rid: str) -> list[str]:
    """Every record field and page link on this side that points at ``kind``/``rid``, as report lines."""
    out = []
    for (src_kind, src_id), loc, target_kind, target in outgoing_links(eb):
        if target_kind == kind and target == rid:
            where = eb.loaded.where[(src_kind, src_id)]
            out.append(f"{KIND_SINGULAR[src_kind]} {code(src_id)} ({code(f'{where.path}:{where.line(loc)}')}, "
                       f"{code(field_path(loc))})")
    page = record_page(kind, rid)
    places = [f"{link.path}:{link.line}" for link in page_links(eb) if link.target and link.target[0] == page]
    places += macro_links(eb, kind, rid)
    out += [f"page {code(place)}" for place in sorted(set(places), key=_place_order)]
    return out


def _place_order(place: str) -> tuple[str, int]:
    path, _, line = place.rpartition(":")
    return path, int(line)


def outgoing_links(eb: EvidenceBase):
    """((kind, id), loc, target kind, target id) for every id a record names (the declared link fields)."""
    for use in link_uses(eb.loaded.records):
        yield (use.kind, use.record_id), use.loc, use.link.target, use.target_id


def macro_links(eb: EvidenceBase, kind: str, rid: str) -> list[str]:
    """``path:line`` of every macro call in a docs/ page that names ``kind``/``rid``."""
    out = []
    for page, text in sorted(eb.docs.pages.items()):
        try:
            calls = find_calls(text)
        except TemplateSyntaxError:  # a page that does not parse is the check's finding, not the diff's
            continue
        out += [f"docs/{page}:{c.line}" for c in calls if (kind, rid) in records_named(c)]
    return out


# ---- records ----------------------------------------------------------------------------------
def record_sections(base: Side, head: Side, renamed_paths: list[tuple[str, str]]) -> list[str]:
    lines: list[str] = []
    for kind in RECORD_KINDS:
        body = _record_kind(kind, base, head, renamed_paths)
        if body:
            lines += [f"### {kind.capitalize()}", "", *body, ""]
    return lines


def _record_kind(kind: str, base: Side, head: Side, renamed_paths: list[tuple[str, str]]) -> list[str]:
    old_ok, new_ok = base.eb.loaded.records[kind], head.eb.loaded.records[kind]
    old_files, new_files = base.files(kind), head.files(kind)
    removed = sorted(set(old_ok) - new_files)
    added = sorted(set(new_ok) - old_files)
    renames: list[tuple[str, str]] = []
    prefix = f"data/{kind}/"
    for old_path, new_path in renamed_paths:
        if old_path.startswith(prefix) and new_path.startswith(prefix):
            o, n = Path(old_path).stem, Path(new_path).stem
            if o in removed and n in added:
                renames.append((o, n))
    for o in list(removed):
        if any(o == r[0] for r in renames):
            continue
        same = [n for n in added if title_of(head, kind, n) and title_of(head, kind, n) == title_of(base, kind, o)
                and all(n != r[1] for r in renames)]
        if len(same) == 1:
            renames.append((o, same[0]))
    # A record that now lists a removed id among its former_ids was renamed, whatever else changed.
    for r in redirect_renames(base.eb, head.eb):
        if r.kind == kind and r.old in removed and r.new in added and all(r.old != o for o, _ in renames):
            renames.append((r.old, r.new))
    removed = [r for r in removed if all(r != o for o, _ in renames)]
    added = [a for a in added if all(a != n for _, n in renames)]

    lines: list[str] = []
    for rid in added:
        lines += [_head(kind, rid, head, "added"), *render_fields(head.dump(kind, rid), "  ")]
    for rid in removed:
        lines.append(_head(kind, rid, base, "removed") + f"; its page {code(output_path(record_page(kind, rid)))} disappears")
    for o, n in renames:
        lines.append(f"- **renamed** {code(o)} → {code(n)}" + (f" — {text(title_of(head, kind, n))}" if title_of(head, kind, n) else ""))
        lines += diff_fields(base.dump(kind, o), head.dump(kind, n), "  ")
        if o in (getattr(head.eb.loaded.records[kind].get(n), "former_ids", None) or []):
            lines.append(f"  - the published page {code(output_path(record_page(kind, o)))} redirects to its new "
                         f"address {code(output_path(record_page(kind, n)))} (`former_ids`)")
        else:
            lines.append(f"  - the published page {code(output_path(record_page(kind, o)))} disappears "
                         f"(its new address is {code(output_path(record_page(kind, n)))}); add "
                         f"{code(f'former_ids: [{o}]')} to the record to keep the old address working")
        still = inbound_links(head.eb, kind, o)
        if still:
            lines.append(f"  - still linking to {code(o)}:")
            lines += [f"    - {s}" for s in still]
        else:
            lines.append(f"  - no record or page links to {code(o)} any more")
    for rid in sorted((set(old_files) | set(old_ok)) & new_files):
        path = f"data/{kind}/{rid}.yaml"
        if rid not in new_ok:
            was = "valid" if rid in old_ok else "already invalid"
            lines.append(f"- **invalid on the head side** {code(rid)} (it was {was} on the base side; "
                         "nothing is removed, the file does not load):")
            lines += _errors_list(head.errors_in(path))
        elif rid not in old_ok:
            lines.append(_head(kind, rid, head, "now valid") + " (it did not load on the base side); its fields:")
            lines += render_fields(head.dump(kind, rid), "  ")
        else:
            changes = diff_fields(base.dump(kind, rid), head.dump(kind, rid), "  ")
            if changes:
                lines += [_head(kind, rid, head, "changed"), *changes]
    for rid in sorted(new_files - old_files - set(new_ok)):
        lines.append(f"- **added, but invalid** {code(rid)} (the file does not load):")
        lines += _errors_list(head.errors_in(f"data/{kind}/{rid}.yaml"))
    return lines


# ---- glossary and timeline --------------------------------------------------------------------
def _item_dump(item) -> dict:
    return item.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def _unreadable_note(kind: str, head: Side) -> str | None:
    errs = head.errors_in(f"data/{kind}.yaml")
    return f"data/{kind}.yaml has {len(errs)} error(s) on the head side" if errs else None


def glossary_section(base: Side, head: Side) -> list[str]:
    old, new = base.eb.glossary, head.eb.glossary
    old_names, new_names = glossary_names(old), glossary_names(new)
    by_term_old, by_term_new = defaultdict(list), defaultdict(list)
    for i, t in enumerate(old):
        by_term_old[t.term].append(i)
    for j, t in enumerate(new):
        by_term_new[t.term].append(j)
    pairs, removed, added = [], [], []
    for term in sorted(set(by_term_old) | set(by_term_new)):
        oi, nj = by_term_old.get(term, []), by_term_new.get(term, [])
        p, r, a = pair_items([_item_dump(old[i]) for i in oi], [_item_dump(new[j]) for j in nj],
                             key=lambda d: " ".join(d.get("expansion", "").split()).casefold())
        # Within a term, unpaired meanings still pair by position: a reworded expansion is a change.
        while r and a:
            p.append((r.pop(0), a.pop(0)))
        pairs += [(oi[x], nj[y]) for x, y in p]
        removed += [oi[x] for x in r]
        added += [nj[y] for y in a]
    lines = []
    for j in sorted(added):
        lines += [f"- **added** {code(new_names[j])}", *render_fields(_item_dump(new[j]), "  ")]
    note = _unreadable_note("glossary", head)
    for i in sorted(removed):
        if note:
            lines.append(f"- **not read on the head side** {code(old_names[i])} ({text(note)}; see the findings below)")
        else:
            lines.append(f"- **removed** {code(old_names[i])} — {text(old[i].expansion)}")
    for i, j in sorted(pairs, key=lambda p: p[1]):
        changes = diff_fields(_item_dump(old[i]), _item_dump(new[j]), "  ")
        if changes:
            lines += [f"- **changed** {code(new_names[j])}", *changes]
    tips_old, tips_new = tooltip_terms(old), tooltip_terms(new)
    for term in sorted(set(tips_old) - set(tips_new)):
        count = sum(1 for t in new if t.term == term)
        why = f"it now has {count} meanings" if count > 1 else "it is no longer in the glossary"
        lines.append(f"- {code(term)} loses its site-wide tooltip ({why}); see the pages affected")
    for term in sorted(set(tips_new) - set(tips_old)):
        lines.append(f"- {code(term)} gains a site-wide tooltip ({text(tips_new[term])})")
    for term in sorted(set(tips_old) & set(tips_new)):
        if tips_old[term] != tips_new[term]:
            lines.append(f"- the tooltip of {code(term)} now reads {text(tips_new[term])}")
    return ["### Glossary", "", *lines, ""] if lines else []


def timeline_section(base: Side, head: Side) -> list[str]:
    old, new = base.eb.timeline, head.eb.timeline
    od, nd = [_item_dump(e) for e in old], [_item_dump(e) for e in new]
    pairs, removed, added = [], [], []
    ids_old = {e.id: i for i, e in enumerate(old) if e.id}
    ids_new = {e.id: j for j, e in enumerate(new) if e.id}
    for eid in set(ids_old) & set(ids_new):
        pairs.append((ids_old[eid], ids_new[eid]))
    rest_o = [i for i in range(len(old)) if old[i].id not in ids_new or not old[i].id]
    rest_n = [j for j in range(len(new)) if new[j].id not in ids_old or not new[j].id]
    # Events without an id (or whose id changed) pair by content.
    p, r, a = pair_items([od[i] for i in rest_o], [nd[j] for j in rest_n], key=lambda d: d.get("date"))
    pairs += [(rest_o[x], rest_n[y]) for x, y in p]
    removed, added = [rest_o[x] for x in r], [rest_n[y] for y in a]
    lines = []
    for j in sorted(added):
        lines += [f"- **added** {text(timeline_name(new[j], j))}", *render_fields(nd[j], "  ")]
    note = _unreadable_note("timeline", head)
    for i in sorted(removed):
        verb = "not read on the head side" if note else "removed"
        lines.append(f"- **{verb}** {text(timeline_name(old[i], i))}" + (f" ({text(note)})" if note else ""))
    for i, j in sorted(pairs, key=lambda p: p[1]):
        changes = diff_fields(od[i], nd[j], "  ")
        if changes:
            lines += [f"- **changed** {text(timeline_name(new[j], j))}", *changes]
    return ["### Timeline", "", *lines, ""] if lines else []


# ---- bibliography -----------------------------------------------------------------------------
def bibliography_section(base: Side, head: Side) -> list[str]:
    old, new = base.eb.bib.references, head.eb.bib.references
    head_bib = (head.root / "references.bib")
    head_text = head_bib.read_text(encoding="utf-8", errors="replace") if head_bib.exists() else ""
    head_bib_errors = [f for f in head.report.errors if f.path == head.eb.bib.path]
    lines = []
    for key in sorted(set(new) - set(old)):
        ref = new[key]
        lines.append(f"- **added** {code(key)} ({text(ref.entry_type)})")
        lines += render_fields(dict(ref.raw), "  ")
    for key in sorted(set(old) - set(new)):
        if head_bib_errors and key in head_text:
            lines.append(f"- **not read on the head side** {code(key)} (references.bib has errors; see the findings below)")
        else:
            lines.append(f"- **removed** {code(key)} — {text(old[key].short())}: {text(old[key].text.get('title', ''))}")
    for key in sorted(set(old) & set(new)):
        a, b = old[key], new[key]
        changes = diff_fields(dict(a.raw), dict(b.raw), "  ")
        if a.entry_type != b.entry_type:
            changes.insert(0, f"  - entry type: {code(a.entry_type)} → {code(b.entry_type)}")
        if changes:
            lines += [f"- **changed** {code(key)}", *changes]
    uncited = sorted(k for k in base.cited & set(new) if k not in head.cited)
    if uncited:
        lines.append("- left uncited by this change (no record or page cites them any more): "
                     + ", ".join(code(k) for k in uncited))
    return ["### Bibliography", "", *lines, ""] if lines else []


def counts_line(base: Side, head: Side) -> str:
    """Counts that change; a count lowered by a file that does not load says so."""
    a, b = base.eb.counts(), head.eb.counts()
    unread: dict[str, str] = {}
    for kind in RECORD_KINDS:
        n = len(head.files(kind) - set(head.eb.loaded.records[kind]))
        if n:
            unread[kind] = f"{n} file(s) do not load on the head side and are not counted"
    for kind in ("glossary", "timeline"):
        if head.errors_in(f"data/{kind}.yaml"):
            unread[kind] = f"data/{kind}.yaml has errors on the head side; only the items read are counted"
    if [f for f in head.report.errors if f.path == head.eb.bib.path]:
        unread["references"] = "references.bib has errors on the head side; only the entries read are counted"
    parts = [f"{k} {a[k]} → {b[k]}" + (f" ({unread[k]})" if k in unread else "")
             for k in b if a[k] != b[k] or k in unread]
    return f"Counts: {', '.join(parts)}." if parts else ""


def head_findings_section(head: Side, base: Side) -> list[str]:
    rep = head.report
    lines = ["### Check of the head side", "", f"{text(rep.summary())}."]
    base_errors = len(errors(base.report.findings))
    if base_errors:
        lines.append(f"(The base side had {base_errors} error(s) already.)")
    if rep.errors:
        lines += ["", f"Errors ({len(rep.errors)}):", "", *_errors_list(rep.errors, "")]
    if rep.warnings:
        lines += ["", f"Warnings ({len(rep.warnings)}):", "", *_errors_list(rep.warnings, "")]
    return lines + [""]

