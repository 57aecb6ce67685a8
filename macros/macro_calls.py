"""The macro calls in hand-written pages, read without building: where they are and whether they work.

Jinja's own parser reads each page under docs/ (with the delimiters mkdocs.yml gives the
macros plugin) and yields the calls of the atlas's macros with their constant arguments and
their line. ``check_docs`` runs each call against the evidence base exactly as the build
would, so ``python -m macros check`` reports the same wrong kinds, ids, filter values and
endpoints as the build, as ``docs/page.md:line: macro: message``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes

from .evidence import Citation, EvidenceBase
from .findings import Finding, errors
from .kinds import KINDS, LIST_KINDS
from .page_macros import MacroError, PageMacros

# The macros plugin's settings in mkdocs.yml (a test keeps the two in step).
COMMENT_START, COMMENT_END = "{##", "##}"
_FRONT_MATTER_RE = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", re.S)
_RENDER_OFF_RE = re.compile(r"^render_macros:\s*(false|no|off)\s*$", re.M | re.I)


@dataclass(frozen=True)
class MacroCall:
    name: str
    line: int
    args: tuple  # constant positional arguments (None when one is not a constant)
    kwargs: tuple  # (name, value) pairs
    constant: bool  # every argument is a constant, so the call can be checked without building

    def same_arguments(self, args: tuple, kwargs: dict) -> bool:
        return self.constant and self.args == tuple(args) and dict(self.kwargs) == dict(kwargs)


def jinja_environment() -> Environment:
    return Environment(comment_start_string=COMMENT_START, comment_end_string=COMMENT_END)


def renders_macros(markdown: str) -> bool:
    """False when the page's front matter switches the macros off (``render_macros: false``)."""
    fm = _FRONT_MATTER_RE.match(markdown)
    return not (fm and _RENDER_OFF_RE.search(fm.group(1)))


def find_calls(markdown: str, names=PageMacros.NAMES) -> list[MacroCall]:
    """Every call of a macro in ``names`` in a page's source. A template that does not parse raises
    ``jinja2.TemplateSyntaxError`` (with its ``lineno``)."""
    tree = jinja_environment().parse(markdown)
    out = []
    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in names:
            continue
        args, kwargs, constant = [], [], not (call.dyn_args or call.dyn_kwargs)
        for a in call.args:
            value, ok = _constant(a)
            args.append(value)
            constant = constant and ok
        for kw in call.kwargs:
            value, ok = _constant(kw.value)
            kwargs.append((kw.key, value))
            constant = constant and ok
        out.append(MacroCall(call.node.name, call.lineno, tuple(args), tuple(kwargs), constant))
    return sorted(out, key=lambda c: c.line)


def records_named(call: MacroCall) -> list[tuple[str, str]]:
    """(kind, id) of every record a constant macro call names: the record it links, shows or quotes,
    and the agents and mechanisms a table is filtered by."""
    if not call.constant:
        return []
    args, kwargs = list(call.args), dict(call.kwargs)
    out: list[tuple[str, str]] = []
    if call.name in ("record_link", "record_card", "record_value"):
        kind, rid = (args + [kwargs.get("kind"), kwargs.get("id")][len(args):])[:2]
        if isinstance(kind, str) and isinstance(rid, str):
            out.append((kind, rid))
    elif call.name == "evidence_value":
        mechanism = args[0] if args else kwargs.get("mechanism")
        if isinstance(mechanism, str):
            out.append(("mechanisms", mechanism))
    elif call.name == "outcome":
        trial = args[0] if args else kwargs.get("trial")
        if isinstance(trial, str):
            out.append(("trials", trial))
    elif call.name in ("trial_table", "patent_table"):
        for name, kind in (("agent", "agents"), ("mechanism", "mechanisms")):
            value = kwargs.get(name)
            for rid in ([value] if isinstance(value, str) else value or []):
                if isinstance(rid, str):
                    out.append((kind, rid))
    return out


def _constant(node: nodes.Node) -> tuple[Any, bool]:
    try:
        value = node.as_const()
    except nodes.Impossible:
        return None, False
    return (tuple(value) if isinstance(value, list) else value), True


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def call_line(markdown: str, name: str, args: tuple, kwargs: dict) -> int | None:
    """The line of the first call of ``name`` with these arguments (for the build's error messages)."""
    try:
        calls = [c for c in find_calls(markdown, (name,))]
    except TemplateSyntaxError:
        return None
    args = tuple(_hashable(a) for a in args)
    kwargs = {k: _hashable(v) for k, v in kwargs.items()}
    exact = [c for c in calls if c.same_arguments(args, kwargs)]
    if exact or len(calls) == 1:
        return (exact or calls)[0].line
    return None


@dataclass(frozen=True)
class PageCheck:
    findings: list[Finding]
    citations: list[Citation]


def check_page(eb: EvidenceBase, rel: str, page: str, markdown: str) -> PageCheck:
    """Run every constant macro call of one page (``rel``: path from the project root, ``page``: inside docs/)."""
    if not renders_macros(markdown):
        return PageCheck([], [])
    try:
        calls = find_calls(markdown)
    except TemplateSyntaxError as exc:
        return PageCheck([Finding(rel, exc.lineno or 1, "macros", f"the page's macros do not parse: {exc.message}")], [])
    macros = PageMacros(eb, page)
    findings, cites = [], []
    for c in calls:
        if not c.constant:
            continue  # a computed argument: only the build can tell
        before = len(macros.cited)
        try:
            macros.call(c.name, *[_as_list(a) for a in c.args], **{k: _as_list(v) for k, v in c.kwargs})
        except MacroError as exc:
            if exc.missing and _reported_broken(eb, *exc.missing):
                continue  # the record or event is there but has errors of its own, reported on it
            findings.append(Finding(rel, c.line, c.name, str(exc)))
        cites += [Citation(k, rel, c.line, c.name, page) for k in macros.cited[before:]]
    findings += _uncited_figures(rel, calls)
    return PageCheck(findings, cites)


def _uncited_figures(rel: str, calls: list[MacroCall]) -> list[Finding]:
    """An ``outcome(..., cite=False)`` needs the same outcome cited later on its line ("from X to Y [1]")."""
    out = []
    outcomes = [c for c in calls if c.name == "outcome" and c.constant and len(c.args) >= 2]
    for i, c in enumerate(outcomes):
        if dict(c.kwargs).get("cite", True) is not False:
            continue
        same = lambda d: d.line == c.line and d.args[:2] == c.args[:2] and dict(d.kwargs).get("cite", True) is not False
        if not any(same(d) for d in outcomes[i + 1:]):
            out.append(Finding(rel, c.line, "outcome", f"cite=False: the same outcome ({', '.join(map(repr, c.args[:2]))}) "
                                                       "must be cited later on this line"))
    return out


def _reported_broken(eb: EvidenceBase, kind: str, rid: str) -> bool:
    """True when what a call names may exist but failed to load (its own errors say why)."""
    if kind in LIST_KINDS:
        # An item that does not validate is left out of its list: the call may name it.
        path = f"data/{kind}.yaml"
        return any(f.path == path for f in errors(eb.loaded.findings))
    return (eb.root / KINDS[kind].folder / f"{rid}.yaml").is_file()


def _as_list(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def check_docs(eb: EvidenceBase) -> PageCheck:
    """Every page under docs/: its wrong macro calls, and the citations its macros carry."""
    return eb.once(check_docs, lambda: _check_docs(eb))


def _check_docs(eb: EvidenceBase) -> PageCheck:
    findings, cites = [], []
    for page, text in sorted(eb.docs.pages.items()):
        result = check_page(eb, f"docs/{page}", page, text)
        findings += result.findings
        cites += result.citations
    return PageCheck(findings, cites)
