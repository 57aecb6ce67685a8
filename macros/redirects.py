"""Renamed records: the old URL keeps working through a small redirect page.

A rename is declared once, on the record under its new id: ``former_ids: [old-id]``. The
build then writes ``<kind>/<old-id>.html``, a page that sends the reader on with a meta
refresh (which works from ``file://`` too) and a plain link. The check refuses a former id
that is not a valid id, that is still a live record, that another record claims too, or whose
page would replace an index page.
"""
from __future__ import annotations

from dataclasses import dataclass

from .evidence import EvidenceBase
from .findings import Finding
from .links import INDEX_PAGES, href, output_path, record_page
from .markup import escape
from .kinds import KIND_SINGULAR, id_problem
from .page import record_label


@dataclass(frozen=True, order=True)
class Redirect:
    kind: str      # plural folder name, e.g. "trials"
    old: str       # the former id
    new: str       # the record's id now

    @property
    def page(self) -> str:
        """Source path of the old page (``trials/old.md``); the file written is its .html."""
        return record_page(self.kind, self.old)


def redirects(eb: EvidenceBase) -> list[Redirect]:
    """Every declared rename whose old id is free (the check reports the others)."""
    bad = {(f_kind, old, rid) for f_kind, old, (rid, _, _) in _problems(eb)}
    return sorted({Redirect(kind, old, rid) for kind, records in eb.loaded.records.items()
                   for rid, rec in records.items() for old in getattr(rec, "former_ids", ())
                   if (kind, old, rid) not in bad})


def redirect_findings(eb: EvidenceBase) -> list[Finding]:
    out = []
    for kind, old, (rid, j, message) in _problems(eb):
        where = eb.loaded.where[(kind, rid)]
        out.append(Finding(where.path, where.line(("former_ids", j)), f"former_ids[{j}]", message))
    return out


def _problems(eb: EvidenceBase) -> list[tuple[str, str, tuple[str, int, str]]]:
    """(kind, former id, (record id, index, message)) for every former id that cannot redirect."""
    out = []
    reserved = {output_path(p) for p in INDEX_PAGES.values()}
    for kind, records in eb.loaded.records.items():
        live = {rid.lower(): rid for rid in records}
        claimed: dict[str, str] = {}
        for rid, rec in sorted(records.items()):
            for j, old in enumerate(getattr(rec, "former_ids", ())):
                problem = id_problem(kind, old)
                key = old.lower()
                if problem:
                    message = f"{old!r}: {problem}"
                elif key == rid.lower():
                    message = f"{old!r} is this record's own id"
                elif key in live:
                    message = (f"{old!r} is still a live {KIND_SINGULAR[kind]} (data/{kind}/{live[key]}.yaml): "
                               "a former id must be free")
                elif key in claimed:
                    message = f"{old!r} is already a former id of {claimed[key]!r}" if claimed[key] != rid else \
                        f"{old!r} is listed twice"
                elif output_path(record_page(kind, old)) in reserved:
                    message = f"{old!r} would replace the page {output_path(record_page(kind, old))}"
                else:
                    claimed[key] = rid
                    continue
                out.append((kind, old, (rid, j, message)))
    return out


def redirect_page(eb: EvidenceBase, r: Redirect) -> str:
    """A small standalone HTML page that forwards to the record's page now."""
    target = escape(href(r.page, record_page(r.kind, r.new)))
    label = escape(record_label(eb, r.kind, r.new))
    singular = KIND_SINGULAR[r.kind]
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f'<link rel="canonical" href="{target}">\n'
        f"<title>Moved: {label}</title>\n</head>\n<body>\n"
        f"<p>This {singular} was renamed from {escape(r.old)} to {escape(r.new)}. "
        f'Its page is now <a href="{target}">{label}</a>.</p>\n'
        "</body>\n</html>\n")


def redirect_files(eb: EvidenceBase) -> dict[str, bytes]:
    """``{output path: HTML}`` for every redirect, to be written into the built site as is."""
    return {output_path(r.page): redirect_page(eb, r).encode("utf-8") for r in redirects(eb)}


def renames(old: EvidenceBase, new: EvidenceBase) -> list[Redirect]:
    """Records that a change renamed: the old id was a live record before and is a former id now.
    A diff reports them as renames (with the redirect kept), not as a removal plus an addition."""
    return [r for r in redirects(new) if r.old in old.loaded.records.get(r.kind, {})
            and r.old not in new.loaded.records.get(r.kind, {})]
