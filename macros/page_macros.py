"""The macros authors call in hand-written pages: the evidence base inside the prose.

``{{ record_link("trials", "NCT02492711") }}``, ``{{ outcome("NCT02492711", "PFS", subgroup="none") }}``,
``{{ trial_table(phase="III") }}``... Each macro returns HTML built here, every data value
escaped; Markdown punctuation in it is written as character references so that the page's
Markdown pass leaves data alone. Citations come out as ``[@key]`` brackets, which the page's
own citation pass (``site.process_doc_page``) numbers with the rest of the page.

A wrong call (unknown kind, id, filter value, endpoint, argument) raises ``MacroError``
with the valid choices or the closest ids; the build adapter adds the page and line, and
``python -m macros check`` finds the same errors from the calls in docs/ (``macro_calls``).
"""
from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, get_args

from .citations import CitationGroup
from .domain import key_result, outcome_figures, outcome_label, patent_office, patent_year, record_label
from .evidence import EvidenceBase
from .findings import closest_hint
from .kinds import KINDS
from .links import record_page
from .model import MARKDOWN_FIELDS, PATENT_OFFICES, PHASE_ORDER, Outcome, Setting, TrialStatus
from .page import PageWriter
from .patents import patent_table
from .trials import TRIAL_COLUMNS, trial_table


class MacroError(ValueError):
    """A macro called with something the evidence base does not have; the message says what would do.

    ``missing`` is the (kind, id) of a record (or ``("timeline", id)`` of an event) the call names but the
    evidence base lacks."""

    def __init__(self, message: str, missing: tuple[str, str] | None = None):
        super().__init__(message)
        self.missing = missing


# Private-use characters stand in for citations while the output is escaped.
_OPEN, _CLOSE = "\ue010", "\ue011"
_HOLD_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# Characters that mean something to Markdown (or to the page's citation and code-span passes).
_MARKDOWN_CHARS = {c: f"&#{ord(c)};" for c in "\\`*_[]{}|~"}
_MARKDOWN_CHARS_RE = re.compile("[" + re.escape("".join(_MARKDOWN_CHARS)) + "]")
NONE = "none"  # outcome(subgroup="none") / timepoint="none": the outcome that has none


class _CitingWriter(PageWriter):
    """A page writer whose citations are held as placeholders, to become ``[@key]`` brackets."""

    def __init__(self, eb: EvidenceBase, page: str):
        super().__init__(eb, page)
        self.held: list[list[str]] = []

    def cite(self, keys: list[str] | CitationGroup) -> str:
        # A record's prefix and locator ("see", "p. 5") stay on its own page: a macro carries the keys
        # only, so no contributor text is written back into the page's Markdown.
        keys = keys.keys if isinstance(keys, CitationGroup) else list(keys)
        if not keys:
            return ""
        self.held.append(keys)
        return f"{_OPEN}{len(self.held) - 1}{_CLOSE}"


@dataclass
class PageMacros:
    """The macros of one page (``page``: its path inside docs/, e.g. ``overview/x.md``)."""

    eb: EvidenceBase
    page: str
    tables: dict[str, int] = field(default_factory=dict)  # kind -> tables made so far on this page
    cited: list[str] = field(default_factory=list)  # every key the macros cited, in order

    NAMES = ("count", "record_link", "record_card", "record_value", "evidence_value", "event_date", "outcome",
             "trial_table", "patent_table", "mechanism_map")

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {name: getattr(self, name) for name in self.NAMES}

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call a macro by name; wrong arguments are a ``MacroError`` naming the accepted ones."""
        if name not in self.NAMES:
            raise MacroError(f"no macro {name!r} (macros: {', '.join(self.NAMES)})")
        fn = getattr(self, name)
        try:
            inspect.signature(fn).bind(*args, **kwargs)
        except TypeError as exc:
            raise MacroError(f"{exc}; {name}{inspect.signature(fn)}") from None
        return fn(*args, **kwargs)

    # ---- the macros ----------------------------------------------------------------------
    def count(self, kind: str) -> int:
        """Live number of records of a kind: mechanisms, agents, trials, patents, references, glossary, timeline."""
        counts = self.eb.counts()
        if kind not in counts:
            raise MacroError(f"count: no kind {kind!r}{closest_hint(str(kind), counts)}; choose one of: {', '.join(counts)}")
        return counts[kind]

    def record_link(self, kind: str, id: str, text: str | None = None) -> str:  # noqa: A002 - the documented name
        """A link to a record's page, labelled with its name from the data; ``text`` words the link to fit
        the sentence instead, and the record's name becomes the link's tooltip."""
        self._record(kind, id)
        w = self._writer()
        label = record_label(self.eb, kind, id)
        if text is None:
            return self._finish(w, w.link(record_page(kind, id), w.text(label)), inline=True)
        if not isinstance(text, str) or not text.strip():
            raise MacroError("record_link: text is the link's wording, a non-empty string")
        html = f'<a href="{w.text(w.href(record_page(kind, id)))}" title="{w.text(label)}">{w.text(text)}</a>'
        return self._finish(w, html, inline=True)

    def record_value(self, kind: str, id: str, field: str) -> str:  # noqa: A002
        """One plain field of a record (a number, a date, a short text), as the data holds it."""
        values = _plain_values(self._record(kind, id))
        if field not in values:
            raise MacroError(f"record_value: {KINDS[kind].singular} {id!r} has no plain field {field!r}"
                             f"{closest_hint(str(field), values)}; fields with a value: {', '.join(sorted(values))}")
        return self._value(values[field])

    def evidence_value(self, mechanism: str, evidence: str, field: str, containing: str | None = None) -> str:
        """One value of a mechanism's evidence item, named by the item's ``id``: a plain field (``n``, ``model``,
        ``direction``) or its ``figures``, all of them or the one figure ``containing`` a piece of text."""
        m = self._record("mechanisms", mechanism)
        items = {e.id: e for e in m.evidence if e.id is not None}
        if evidence not in items:
            have = ", ".join(sorted(items)) or "none; give the item an id in its file"
            raise MacroError(f"evidence_value: mechanism {mechanism!r} has no evidence item {evidence!r}"
                             f"{closest_hint(str(evidence), items)}; its evidence ids: {have}")
        e = items[evidence]
        # Markdown fields carry citations and markup of their own: they are read on the record's page.
        values = _plain_values(e, leave_out={"id", *MARKDOWN_FIELDS})
        if e.figures:
            values["figures"] = "; ".join(e.figures)
        where = f"evidence item {evidence!r} of {mechanism!r}"
        if field not in values:
            raise MacroError(f"evidence_value: {where} has no value for {field!r}{closest_hint(str(field), values)}; "
                             f"fields with a value: {', '.join(sorted(values)) or 'none'}")
        value = values[field]
        if containing is not None:
            if field != "figures":
                raise MacroError("evidence_value: containing picks one of the figures; use it with field \"figures\"")
            if not isinstance(containing, str) or not containing.strip():
                raise MacroError("evidence_value: containing is a piece of text found in one figure")
            found = [f for f in e.figures if containing.casefold() in f.casefold()]
            if len(found) != 1:
                many = f"{len(found)} figures of {where} contain" if found else f"no figure of {where} contains"
                raise MacroError(f"evidence_value: {many} {containing!r}; its figures: {'; '.join(map(repr, e.figures))}")
            value = found[0]
        return self._value(value)

    def event_date(self, id: str, part: str | None = None) -> str:  # noqa: A002
        """The date of a timeline event, named by its ``id``, as the data holds it (1998, 2014-07, 2018-11-01);
        ``part="year"`` gives the year alone."""
        events = {e.id: e for e in self.eb.timeline if e.id is not None}
        if id not in events:
            raise MacroError(f"no timeline event {id!r} in data/timeline.yaml{closest_hint(str(id), events)}",
                             ("timeline", id))
        if part not in (None, "year"):
            raise MacroError(f"event_date: part is \"year\" or left out for the whole date, not {part!r}")
        date = str(events[id].date)
        shown = date.split("-")[0] if part == "year" else date
        w = self._writer()
        return self._finish(w, f'<time class="atlas-value" datetime="{w.text(date)}">{w.text(shown)}</time>', inline=True)

    def outcome(self, trial: str, endpoint: str, arm: str | None = None, subgroup: str | None = None,
                timepoint: str | None = None, cite: bool = True) -> str:
        """A trial's result for one endpoint, formatted, with its citation. ``subgroup``/``timepoint``
        pick among several results for the endpoint (``"none"``: the one without); ``arm`` gives one arm's
        value; ``cite=False`` leaves the citation to the next figure of the same outcome ("from X to Y [1]")."""
        t = self._record("trials", trial)
        endpoints = sorted({o.endpoint for o in t.outcomes})
        found = [o for o in t.outcomes if o.endpoint == endpoint]
        if not found:
            choices = ", ".join(endpoints) if endpoints else "none: the trial reports no outcome"
            raise MacroError(f"outcome: trial {trial!r} reports no {endpoint!r} outcome (its endpoints: {choices})")
        for name, wanted in (("subgroup", subgroup), ("timepoint", timepoint)):
            if wanted is None:
                continue
            narrowed = [o for o in found if (getattr(o, name) or NONE) == wanted]
            if not narrowed:
                have = sorted({repr(getattr(o, name) or NONE) for o in found})
                raise MacroError(f"outcome: no {endpoint} outcome of {trial!r} with {name}={wanted!r} "
                                 f"(its {name} values for {endpoint}: {', '.join(have)})")
            found = narrowed
        if len(found) > 1:
            raise MacroError(f"outcome: {trial!r} reports {len(found)} {endpoint} outcomes; say which: "
                             + "; ".join(f"{outcome_label(o)} -> {_telling_apart(o, found)}" for o in found))
        o = found[0]
        if arm is not None and arm not in o.values:
            labels = list(o.values) or [a.label for a in t.arms]
            raise MacroError(f"outcome: {outcome_label(o)} of {trial!r} has no value for arm {arm!r} "
                             f"(arms with a value: {', '.join(map(repr, labels)) or 'none'})")
        w = self._writer()
        html = f'<span class="atlas-figure">{w.text(outcome_figures(o, arm))}</span>'
        if cite:
            html += f" {w.cite(o.refs)}"
        return self._finish(w, html, inline=True)

    def trial_table(self, phase: str | list[str] | None = None, setting: str | list[str] | None = None,
                    status: str | list[str] | None = None, agent: str | list[str] | None = None,
                    mechanism: str | list[str] | None = None, columns: list[str] | None = None) -> str:
        """The trial table component, of the trials matching every filter given (a value or a list of values)."""
        wants = {
            "phase": self._values("phase", phase, PHASE_ORDER),
            "setting": self._values("setting", setting, get_args(Setting)),
            "status": self._values("status", status, get_args(TrialStatus)),
            "agent": self._ids("agent", agent, "agents"),
            "mechanism": self._ids("mechanism", mechanism, "mechanisms"),
        }
        keys = [c.key for c in TRIAL_COLUMNS]
        if columns is not None:
            if isinstance(columns, str) or not columns:
                raise MacroError(f"trial_table: columns is a list of column names, from: {', '.join(keys)}")
            wrong = [c for c in columns if c not in keys]
            if wrong:
                raise MacroError(f"trial_table: no column {wrong[0]!r}{closest_hint(str(wrong[0]), keys)}; "
                                 f"columns: {', '.join(keys)}")
        trials = {}
        for tid, t in self.eb.trials.items():
            have = {"phase": {t.phase}, "setting": {t.setting}, "status": {t.status},
                    "agent": {a for arm in t.arms for a in arm.agents}, "mechanism": set(t.mechanisms)}
            if all(not want or have[name] & want for name, want in wants.items()):
                trials[tid] = t
        table_id = self._table_id("trial")
        caption = _caption("Clinical trials", wants, self.eb)
        w = self._writer()
        html = trial_table(w, table_id, trials, columns, caption, state_prefix=f"{table_id}.")
        return self._finish(w, html, inline=False)

    def patent_table(self, office: str | list[str] | None = None, year: str | int | list | None = None,
                     agent: str | list[str] | None = None, mechanism: str | list[str] | None = None) -> str:
        """The patent table component, of the patents matching every filter given."""
        years = sorted({y for p in self.eb.patents.values() if (y := patent_year(p))})
        year = [str(y) for y in year] if isinstance(year, (list, tuple)) else (None if year is None else str(year))
        wants = {
            "office": self._values("office", office, tuple(PATENT_OFFICES)),
            "year": self._values("year", year, tuple(years)),
            "agent": self._ids("agent", agent, "agents"),
            "mechanism": self._ids("mechanism", mechanism, "mechanisms"),
        }
        patents = {}
        for pid, p in self.eb.patents.items():
            have = {"office": {patent_office(pid)}, "year": {patent_year(p)}, "agent": set(p.agents),
                    "mechanism": set(p.mechanisms)}
            if all(not want or have[name] & want for name, want in wants.items()):
                patents[pid] = p
        table_id = self._table_id("patent")
        w = self._writer()
        html = patent_table(w, table_id, patents, _caption("Patent applications", wants, self.eb), state_prefix=f"{table_id}.")
        return self._finish(w, html, inline=False)

    def record_card(self, kind: str, id: str) -> str:  # noqa: A002
        """A compact summary box of a record, linking to its page."""
        rec = self._record(kind, id)
        w = self._writer()
        k = KINDS[kind]
        facts: list[tuple[str, str]] = []
        if kind == "trials":
            facts = [("Phase", rec.phase or "not stated"), ("Setting", rec.setting), ("Status", rec.status),
                     ("Enrollment", rec.enrollment), ("Key result", key_result(rec))]
        elif kind == "agents":
            facts = [("Class", rec.agent_class.replace("-", " ")), ("Status", rec.status),
                     ("Also known as", ", ".join(rec.aliases)), ("Targets", ", ".join(rec.targets))]
        elif kind == "mechanisms":
            links = self.eb.links
            facts = [("Category", rec.category.replace("-", " ")), ("Review section", ", ".join(rec.sections)),
                     ("Players", ", ".join(rec.players)), ("Evidence items", len(rec.evidence)),
                     ("Trials", len(links.of(kind, id, "trials"))), ("Patents", len(links.of(kind, id, "patents")))]
        elif kind == "patents":
            facts = [("Title", rec.display_title), ("Office", PATENT_OFFICES[patent_office(id)]), ("Published", rec.published),
                     ("Assignee", rec.assignee)]
        rows = "\n".join(f"<dt>{w.text(label)}</dt>\n<dd>{w.text(value)}</dd>" for label, value in facts
                         if value not in (None, "", 0) or label in ("Trials", "Patents", "Evidence items"))
        html = (f'<div class="atlas-card atlas-card-{k.singular}">\n'
                f'<p class="atlas-card-title"><span class="atlas-card-kind">{w.text(k.singular.capitalize())}</span> '
                f'{w.link(record_page(kind, id), w.text(record_label(self.eb, kind, id)))}</p>\n'
                f'<dl class="atlas-facts">\n{rows}\n</dl>\n'
                f'<p class="atlas-card-more">{w.link(record_page(kind, id), "Sources, figures and links on its page")}</p>\n'
                "</div>")
        return self._finish(w, html, inline=False)

    # ---- checks shared by the macros ---------------------------------------------------
    def _record(self, kind: str, rid: str):
        if kind not in KINDS:
            raise MacroError(f"no record kind {kind!r}{closest_hint(str(kind), KINDS)}; kinds: {', '.join(KINDS)}")
        records = self.eb.loaded.records[kind]
        if rid not in records:
            k = KINDS[kind]
            raise MacroError(f"no {k.singular} {rid!r} in {k.folder}/{closest_hint(str(rid), records)}", (kind, rid))
        return records[rid]

    def _values(self, name: str, given, allowed: tuple) -> set[str]:
        values = _as_list(name, given)
        for v in values:
            if v not in allowed:
                raise MacroError(f"no {name} {v!r}{closest_hint(str(v), allowed)}; {name} is one of: {', '.join(allowed)}")
        return set(values)

    def _ids(self, name: str, given, kind: str) -> set[str]:
        values = _as_list(name, given)
        for v in values:
            self._record(kind, v)
        return set(values)

    def _table_id(self, what: str) -> str:
        self.tables[what] = self.tables.get(what, 0) + 1
        return f"{what}-table-{self.tables[what]}"

    def mechanism_map(self) -> str:
        """The map of the atlas: categories, their mechanisms and the agents against them, as an inline
        SVG with every node a link, and the same links as a list beside it."""
        from .mechanism_map import mechanism_map as draw
        from .mechanisms import CATEGORY_LABELS

        w = self._writer()
        return self._finish(w, draw(self.eb, self.page, CATEGORY_LABELS), inline=False)

    def _value(self, value: object) -> str:
        """A value from the data, escaped, in the sentence that quotes it."""
        w = self._writer()
        return self._finish(w, f'<span class="atlas-value">{w.text(value)}</span>', inline=True)

    def _writer(self) -> _CitingWriter:
        return _CitingWriter(self.eb, self.page)

    def _finish(self, w: _CitingWriter, html: str, inline: bool) -> str:
        """Final macro output: Markdown punctuation neutralised, no blank line, citations as ``[@key]``."""
        html = _MARKDOWN_CHARS_RE.sub(lambda m: _MARKDOWN_CHARS[m.group(0)], html)
        if inline:
            html = " ".join(html.split("\n"))
        else:
            # Blank lines would end the HTML block; a block stands on its own lines.
            html = "\n\n" + "\n".join(line for line in html.splitlines() if line.strip()) + "\n\n"

        def bracket(m: re.Match) -> str:
            keys = w.held[int(m.group(1))]
            self.cited.extend(keys)
            return "[" + "; ".join(f"@{k}" for k in keys) + "]"

        # Data's own "[" are character references by now: the only citation brackets are the atlas's.
        return _HOLD_RE.sub(bracket, html)


def _plain_values(model, leave_out: set[str] | frozenset[str] = frozenset()) -> dict[str, object]:
    """A record's or item's fields that hold one plain value (a number, a date, a short text)."""
    return {k: v for k, v in model.model_dump(by_alias=True).items()
            if k not in leave_out and isinstance(v, (str, int, float)) and not isinstance(v, bool)}


def _as_list(name: str, given) -> list[str]:
    if given is None:
        return []
    values = list(given) if isinstance(given, (list, tuple)) else [given]
    if not all(isinstance(v, str) for v in values):
        raise MacroError(f"{name} is a value or a list of values written as text, e.g. {name}=\"...\"")
    return values


def _telling_apart(o: Outcome, found: list[Outcome]) -> str:
    """The arguments (subgroup=, timepoint=) that pick ``o`` among ``found``."""
    args = []
    for name in ("subgroup", "timepoint"):
        values = {getattr(x, name) for x in found}
        if len(values) > 1:
            args.append(f"{name}={getattr(o, name) or NONE!r}")
    return ", ".join(args) or "not told apart by subgroup or timepoint (a duplicate in the data?)"


def _caption(what: str, wants: dict[str, set[str]], eb: EvidenceBase) -> str:
    parts = []
    for name, values in wants.items():
        if values:
            kind = {"agent": "agents", "mechanism": "mechanisms"}.get(name)
            shown = sorted(record_label(eb, kind, v) if kind else v for v in values)
            parts.append(f"{name} {' or '.join(shown)}")
    return f"{what}: {'; '.join(parts)}" if parts else what
