"""The evidence base as one object: records, bibliography, and the links computed between them.

A link is declared once (a trial lists its mechanisms; a mechanism's strategy
lists its agents; a patent lists mechanisms and agents; see ``kinds``); the
reverse direction is computed, never typed.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Hashable, Iterator, TypeVar

from .bibliography import Bibliography, load_bibliography
from .citations import find_citations, page_citations
from .findings import Finding, field_path
from .kinds import Links, compute_links, kind
from .links import INDEX_PAGES, record_page
from .loading import Loaded, load_data
from .model import MARKDOWN_FIELDS, Agent, GlossaryTerm, Mechanism, Patent, Strict, TimelineEvent, Trial
from .provenance import Chapters, load_chapters
from .sources import DocsPages, read_docs


T = TypeVar("T")


@dataclass
class EvidenceBase:
    root: Path
    loaded: Loaded
    bib: Bibliography

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, remembered for this evidence base. Whole-base work that several pages or
        checks need (every citation, every page's macro calls) is done once per build; an evidence
        base is not changed once loaded."""
        memo = self.__dict__.setdefault("_once", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def forget(self) -> None:
        """Drop what ``once`` remembered (the generated pages are written: it would only take memory
        while the site generator renders them)."""
        self.__dict__.pop("_once", None)

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
    def docs(self) -> DocsPages:
        """The hand-written pages under docs/ (read once, safely)."""
        return read_docs(self.root)

    @cached_property
    def chapters(self) -> "Chapters":
        """Which overview chapter covers which review section (see ``provenance``)."""
        return load_chapters(self.docs.pages)

    def records(self, kind_name: str) -> dict[str, Strict]:
        """The records of a declared kind, by id (an undeclared kind raises ``kinds.UnknownKind``)."""
        return self.loaded.records[kind(kind_name).name]

    # ---- links, both ways (declared in ``kinds``) ----------------------------------------
    @cached_property
    def links(self) -> Links:
        return compute_links(self.loaded.records)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector held off, then restored as it was. Loading and checking make many
    objects that live on and almost no reference cycles: the collector's full scans, which grow
    with the evidence base, would cost about a fifth of the time and free next to nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@collector_paused()
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
    return eb.once(record_citations, lambda: _record_citations(eb))


def _record_citations(eb: EvidenceBase) -> list[Citation]:
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
    return eb.once(docs_citations, lambda: _docs_citations(eb))


def _docs_citations(eb: EvidenceBase) -> list[Citation]:
    out = []
    for page, text in sorted(eb.docs.pages.items()):
        for group in page_citations(text)[0]:
            out.extend(Citation(k, f"docs/{page}", group.line, "citation", page) for k in group.keys)
    return out


def docs_findings(eb: EvidenceBase) -> list[Finding]:
    """What is wrong with docs/ itself: files that cannot be read, unclosed citations."""
    out = list(eb.docs.findings)
    generated = {p for k, p in INDEX_PAGES.items() if k != "home"}
    for page in sorted(set(eb.docs.pages) & generated):
        out.append(Finding(f"docs/{page}", 1, "file", "the atlas generates a page of this name; rename this one"))
    for page, text in sorted(eb.docs.pages.items()):
        out.extend(Finding(f"docs/{page}", line, "citation", problem) for line, problem in page_citations(text)[1])
    return out
