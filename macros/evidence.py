"""The evidence base as one object: records, bibliography, and the links computed between them.

A link is declared once (a trial lists its mechanisms; a mechanism's strategy
lists its agents; a patent lists mechanisms and agents; see ``kinds``); the
reverse direction is computed, never typed.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .bibliography import Bibliography, load_bibliography
from .citations import find_citations, find_citations_in_markdown
from .findings import field_path
from .kinds import Links, compute_links, kind
from .links import INDEX_PAGES, record_page
from .loading import Loaded, load_data
from .model import MARKDOWN_FIELDS, Agent, GlossaryTerm, Mechanism, Patent, Strict, TimelineEvent, Trial
from .provenance import Chapters, load_chapters


@dataclass
class EvidenceBase:
    root: Path
    loaded: Loaded
    bib: Bibliography

    @property
    def mechanisms(self) -> dict[str, Mechanism]:
        return self.loaded.records["mechanisms"]  # type: ignore[return-value]

    @property
    def agents(self) -> dict[str, Agent]:
        return self.loaded.records["agents"]  # type: ignore[return-value]

    @property
    def trials(self) -> dict[str, Trial]:
        return self.loaded.records["trials"]  # type: ignore[return-value]

    @property
    def patents(self) -> dict[str, Patent]:
        return self.loaded.records["patents"]  # type: ignore[return-value]

    @property
    def glossary(self) -> list[GlossaryTerm]:
        return self.loaded.lists["glossary"]  # type: ignore[return-value]

    @property
    def timeline(self) -> list[TimelineEvent]:
        return self.loaded.lists["timeline"]  # type: ignore[return-value]

    def counts(self) -> dict[str, int]:
        """Number of records of each kind, BibTeX entries ("references") and list items."""
        out = {name: len(recs) for name, recs in self.loaded.records.items()}
        out["references"] = len(self.bib)
        out.update((name, len(items)) for name, items in self.loaded.lists.items())
        return out

    @cached_property
    def chapters(self) -> "Chapters":
        """Which overview chapter covers which review section (see ``provenance``)."""
        return load_chapters(self.root)

    def records(self, kind_name: str) -> dict[str, Strict]:
        """The records of a declared kind, by id (an undeclared kind raises ``kinds.UnknownKind``)."""
        return self.loaded.records[kind(kind_name).name]

    # ---- links, both ways (declared in ``kinds``) ----------------------------------------
    @cached_property
    def links(self) -> Links:
        return compute_links(self.loaded.records)


def load(root: Path) -> EvidenceBase:
    root = Path(root)
    return EvidenceBase(root, load_data(root), load_bibliography(root))


@dataclass(frozen=True)
class Citation:
    """One use of a BibTeX key: where it is (file, line, field) and on which page it shows."""

    key: str
    path: str
    line: int
    field: str
    page: str | None


def record_citations(eb: EvidenceBase) -> list[Citation]:
    """Every key cited by a record: its ``refs`` lists and the [@key] in its Markdown fields."""
    out: list[Citation] = []

    def walk(node, loc, located, page):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, loc + (k,), located, page)
        elif isinstance(node, list):
            for i, v in enumerate(node):
                walk(v, loc + (i,), located, page)
        elif isinstance(node, str):
            names = [p for p in loc if isinstance(p, str)]
            if names and names[-1] == "refs":
                out.append(Citation(node, located.path, located.line(loc), field_path(located.base_loc + loc), page))
            elif names and names[-1] in MARKDOWN_FIELDS:
                base = located.line(loc)
                for _, keys in find_citations(node):
                    for key in keys:
                        out.append(Citation(key, located.path, base, field_path(located.base_loc + loc), page))

    for (kind, rid), located in sorted(eb.loaded.where.items()):
        walk(located.node, (), located, record_page(kind, rid))
    for kind, items in eb.loaded.list_where.items():
        for located in items:
            walk(located.node, (), located, INDEX_PAGES[kind])
    return out


def docs_citations(eb: EvidenceBase) -> list[Citation]:
    """Citations in hand-written pages under docs/ (page = path inside docs/)."""
    out = []
    docs = eb.root / "docs"
    for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
        rel = path.relative_to(eb.root).as_posix()
        page = path.relative_to(docs).as_posix()
        for line, keys in find_citations_in_markdown(path.read_text(encoding="utf-8")):
            out.extend(Citation(k, rel, line, "citation", page) for k in keys)
    return out
