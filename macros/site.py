"""The whole site as data: evidence base in, ``{page path: Markdown}`` and download files out.

This is the pure function the MkDocs hook adapts; it knows nothing of MkDocs.
"""
from __future__ import annotations

from .agents import agent_index, agent_page
from .citations import replace_citations_in_markdown
from .downloads import DOWNLOAD_DIR, download_names
from .evidence import EvidenceBase
from .exact_search import INDEX_PATH as EXACT_SEARCH_INDEX, index_script as exact_search_script
from .glossary import Abbreviations, tooltip_terms
from .links import INDEX_PAGES, record_page
from .mechanisms import mechanism_index, mechanism_page
from .page import PageWriter
from .patents import patent_index, patent_page
from .reference_pages import bibliography_page, glossary_page, timeline_page
from .sections import front_matter
from .trials import trial_index, trial_page

BUNDLE_NAME = "trastuzumab-resistance-atlas"


def abbreviations(eb: EvidenceBase) -> Abbreviations:
    return Abbreviations(tooltip_terms(eb.glossary))


def build_pages(eb: EvidenceBase) -> dict[str, str]:
    """Every generated page: one per record, the index pages, bibliography, glossary, timeline, downloads."""
    abbr = abbreviations(eb)
    pages: dict[str, str] = {}

    def write(page: str, fn, *args) -> None:
        pages[page] = fn(PageWriter(eb, page, abbr), *args)

    for mid, m in sorted(eb.mechanisms.items()):
        write(record_page("mechanisms", mid), mechanism_page, mid, m)
    for aid, a in sorted(eb.agents.items()):
        write(record_page("agents", aid), agent_page, aid, a)
    for tid, t in sorted(eb.trials.items()):
        write(record_page("trials", tid), trial_page, tid, t)
    for pid, p in sorted(eb.patents.items()):
        write(record_page("patents", pid), patent_page, pid, p)
    write(INDEX_PAGES["mechanisms"], mechanism_index)
    write(INDEX_PAGES["agents"], agent_index)
    write(INDEX_PAGES["trials"], trial_index)
    write(INDEX_PAGES["patents"], patent_index)
    write(INDEX_PAGES["bibliography"], bibliography_page)
    write(INDEX_PAGES["glossary"], glossary_page)
    write(INDEX_PAGES["timeline"], timeline_page)
    write(INDEX_PAGES["downloads"], downloads_page)
    return pages


def asset_files(eb: EvidenceBase) -> dict[str, bytes]:
    """Generated front-end files: the exact-match search lookup (see ``exact_search``)."""
    return {EXACT_SEARCH_INDEX: exact_search_script(eb)}


def downloads_page(w: PageWriter) -> str:
    files = download_names(w.eb)
    labels = {"atlas.json": "everything (all record kinds, glossary and timeline) as JSON",
              "trials.csv": "the trial table as CSV", "patents.csv": "the patent index as CSV",
              "references.bib": "the bibliography as BibTeX"}
    items = []
    for f in files:
        name = f.split("/", 1)[1]
        label = labels.get(name) or f"{name[:-5]} as JSON"
        items.append(f"<li>{w.link(f, w.text(name))} — {w.text(label)}</li>")
    zip_name = f"{BUNDLE_NAME}.zip"
    return "\n".join([
        front_matter(), "# Downloads", "",
        "## The atlas offline\n",
        f'<p>{w.link(f"{DOWNLOAD_DIR}/{zip_name}", w.text(zip_name), cls="atlas-bundle")}: the whole site in one zip. '
        "Unpack it anywhere and open <code>index.html</code> in a browser: navigation, search, sorting, filtering and "
        "tooltips all work without a network connection.</p>", "",
        "## The data\n",
        "<ul>", *items, "</ul>", "",
        "<p>The data are released with the atlas; cite the review they come from (see the home page).</p>", ""])


# ---- hand-written pages -------------------------------------------------------------------
def process_doc_page(eb: EvidenceBase, page: str, markdown: str) -> str:
    """Citations in a hand-written page become numbered markers, plus its own reference list."""
    w = PageWriter(eb, page)
    out = replace_citations_in_markdown(markdown, lambda keys, line: w.cite(keys)).rstrip("\n") + "\n"
    refs = w.references_section()
    if refs:
        out += "\n" + refs
    definitions = abbreviations(eb).markdown_definitions()
    if definitions:
        out += "\n" + definitions + "\n"
    return out
