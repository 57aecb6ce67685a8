"""Every record kind, declared once: its folder, model, id rule, label, singular name, page and links.

Everything else that depends on the kind of a record is derived from ``KINDS``:
loading (folder, model, id rule), the reverse links (``evidence.Links``), the
link checks (``checks``), labels (``domain.record_label``) and page paths
(``links.record_page``). A link field is a path into the record, written with
the YAML keys: ``arms[].agents`` is the ``agents`` list of every item of
``arms``. Adding a link between two kinds is one ``Link`` in a declaration
below; its reverse direction, its check and its listing on both pages follow.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator

from .model import (NCT_RE, PATENT_RE, SLUG_RE, Agent, GlossaryTerm, Mechanism, Patent, Strict, TimelineEvent,
                    Trial)

_SEGMENT_RE = re.compile(r"^([a-z_][a-z0-9_]*)(\[\])?$")


class UnknownKind(ValueError):
    """A kind name that is not declared; the message lists the declared ones."""

    def __init__(self, kind: object, choices: list[str]):
        self.kind, self.choices = kind, choices
        super().__init__(f"unknown record kind {kind!r} (choose one of: {', '.join(choices)})")


@dataclass(frozen=True)
class Link:
    """A field of one kind holding ids of another: ``path`` (``arms[].agents``) -> ``target`` kind.

    Between two kinds, each record lists the other (a trial its agents, an agent
    its trials). Within one kind, ``symmetric`` says the link reads the same both
    ways (related mechanisms): both records list each other; otherwise only the
    record that declares it lists the other.
    """

    path: str
    target: str
    symmetric: bool = False

    def __post_init__(self) -> None:
        for segment in self.path.split("."):
            if not _SEGMENT_RE.match(segment):
                raise ValueError(f"bad link path {self.path!r}: segments are field names, lists marked with []")

    def ids(self, record: Strict) -> Iterator[tuple[tuple, str]]:
        """(location in the record, id) for every id this link field holds, e.g. (("arms", 0, "agents", 1), "x")."""
        yield from _walk(record, self.path.split("."), ())


def _walk(node: Any, segments: list[str], loc: tuple) -> Iterator[tuple[tuple, str]]:
    if node is None:
        return
    if not segments:
        if isinstance(node, str):
            yield loc, node
        elif isinstance(node, (list, tuple)):
            for i, v in enumerate(node):
                if isinstance(v, str):
                    yield loc + (i,), v
        return
    name, is_list = _SEGMENT_RE.match(segments[0]).groups()
    value = _field(node, name)
    if is_list:
        for i, item in enumerate(value or ()):
            yield from _walk(item, segments[1:], loc + (name, i))
    else:
        yield from _walk(value, segments[1:], loc + (name,))


def _field(node: Any, name: str) -> Any:
    """A model's field by its YAML key (aliases included), or a mapping's item."""
    if isinstance(node, dict):
        return node.get(name)
    fields = type(node).model_fields
    if name in fields:
        return getattr(node, name)
    attr = next((n for n, f in fields.items() if f.alias == name), None)
    if attr is None:
        raise ValueError(f"{type(node).__name__} has no field {name!r}")
    return getattr(node, attr)


@dataclass(frozen=True)
class IdRule:
    patterns: tuple[re.Pattern, ...]
    explanation: str

    def problem(self, record_id: str) -> str | None:
        """Why ``record_id`` is not a valid id, or None when it is."""
        if isinstance(record_id, str) and any(p.match(record_id) for p in self.patterns):
            return None
        return self.explanation


SLUG_ID = IdRule((SLUG_RE,), "an id must be a lowercase slug [a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class Kind:
    name: str  # plural, also the folder under data/ and the folder of its pages
    singular: str
    model: type[Strict]
    id_rule: IdRule
    label: Callable[[str, Any], str]  # (id, record) -> the name a record is shown under
    links: tuple[Link, ...] = ()
    description: str = ""

    @property
    def folder(self) -> str:
        return f"data/{self.name}"

    def page(self, record_id: str) -> str:
        """Source path of a record's generated page, e.g. ``trials/NCT00567190.md``."""
        problem = self.id_rule.problem(record_id)
        if problem:
            raise ValueError(f"{record_id!r} is not a {self.singular} id: {problem}")
        return f"{self.name}/{record_id}.md"


def _trial_label(rid: str, t: Trial) -> str:
    if t.acronym:
        return f"{t.acronym} ({rid})"
    return rid if NCT_RE.match(rid) else t.title


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind("mechanisms", "mechanism", Mechanism, SLUG_ID, lambda rid, m: m.title,
         links=(Link("strategies[].agents", "agents"), Link("related", "mechanisms", symmetric=True)),
         description="mechanisms of resistance"),
    Kind("agents", "agent", Agent, SLUG_ID, lambda rid, a: a.name,
         description="drugs, therapies and comparators"),
    Kind("trials", "trial", Trial,
         IdRule((NCT_RE, SLUG_RE), "a trial id is a registry id (NCT + 8 digits) or a lowercase slug [a-z0-9][a-z0-9-]*"),
         _trial_label,
         links=(Link("arms[].agents", "agents"), Link("mechanisms", "mechanisms")),
         description="clinical trials"),
    Kind("patents", "patent", Patent,
         IdRule((PATENT_RE,), "a patent id is a publication number such as CN113308542, WO2021080983, "
                              "US20200069958, EP3129066"),
         lambda rid, p: rid,
         links=(Link("mechanisms", "mechanisms"), Link("agents", "agents")),
         description="patent applications"),
]}

# Kinds kept as one list in one file (data/<name>.yaml); their items have no id and no page of their own.
LIST_KINDS: dict[str, type[Strict]] = {"glossary": GlossaryTerm, "timeline": TimelineEvent}

# Derived views, for the loader and the JSON Schema.
RECORD_KINDS: dict[str, type[Strict]] = {name: k.model for name, k in KINDS.items()}
KIND_SINGULAR: dict[str, str] = {name: k.singular for name, k in KINDS.items()}


def kind(name: object) -> Kind:
    """The declaration of a kind; an undeclared name raises ``UnknownKind`` listing the choices."""
    found = KINDS.get(name) if isinstance(name, str) else None
    if found is None:
        raise UnknownKind(name, list(KINDS))
    return found


def id_problem(kind_name: str, record_id: str) -> str | None:
    """Why ``record_id`` is not a valid id for the kind, or None when it is."""
    return kind(kind_name).id_rule.problem(record_id)


@dataclass(frozen=True)
class LinkUse:
    """One id held by a link field of one record."""

    kind: str
    record_id: str
    link: Link
    loc: tuple
    target_id: str


def link_uses(records: dict[str, dict[str, Strict]], kinds: dict[str, Kind] | None = None) -> Iterator[LinkUse]:
    """Every id every declared link field holds, record by record, in a stable order."""
    for kind_name, k in (KINDS if kinds is None else kinds).items():
        for rid, rec in sorted(records.get(kind_name, {}).items()):
            for link in k.links:
                for loc, target in link.ids(rec):
                    yield LinkUse(kind_name, rid, link, loc, target)


@dataclass
class Links:
    """The links between records, both ways: declared forward, computed in reverse.

    Each link field is named ``<kind>.<path>`` (``trials.arms[].agents``) so that a page can
    say which links it shows in its own way (see ``sections.other_links``).
    """

    _index: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)
    _via: dict[tuple[str, str], dict[tuple[str, str], list[str]]] = field(default_factory=dict)

    def add(self, kind_name: str, rid: str, other_kind: str, other_id: str, link_name: str) -> None:
        for ids in (self._index.setdefault((kind_name, rid, other_kind), []),
                    self._via.setdefault((kind_name, rid), {}).setdefault((link_name, other_kind), [])):
            if other_id not in ids:
                ids.append(other_id)
                ids.sort()

    def of(self, kind_name: str, rid: str, other_kind: str) -> list[str]:
        """Ids of ``other_kind`` linked with record ``rid`` of ``kind_name``, in either direction (sorted)."""
        return list(self._index.get((kind_name, rid, other_kind), ()))

    def via(self, kind_name: str, rid: str) -> list[tuple[str, str, list[str]]]:
        """(link name, other kind, ids) for every link field that connects the record to others."""
        return [(name, other, list(ids)) for (name, other), ids in sorted(self._via.get((kind_name, rid), {}).items())]


def link_name(kind_name: str, link: Link) -> str:
    return f"{kind_name}.{link.path}"


def compute_links(records: dict[str, dict[str, Strict]], kinds: dict[str, Kind] | None = None) -> Links:
    """Both directions of every declared link whose target exists (dangling ids are the check's business)."""
    lk = Links()
    for use in link_uses(records, kinds):
        same_kind = use.link.target == use.kind
        if use.target_id not in records.get(use.link.target, {}) or (same_kind and use.target_id == use.record_id):
            continue
        name = link_name(use.kind, use.link)
        lk.add(use.kind, use.record_id, use.link.target, use.target_id, name)
        if use.link.symmetric or not same_kind:
            lk.add(use.link.target, use.target_id, use.kind, use.record_id, name)
    return lk
