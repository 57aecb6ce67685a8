"""Checks across records: every link and citation resolves; nothing is dropped silently.

Shape problems (types, vocabularies, unknown fields) are found while loading;
this module adds what needs the whole evidence base.
"""
from __future__ import annotations

from dataclasses import dataclass

from .evidence import EvidenceBase, docs_citations, docs_findings, record_citations
from .findings import Finding, errors, field_path, warnings


@dataclass
class Report:
    findings: list[Finding]
    records: int
    files: int
    entries: int

    @property
    def errors(self) -> list[Finding]:
        return errors(self.findings)

    @property
    def warnings(self) -> list[Finding]:
        return warnings(self.findings)

    def summary(self) -> str:
        return (f"checked {self.records} records in {self.files} files and {self.entries} BibTeX entries: "
                f"{len(self.errors)} error(s), {len(self.warnings)} warning(s)")

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)


def check(eb: EvidenceBase) -> Report:
    findings = list(eb.loaded.findings) + list(eb.bib.findings) + docs_findings(eb)
    findings += _check_links(eb)
    findings += _check_trials(eb)
    cites = record_citations(eb) + docs_citations(eb)
    # An unreadable references.bib is one error, not one per citation.
    bib_readable = not any(f.field == "file" for f in eb.bib.findings)
    for c in cites:
        if c.key not in eb.bib.references and bib_readable:
            findings.append(Finding(c.path, c.line, c.field, f"unknown reference key {c.key!r} (not in references.bib)"))
    cited = {c.key for c in cites}
    for key, ref in eb.bib.references.items():
        if key not in cited:
            findings.append(Finding(eb.bib.path, ref.line, key, "entry is not cited by any record or page", "warning"))
    records = sum(len(v) for v in eb.loaded.records.values()) + sum(len(v) for v in eb.loaded.lists.values())
    return Report(sorted(set(findings), key=lambda f: (f.path, f.line, f.field, f.message)),
                  records, eb.loaded.files_checked, len(eb.bib))


def _check_links(eb: EvidenceBase) -> list[Finding]:
    out = []
    targets = {"mechanisms": eb.mechanisms, "agents": eb.agents}

    def need(kind: str, rid: str, src_kind: str, src_id: str, loc: tuple) -> None:
        if rid not in targets[kind]:
            where = eb.loaded.where[(src_kind, src_id)]
            singular = kind[:-1]
            hint = _case_hint(rid, targets[kind])
            out.append(Finding(where.path, where.line(loc), field_path(loc), f"no {singular} {rid!r} in data/{kind}/{hint}"))

    for mid, m in eb.mechanisms.items():
        for i, s in enumerate(m.strategies):
            for j, a in enumerate(s.agents):
                need("agents", a, "mechanisms", mid, ("strategies", i, "agents", j))
        for j, r in enumerate(m.related):
            need("mechanisms", r, "mechanisms", mid, ("related", j))
            if r == mid:
                where = eb.loaded.where[("mechanisms", mid)]
                out.append(Finding(where.path, where.line(("related", j)), f"related[{j}]", "a mechanism cannot be related to itself"))
    for tid, t in eb.trials.items():
        for i, arm in enumerate(t.arms):
            for j, a in enumerate(arm.agents):
                need("agents", a, "trials", tid, ("arms", i, "agents", j))
        for j, mid in enumerate(t.mechanisms):
            need("mechanisms", mid, "trials", tid, ("mechanisms", j))
    for pid, p in eb.patents.items():
        for j, mid in enumerate(p.mechanisms):
            need("mechanisms", mid, "patents", pid, ("mechanisms", j))
        for j, a in enumerate(p.agents):
            need("agents", a, "patents", pid, ("agents", j))
    return out


def _check_trials(eb: EvidenceBase) -> list[Finding]:
    out = []
    for tid, t in eb.trials.items():
        where = eb.loaded.where[("trials", tid)]
        labels = [a.label for a in t.arms]
        seen = set()
        for i, label in enumerate(labels):
            if label in seen:
                out.append(Finding(where.path, where.line(("arms", i, "label")), f"arms[{i}].label", f"arm label {label!r} is used twice"))
            seen.add(label)
        for i, o in enumerate(t.outcomes):
            for label in o.values:
                if labels and label not in seen:
                    loc = ("outcomes", i, "values", label)
                    out.append(Finding(where.path, where.line(loc), field_path(loc), f"{label!r} is not an arm label of this trial ({', '.join(map(repr, labels))})"))
    return out


def _case_hint(rid: str, existing: dict) -> str:
    match = next((k for k in existing if k.lower() == rid.lower()), None)
    return f" (did you mean {match!r}?)" if match else ""
