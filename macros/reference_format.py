"""One reference as HTML: authors, title, journal, year, volume(number), pages, and links.

Every value is decoded from LaTeX and then HTML-escaped; only http(s) URLs,
bare DOIs and numeric PubMed ids become links.
"""
from __future__ import annotations

from typing import Callable
from urllib.parse import quote

from .bibliography import Reference
from .markup import escape

External = Callable[[str, str], str]


def format_reference(ref: Reference, external: External) -> str:
    t = ref.text
    parts: list[str] = []
    if ref.authors:
        names = [a for a in ref.authors if a != "et al."]
        shown = ", ".join(escape(_name(a)) for a in names)
        if len(names) < len(ref.authors):
            shown += ", et al."
        parts.append(f'<span class="atlas-ref-authors">{shown}</span>' + ("" if shown.endswith(".") else "."))
    title = t.get("title") or (f"Patent {t['number']}" if ref.entry_type == "patent" and t.get("number") else "")
    if title:
        parts.append(f'<span class="atlas-ref-title">{escape(title.rstrip("."))}</span>.')
    venue = t.get("journal") or t.get("booktitle") or ""
    if venue:
        parts.append(f"<em>{escape(venue)}</em>")
    if ref.entry_type == "patent" and t.get("number") and t.get("title"):
        parts.append(escape(t["number"]))
    where = ""
    if t.get("year"):
        where = escape(t["year"])
    if t.get("volume"):
        where += (";" if where else "") + escape(t["volume"])
        if t.get("number") and ref.entry_type != "patent":
            where += f"({escape(t['number'])})"
    if t.get("pages"):
        where += (":" if where else "") + escape(t["pages"])
    if where:
        parts.append(where + ".")
    if t.get("publisher") and not venue:
        parts.append(escape(t["publisher"]) + ".")
    if t.get("note"):
        parts.append(f'<span class="atlas-ref-note">{escape(t["note"])}</span>.')
    links = []
    if ref.doi:
        links.append(external(f"https://doi.org/{quote(ref.doi, safe='/:;()._-')}", f"doi:{escape(ref.doi)}"))
    if ref.pmid:
        links.append(external(f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/", f"PubMed {ref.pmid}"))
    if ref.url:
        links.append(external(ref.url, "link"))
    if links:
        parts.append(" · ".join(links))
    return " ".join(parts)


def _name(author: str) -> str:
    """``Slamon, D.J.`` -> ``Slamon D.J.``; ``Hasan, Gul`` -> ``Gul Hasan``: commas separate authors only."""
    last, _, first = (p.strip() for p in author.partition(","))
    if any(c.islower() for c in first):
        return f"{first} {last}".strip()
    return f"{last} {first}".strip()
