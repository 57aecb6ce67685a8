"""Checks across records: every link and citation resolves; nothing is dropped silently.

Shape problems (types, vocabularies, unknown fields) are found while loading;
this module adds what needs the whole evidence base.
"""
from __future__ import annotations

from dataclasses import dataclass

from .evidence import EvidenceBase, collector_paused, docs_citations, docs_findings, record_citations
from .failed_records import KnownInvalid, known_invalid
from .findings import Finding, closest_hint, errors, field_path, warnings
from .item_identity import check_item_identity
from .kinds import KINDS, link_uses
from .macro_calls import check_docs
from .page_links import check_page_links
from .provenance import provenance_findings
from .redirects import redirect_findings


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


@collector_paused()
def check(eb: EvidenceBase) -> Report:
    findings = list(eb.loaded.findings) + list(eb.bib.findings) + docs_findings(eb)
    # A record that failed to load is reported once, by the loader: nothing that depends on it repeats it.
    invalid = known_invalid(eb)
    findings += _check_links(eb, invalid)
    findings += _check_trials(eb)
    findings += provenance_findings(eb)
    findings += check_item_identity(eb)
    findings += check_page_links(eb, invalid)
    findings += redirect_findings(eb)
    pages = check_docs(eb)
    findings += pages.findings
    cites = record_citations(eb) + docs_citations(eb) + pages.citations
    # An unreadable references.bib is one error, not one per citation.
    bib_readable = not any(f.field == "file" for f in eb.bib.findings)
    for c in cites:
        if c.key not in eb.bib.references and bib_readable:
            findings.append(Finding(c.path, c.line, c.field, f"unknown reference key {c.key!r} (not in references.bib)"))
    cited = {c.key for c in cites} | invalid.keys
    for key, ref in eb.bib.references.items():
        if key not in cited:
            findings.append(Finding(eb.bib.path, ref.line, key, "entry is not cited by any record or page", "warning"))
    records = sum(len(v) for v in eb.loaded.records.values()) + sum(len(v) for v in eb.loaded.lists.values())
    return Report(sorted(set(findings), key=lambda f: (f.path, f.line, f.field, f.message)),
                  records, eb.loaded.files_checked, len(eb.bib))


def _check_links(eb: EvidenceBase, invalid: KnownInvalid) -> list[Finding]:
    """Every id a declared link field holds names an existing record (with the closest ids as a hint)."""
    out = []
    for use in link_uses(eb.loaded.records):
        where = eb.loaded.where[(use.kind, use.record_id)]
        target = KINDS[use.link.target]
        name = field_path(use.loc)
        if use.target_id == use.record_id and use.link.target == use.kind:
            out.append(Finding(where.path, where.line(use.loc), name, f"a {target.singular} cannot be linked to itself"))
        elif use.target_id not in eb.loaded.records[target.name] and not invalid.has(target.name, use.target_id):
            hint = closest_hint(use.target_id, eb.loaded.records[target.name])
            out.append(Finding(where.path, where.line(use.loc), name,
                               f"no {target.singular} {use.target_id!r} in {target.folder}/{hint}"))
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

