"""The bibliography page (every entry once, with "cited on" backlinks), glossary and timeline pages."""
from __future__ import annotations

import re
from collections import defaultdict

from .evidence import EvidenceBase, docs_citations, record_citations
from .links import bib_anchor
from .macro_calls import check_docs
from .domain import record_label
from .page import PageWriter
from .sections import front_matter, plain_table
from .timeline_chart import timeline_chart

_H1_RE = re.compile(r"^#\s+(.+?)\s*$", re.M)


def page_title(eb: EvidenceBase, page: str) -> str:
    """A human label for a page, for "cited on" lists."""
    parts = page[:-3].split("/")
    if len(parts) == 2 and parts[0] in eb.loaded.records and parts[1] != "index":
        return record_label(eb, parts[0], parts[1])
    if page in eb.docs.pages:
        m = _H1_RE.search(eb.docs.pages[page])
        if m:
            return m.group(1)
    return {"glossary.md": "Glossary", "timeline.md": "Timeline"}.get(page, page[:-3])


def cited_on(eb: EvidenceBase) -> dict[str, list[str]]:
    """BibTeX key -> pages that cite it (sorted)."""
    pages: dict[str, set[str]] = defaultdict(set)
    for c in record_citations(eb) + docs_citations(eb) + check_docs(eb).citations:
        if c.page:
            pages[c.key].add(c.page)
    return {k: sorted(v) for k, v in pages.items()}


def bibliography_page(w: PageWriter) -> str:
    eb = w.eb
    backlinks = cited_on(eb)
    refs = sorted(eb.bib.references.values(), key=lambda r: (min(r.reviewnums) if r.reviewnums else 0, r.key))
    items = []
    for ref in refs:
        nums = ", ".join(str(n) for n in ref.reviewnums)
        num_html = f'<span class="atlas-reviewnum" title="number in the review">[{nums}]</span> ' if nums else ""
        pages = backlinks.get(ref.key, [])
        cited = ", ".join(w.link(p, w.text(page_title(eb, p))) for p in pages)
        cited_html = f'<p class="atlas-cited-on">Cited on: {cited}</p>' if cited else '<p class="atlas-cited-on">Not cited on any page.</p>'
        items.append(f'<li id="{bib_anchor(ref.key)}">{num_html}{w.reference(ref.key)} '
                     f'<code class="atlas-key">{w.text(ref.key)}</code>{cited_html}</li>')
    return "\n".join([
        front_matter(), "# Bibliography", "",
        f"<p>All {len(refs)} works of the atlas's bibliography, ordered by their number in the review "
        "(shown in brackets). Each entry lists the pages that cite it. The BibTeX file is on the "
        f"{w.link('downloads.md', 'downloads page')}.</p>", "",
        '<ul class="atlas-bibliography">', *items, "</ul>", ""])


def glossary_page(w: PageWriter) -> str:
    rows = []
    for t in sorted(w.eb.glossary, key=lambda t: (t.term.lower(), t.expansion.lower())):
        definition = w.md(t.definition) if t.definition else ""
        src = f" {w.cite(t.refs)}" if t.refs else ""
        rows.append([w.text(t.term), w.text(t.expansion), f"{definition}{src}"])
    body = plain_table(["Term", "Stands for", "Definition"], rows, "atlas-plain atlas-glossary", row_headers=True)
    return "\n".join([front_matter(), "# Glossary", "",
                      "<p>Abbreviations and terms used across the atlas. Terms with a single meaning are "
                      "explained in a tooltip wherever they appear; terms with two meanings (such as ER) are not.</p>", "",
                      body, "", w.references_section()])


def timeline_page(w: PageWriter) -> str:
    items = []
    for e in sorted(w.eb.timeline, key=lambda e: str(e.date)):
        src = f" {w.cite(e.refs)}" if e.refs else ""
        items.append(f'<li><time datetime="{w.text(e.date)}">{w.text(e.date)}</time> {w.md(e.event, inline=True)}{src}</li>')
    return "\n".join([front_matter(), "# Timeline", "",
                      "<p>Milestones in the story of HER2 and trastuzumab, from the discovery of the <em>neu</em> gene "
                      "to the antibody–drug conjugates.</p>", "", timeline_chart(w.eb.timeline, w.page), "",
                      '<ol class="atlas-timeline">', *items, "</ol>", "", w.references_section()])
