"""Writing one page: its relative links, its citation numbering and its reference list.

Every page generator works through a ``PageWriter`` so that links, escaping
and citation markers are made the same way everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .citations import CitationGroup, Numbering
from .domain import record_exists, record_label
from .evidence import EvidenceBase
from .glossary import Abbreviations
from .links import INDEX_PAGES, bib_anchor, href, record_page
from .markup import escape, escape_markdown_inline, render_markdown
from .reference_format import format_reference


@dataclass
class PageWriter:
    eb: EvidenceBase
    page: str  # source path of the page being written, e.g. "trials/NCT00567190.md"
    abbr: Abbreviations | None = None
    numbering: Numbering = field(default_factory=Numbering)

    # ---- links --------------------------------------------------------------------
    def href(self, to: str, anchor: str | None = None) -> str:
        return href(self.page, to, anchor)

    def link(self, to: str, label_html: str, anchor: str | None = None, cls: str | None = None) -> str:
        c = f' class="{cls}"' if cls else ""
        return f'<a href="{escape(self.href(to, anchor))}"{c}>{label_html}</a>'

    def record_link(self, kind: str, rid: str) -> str:
        """A link to a record by its display name; an unknown id is shown, not linked."""
        label = record_label(self.eb, kind, rid)
        if not record_exists(self.eb, kind, rid):
            return f'<span class="atlas-missing">{escape(label)}</span>'
        return self.link(record_page(kind, rid), escape(label))

    @staticmethod
    def external(url: str, label_html: str) -> str:
        return f'<a href="{escape(url)}" rel="noopener noreferrer">{label_html}</a>'

    def reference(self, key: str) -> str:
        """A BibTeX entry formatted for a reference list. Its links are absolute, so the same HTML
        serves every page that cites it: it is made once per evidence base."""
        return self.eb.once((format_reference, key), lambda: format_reference(self.eb.bib.references[key], self.external))

    # ---- text ---------------------------------------------------------------------
    def text(self, value: object) -> str:
        return escape(value)

    def md(self, text: str | None, inline: bool = False) -> str:
        if not text:
            return ""
        return render_markdown(text, self.cite, self.abbr, inline=inline)

    def heading(self, level: int, text: str) -> str:
        return f"{'#' * level} {escape_markdown_inline(text)}"

    # ---- citations ----------------------------------------------------------------
    def cite(self, keys: list[str] | CitationGroup) -> str:
        """A citation marker ``[1, 3]`` linking to this page's reference list; a group written
        with a prefix or locators keeps them, in its own order: ``see [3, p. 5; 4]``."""
        if isinstance(keys, CitationGroup):
            if not keys.plain:
                return self._cite_with_locators(keys)
            keys = keys.keys
        if not keys:
            return ""
        parts = [self._number_link(n, key) for n, key in self.numbering.numbers(keys)]
        return f'<sup class="atlas-cite">[{", ".join(parts)}]</sup>'

    def _number_link(self, n: int, key: str) -> str:
        ref = self.eb.bib.get(key)
        title = escape(ref.short()) if ref else "unknown reference"
        return f'<a href="#ref-{n}" title="{title}">{n}</a>'

    def _cite_with_locators(self, group: CitationGroup) -> str:
        parts = []
        for i, item in enumerate(group.items):
            text = self._number_link(self.numbering.number(item.key), item.key)
            if item.prefix and i > 0:
                text = f"{escape(item.prefix)} {text}"
            if item.locator:
                text += f", {escape(item.locator)}"
            parts.append(text)
        lead = f"{escape(group.items[0].prefix)} " if group.items[0].prefix else ""
        return f'<sup class="atlas-cite">{lead}[{"; ".join(parts)}]</sup>'

    def references_section(self) -> str:
        """``## References`` with the numbered list, or nothing when the page cites nothing."""
        if not self.numbering.order:
            return ""
        items = []
        for n, key in enumerate(self.numbering.order, 1):
            ref = self.eb.bib.get(key)
            if ref is None:
                body = f'<span class="atlas-missing">Unknown reference {escape(key)}</span>'
            else:
                body = self.reference(key) + " " + self.link(
                    INDEX_PAGES["bibliography"], "in the bibliography", bib_anchor(key), "atlas-bibref")
            items.append(f'<li id="ref-{n}">{body}</li>')
        return "## References\n\n<ol class=\"atlas-refs\">\n" + "\n".join(items) + "\n</ol>\n"
