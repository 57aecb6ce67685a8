"""The whole site as data: evidence base in, ``{page path: Markdown}`` and download files out.

This is the pure function the MkDocs hook adapts; it knows nothing of MkDocs.
"""
from __future__ import annotations

from collections.abc import Iterator

from .agents import agent_index, agent_page
from .citations import replace_citations_in_markdown
from .data_reference import PAGE as DATA_REFERENCE_PAGE
from .data_reference import data_reference_page
from .descriptions import page_description, record_description
from .downloads import DOWNLOAD_DIR, download_names
from .evidence import EvidenceBase
from .exact_search import INDEX_PATH as EXACT_SEARCH_INDEX, index_script as exact_search_script
from .glossary import Abbreviations, tooltip_terms
from .kinds import LIST_KINDS, RECORD_KINDS
from .links import INDEX_PAGES, output_path, record_page
from .mechanisms import mechanism_index, mechanism_page
from .page import PageWriter
from .patents import patent_index, patent_page
from .record_source import RecordSources
from .redirects import redirect_files, redirects
from .reference_pages import bibliography_page, glossary_page, timeline_page
from .schema import SCHEMA_DIR, schema_file_name, schema_files
from .sections import add_front_matter, front_matter
from .structured_data import dataset_data, record_data, script_text
from .trials import trial_index, trial_page

BUNDLE_NAME = "trastuzumab-resistance-atlas"


def abbreviations(eb: EvidenceBase) -> Abbreviations:
    return Abbreviations(tooltip_terms(eb.glossary))


def build_pages(eb: EvidenceBase, sources: RecordSources | None = None) -> dict[str, str]:
    """Every generated page: one per record, the index pages, bibliography, glossary, timeline, downloads,
    the data reference. ``sources`` adds to each record page its file's edit link and last-changed date."""
    return dict(iter_pages(eb, sources))


def iter_pages(eb: EvidenceBase, sources: RecordSources | None = None) -> Iterator[tuple[str, str]]:
    """``build_pages`` one page at a time, so that a site generator can write each page out as it
    comes and the build never holds the whole site's Markdown twice."""
    abbr = abbreviations(eb)

    def page(path: str, fn, *args, source: str | None = None) -> tuple[str, str]:
        markdown = fn(PageWriter(eb, path, abbr), *args)
        footer = sources.footer(source) if sources is not None and source else ""
        if footer:
            markdown = markdown.rstrip("\n") + "\n\n" + footer
        return path, add_front_matter(markdown, page_meta(eb, path, markdown))

    for kind, render in (("mechanisms", mechanism_page), ("agents", agent_page), ("trials", trial_page),
                         ("patents", patent_page)):
        for rid, rec in sorted(eb.loaded.records[kind].items()):
            located = eb.loaded.where.get((kind, rid))
            yield page(record_page(kind, rid), render, rid, rec, source=located.path if located else None)
    yield page(INDEX_PAGES["mechanisms"], mechanism_index)
    yield page(INDEX_PAGES["agents"], agent_index)
    yield page(INDEX_PAGES["trials"], trial_index)
    yield page(INDEX_PAGES["patents"], patent_index)
    yield page(INDEX_PAGES["bibliography"], bibliography_page)
    yield page(INDEX_PAGES["glossary"], glossary_page)
    yield page(INDEX_PAGES["timeline"], timeline_page)
    yield page(INDEX_PAGES["downloads"], downloads_page)
    yield page(DATA_REFERENCE_PAGE, data_reference_page)


# ---- what a page says about itself: description and structured data ---------------------------
def record_of(eb: EvidenceBase, page: str) -> tuple[str, str] | None:
    """(kind, id) when ``page`` is a record's page."""
    kind, _, name = page.partition("/")
    rid = name[:-3] if name.endswith(".md") else ""
    if kind in RECORD_KINDS and rid in eb.loaded.records.get(kind, {}) and record_page(kind, rid) == page:
        return kind, rid
    return None


def page_meta(eb: EvidenceBase, page: str, markdown: str) -> dict[str, str]:
    """Front matter for a generated page: ``description`` and, for a record, ``json_ld``."""
    record = record_of(eb, page)
    if record is None:
        return {"description": page_description(markdown)}
    return {"description": record_description(eb, *record), "json_ld": script_text(record_data(eb, *record))}


def doc_page_meta(eb: EvidenceBase, page: str, markdown: str, front_matter: dict, site_name: str,
                  site_description: str | None) -> dict[str, str | None]:
    """For a hand-written page: its description (front matter ``description`` or first paragraph) and
    its structured data, which only the home page has (the atlas as a Dataset). A ``json_ld`` key in
    the page's own front matter is replaced, never published."""
    description = page_description(markdown, front_matter)
    json_ld = None
    if page == INDEX_PAGES["home"]:
        data = dataset_data(eb, page, site_name, site_description or description, f"{BUNDLE_NAME}.zip")
        json_ld = script_text(data)
    return {"description": description or None, "json_ld": json_ld}


def asset_files(eb: EvidenceBase) -> dict[str, bytes]:
    """Generated front-end files: the exact-match search lookup (see ``exact_search``)."""
    return {EXACT_SEARCH_INDEX: exact_search_script(eb)}


def build_file_names(eb: EvidenceBase) -> set[str]:
    """The paths ``build_files`` gives, without making the files (for the link check)."""
    names = {f"{SCHEMA_DIR}/{schema_file_name(kind)}" for kind in [*RECORD_KINDS, *LIST_KINDS]}
    return names | {output_path(r.page) for r in redirects(eb)}


def build_files(eb: EvidenceBase) -> dict[str, bytes]:
    """Files published as they are (beside the download files): the JSON Schema of each kind,
    and a redirect page for every renamed record's old id."""
    files = {f"{SCHEMA_DIR}/{name}": data for name, data in schema_files().items()}
    files.update(redirect_files(eb))
    return files


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
    out = replace_citations_in_markdown(markdown, w.cite).rstrip("\n") + "\n"
    refs = w.references_section()
    if refs:
        out += "\n" + refs
    return out


def process_doc_html(eb: EvidenceBase, html_text: str) -> str:
    """A hand-written page as rendered HTML: glossary tooltips on its prose."""
    return abbreviations(eb).wrap_html(html_text)
