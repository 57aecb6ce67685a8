"""Where each statement comes from in the review, and which overview chapter covers it.

A *statement* is a record's own text (a mechanism's, agent's or trial's summary, a patent's
claims and mechanism) or one of its items (an evidence claim, a strategy, a trial outcome).
Each has a review section (its own, or its record's as the default) or is marked
``outside_review: true``. Where the atlas cites other sources than the review does for a
statement it declares so in ``recites`` (the review's own reference numbers and why); the check
warns when such a declaration has gone stale or gives no reason.

Overview chapters (``docs/overview/*.md``) declare in their front matter the review sections
they cover (``review_sections: ["2.1", "2.2"]``); a statement's section links to the chapter
that covers it, or to the chapter covering the nearest enclosing section ("2.5" for "2.5.1").
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator


from .citations import find_citations
from .findings import Finding, field_path
from .markup import escape
from .model import Provenance, Recitation
from .yaml_values import YamlProblem, parse_yaml

if TYPE_CHECKING:
    from .evidence import EvidenceBase
    from .page import PageWriter

CHAPTER_DIR = "overview"


# ---- chapters and the sections they cover ---------------------------------------------------
@dataclass
class Chapters:
    """Review section -> the overview chapter (page path inside docs/) that covers it."""

    pages: dict[str, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def chapter_for(self, section: str) -> str | None:
        """The chapter covering ``section`` or, failing that, its nearest enclosing section."""
        parts = section.split(".")
        while parts:
            page = self.pages.get(".".join(parts))
            if page:
                return page
            parts.pop()
        return None


def load_chapters(pages: dict[str, str]) -> Chapters:
    """The overview chapters among ``pages`` (path inside docs/ -> text) and the sections each covers."""
    out = Chapters()
    chapters = {p: t for p, t in pages.items() if p.startswith(f"{CHAPTER_DIR}/") and p.count("/") == 1}
    for page, text in sorted(chapters.items()):
        rel = f"docs/{page}"
        meta, offset = _front_matter(text)
        out.titles[page] = _title(text) or page
        if meta is None:
            continue
        if isinstance(meta, str):
            out.findings.append(Finding(rel, 1, "front matter", meta))
            continue
        sections = meta.get("review_sections") if isinstance(meta, dict) else None
        if sections is None:
            continue
        line = offset + _key_line(text, "review_sections")
        if not isinstance(sections, list) or not all(isinstance(s, str) and s.strip() for s in sections):
            out.findings.append(Finding(rel, line, "review_sections", 'a list of review section numbers as strings, e.g. ["2.1", "2.2"]'))
            continue
        for s in sections:
            other = out.pages.get(s)
            if other and other != page:
                out.findings.append(Finding(rel, line, "review_sections", f"section {s} is also declared by docs/{other}; claims link there", "warning"))
                continue
            out.pages[s] = page
    return out


def _front_matter(text: str) -> tuple[object, int]:
    """(parsed front matter or an error message or None, line offset of its first line)."""
    if not text.startswith("---\n"):
        return None, 0
    end = text.find("\n---", 4)
    if end < 0:
        return "front matter is not closed by a line ---", 0
    try:
        return parse_yaml(text[4:end]).value or {}, 1
    except YamlProblem as exc:
        return f"front matter does not parse: {' '.join(str(exc).split())}", 0


def _key_line(text: str, key: str) -> int:
    for i, line in enumerate(text.split("\n")[1:], 1):
        if line.startswith(f"{key}:"):
            return i
    return 0


def _title(text: str) -> str | None:
    return next((ln[2:].strip() for ln in text.split("\n") if ln.startswith("# ")), None)


# ---- statements ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Statement:
    """One statement with its own provenance fields and those of its record (the default)."""

    kind: str
    rid: str
    loc: tuple  # () for the record's own text, ("evidence", 2) for an item
    item: Provenance
    record: Provenance
    keys: tuple[str, ...]  # every key it cites, inline and in refs

    @property
    def outside(self) -> bool:
        return is_outside(self.item, self.record)

    @property
    def sections(self) -> list[str]:
        return sections_of(self.item, self.record)


def is_outside(item: Provenance, record: Provenance) -> bool:
    return item.outside_review or (item is not record and not item.sections and record.outside_review)


def sections_of(item: Provenance, record: Provenance) -> list[str]:
    """The item's own review sections, else its record's (nothing when it is outside the review)."""
    if is_outside(item, record):
        return []
    return item.sections or record.sections


def _inline(*texts: str | None) -> list[str]:
    return [k for t in texts if t for _, keys in find_citations(t) for k in keys]


def statements(eb: "EvidenceBase") -> Iterator[Statement]:
    for mid, m in sorted(eb.mechanisms.items()):
        yield Statement("mechanisms", mid, (), m, m, tuple(_inline(m.summary)))
        for i, e in enumerate(m.evidence):
            yield Statement("mechanisms", mid, ("evidence", i), e, m, tuple(_inline(e.claim) + e.refs))
        for i, s in enumerate(m.strategies):
            yield Statement("mechanisms", mid, ("strategies", i), s, m, tuple(_inline(s.note) + s.refs))
    for aid, a in sorted(eb.agents.items()):
        if a.summary or a.refs:
            yield Statement("agents", aid, (), a, a, tuple(_inline(a.summary) + a.refs))
    for tid, t in sorted(eb.trials.items()):
        yield Statement("trials", tid, (), t, t, tuple(_inline(t.summary) + t.refs))
        for i, o in enumerate(t.outcomes):
            yield Statement("trials", tid, ("outcomes", i), o, t, tuple(o.refs))
    for pid, p in sorted(eb.patents.items()):
        yield Statement("patents", pid, (), p, p, tuple(_inline(*p.claims, p.mechanism) + p.refs))


def review_numbers(eb: "EvidenceBase", keys) -> set[int]:
    """The review's reference numbers of ``keys`` (a key without ``reviewnum`` adds none)."""
    return {n for k in keys if (ref := eb.bib.get(k)) for n in ref.reviewnums}


def provenance_findings(eb: "EvidenceBase") -> list[Finding]:
    chapters = eb.chapters
    out = list(chapters.findings)
    known = {n for ref in eb.bib.references.values() for n in ref.reviewnums}
    for st in statements(eb):
        where = eb.loaded.where[(st.kind, st.rid)]

        def at(*sub: object) -> tuple[str, int, str]:
            loc = st.loc + sub
            return where.path, where.line(loc), field_path(loc)

        if not st.outside and not st.sections:
            path, line, name = at()
            what = "this item" if st.loc else "the record's own text"
            out.append(Finding(path, line, name or "review_section",
                               f"{what} has no review section: give review_section (here or on the record) "
                               "or mark outside_review: true", "warning"))
        if chapters.pages and st.item.review_section is not None:
            for s in st.item.sections:
                if chapters.chapter_for(s) is None:
                    out.append(Finding(*at("review_section"),
                                       f"review section {s} is covered by no overview chapter "
                                       f"(review_sections in docs/{CHAPTER_DIR}/*.md)", "warning"))
        rc = st.item.recites
        if rc is None:
            continue
        if rc.reason is None:
            out.append(Finding(*at("recites"), "a re-citation needs a reason: say why the atlas cites other sources "
                                               "than the review here", "warning"))
        unknown = sorted(set(rc.review_refs) - known)
        if unknown:
            out.append(Finding(*at("recites", "review_refs"),
                               f"the review has no reference {', '.join(map(str, unknown))} (no reviewnum in references.bib)",
                               "warning"))
        cited = review_numbers(eb, st.keys)
        if cited == set(rc.review_refs):
            out.append(Finding(*at("recites"), f"stale re-citation: the statement now cites what the review cites "
                                               f"({_numbers(rc.review_refs)}); remove recites", "warning"))
    return out


def _numbers(nums: list[int]) -> str:
    return "no reference" if not nums else ("ref. " if len(nums) == 1 else "refs. ") + ", ".join(map(str, sorted(set(nums))))


# ---- rendering -----------------------------------------------------------------------------
def provenance_html(w: "PageWriter", item: Provenance, record: Provenance | None = None) -> str:
    """``§2.3`` linked to the chapter covering it (or "outside the review"), then any re-citation note."""
    record = item if record is None else record
    parts = []
    if is_outside(item, record):
        parts.append('<span class="atlas-provenance atlas-outside">outside the review</span>')
    else:
        links = [section_link(w, s) for s in sections_of(item, record)]
        if links:
            parts.append('<span class="atlas-provenance">' + ", ".join(links) + "</span>")
    if item.recites is not None:
        parts.append(recitation_html(item.recites))
    return " · ".join(parts)


def section_link(w: "PageWriter", section: str) -> str:
    chapters = w.eb.chapters
    page = chapters.chapter_for(section)
    label = f"§{escape(section)}"
    if page is None:
        return f'<span title="Section {escape(section)} of the review">{label}</span>'
    title = f"Section {section} of the review, covered in the overview chapter “{chapters.titles.get(page, page)}”"
    return f'<a class="atlas-section" href="{escape(w.href(page))}" title="{escape(title)}">{label}</a>'


def recitation_html(rc: Recitation) -> str:
    """The review's own numbers, written as "ref. 74 of the review" so they are never mistaken for
    the page's own citation numbers."""
    if rc.review_refs:
        said = f"the review cites its {_numbers(rc.review_refs)} here"
    else:
        said = "the review cites no reference here"
    reason = f" ({escape(rc.reason)})" if rc.reason else ""
    return f'<span class="atlas-recites">{escape(said)}{reason}</span>'


def sources_line(w: "PageWriter", refs: list[str], item: Provenance, record: Provenance | None = None) -> str:
    """``Sources: [1, 2] · §2.3`` — the paragraph under a claim."""
    bits = [f"Sources: {w.cite(refs)}"] if refs else []
    prov = provenance_html(w, item, record)
    if prov:
        bits.append(prov)
    return f'<p class="atlas-sources">{" · ".join(bits)}</p>' if bits else ""
