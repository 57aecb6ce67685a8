"""Links and anchors in hand-written pages (``docs/**/*.md``), checked with ``path:line``.

Every relative link must name a page or file the build will have (a page or
file under docs/, a generated record or index page, a download), and every
``#anchor`` a heading or element of the target page. Absolute links are
refused (they break offline and under a sub-path). This is what MkDocs'
strict build would refuse, found earlier and with a line number.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import markdown as python_markdown

from .citations import code_spans
from .evidence import EvidenceBase
from .failed_records import KnownInvalid
from .findings import Finding
from .links import INDEX_PAGES, record_page
from .raw_html import RawHtmlExtension

# The extensions that give a page its ids (mkdocs.yml's markdown_extensions, plus MkDocs' own).
EXTENSIONS = ["toc", "tables", "fenced_code", "attr_list", "abbr"]

_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_INLINE_LINK_RE = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)")
_REF_DEF_RE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>\n]*>|\S+)")
_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class PageLink:
    """One link written in a hand-written page."""

    path: str   # file, relative to the project root (docs/overview/x.md)
    line: int
    url: str    # as written
    page: str   # source page, relative to docs/ (overview/x.md)

    @property
    def target(self) -> tuple[str, str] | None:
        """(page or file relative to docs/, anchor) for an internal relative link; None otherwise."""
        parts = urlsplit(self.url)
        if parts.scheme or self.url.startswith(("/", "//")) or _SCHEME_RE.match(self.url):
            return None
        if not parts.path:
            return self.page, unquote(parts.fragment)
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), unquote(parts.path)))
        return joined, unquote(parts.fragment)


def links_in_markdown(text: str) -> list[tuple[int, str]]:
    """(1-based line, URL) of every inline link, image and reference definition, outside code."""
    out = []
    in_fence = False
    for i, line in enumerate(text.split("\n"), 1):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        for start, end in code_spans(line):  # linear time, as the citations' own code finder
            line = line[:start] + " " * (end - start) + line[end:]
        for m in _INLINE_LINK_RE.finditer(line):
            out.append((i, m.group(1).strip("<>")))
        m = _REF_DEF_RE.match(line)
        if m:
            out.append((i, m.group(1).strip("<>")))
    return out


def page_links(eb: EvidenceBase) -> list[PageLink]:
    """Every link in every hand-written page under docs/."""
    out = []
    for page, text in sorted(eb.docs.pages.items()):
        rel = f"docs/{page}"
        for line, url in links_in_markdown(text):
            if "{{" in url or "{%" in url:  # a macro writes this link; it is not a path yet
                continue
            out.append(PageLink(rel, line, url, page))
    return out


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("id", "name") and value:
                self.ids.add(value)


def _strip_front_matter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[end + 4:].lstrip("\n")
    return text


def anchors_of(markdown_text: str) -> set[str]:
    """Every id a page's Markdown gives its HTML (heading slugs, attr_list ids, raw HTML ids)."""
    html = python_markdown.markdown(_strip_front_matter(markdown_text), extensions=[*EXTENSIONS, RawHtmlExtension()])
    parser = _Ids()
    parser.feed(html)
    return parser.ids


class SiteFiles:
    """The pages and files a build will have, and the anchors of a page (computed when asked)."""

    def __init__(self, eb: EvidenceBase):
        self.eb = eb
        docs = eb.root / "docs"
        self.docs_files = {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file()} if docs.is_dir() else set()
        self._anchors: dict[str, set[str]] = {}

    @cached_property
    def generated(self) -> set[str]:
        from .downloads import download_names
        from .site import BUNDLE_NAME, build_file_names

        pages = {record_page(kind, rid) for kind, records in self.eb.loaded.records.items() for rid in records}
        pages |= set(INDEX_PAGES.values()) - {INDEX_PAGES["home"]}
        return pages | set(download_names(self.eb)) | build_file_names(self.eb) | {f"downloads/{BUNDLE_NAME}.zip"}

    @cached_property
    def _generated_markdown(self) -> dict[str, str]:
        from .site import build_pages

        return build_pages(self.eb)

    def exists(self, name: str) -> bool:
        return name in self.docs_files or name in self.generated

    def anchors(self, page: str) -> set[str]:
        if page not in self._anchors:
            if page in self.eb.docs.pages:
                from .site import process_doc_page

                self._anchors[page] = anchors_of(process_doc_page(self.eb, page, self.eb.docs.pages[page]))
            else:
                self._anchors[page] = anchors_of(self._generated_markdown.get(page, ""))
        return self._anchors[page]


def _invalid_page(name: str, invalid: KnownInvalid | None) -> bool:
    """A link to the page of a record that failed to load: that record's errors say it all."""
    parts = name.split("/")
    return (invalid is not None and len(parts) == 2 and parts[1].endswith(".md")
            and invalid.has(parts[0], parts[1][:-3]))


def check_page_links(eb: EvidenceBase, invalid: KnownInvalid | None = None) -> list[Finding]:
    files = SiteFiles(eb)
    out = []
    for link in page_links(eb):
        if link.url.startswith("/") and not link.url.startswith("//"):
            out.append(Finding(link.path, link.line, "link", f"{link.url!r} is an absolute link; write it relative to this page"))
            continue
        target = link.target
        if target is None:
            continue
        name, anchor = target
        if name.startswith("../") or name == "..":
            out.append(Finding(link.path, link.line, "link", f"{link.url!r} points outside docs/"))
            continue
        if _invalid_page(name, invalid):
            continue
        if not files.exists(name):
            out.append(Finding(link.path, link.line, "link", f"{link.url!r}: no page or file {name!r}{_hint(name, files)}"))
            continue
        if anchor and name.endswith(".md") and anchor not in files.anchors(name):
            out.append(Finding(link.path, link.line, "link", f"{link.url!r}: no heading or anchor {anchor!r} on {name!r}"))
    return out


def _hint(name: str, files: SiteFiles) -> str:
    if name.endswith(".html") and files.exists(name[:-5] + ".md"):
        return f" (link to the page's source, {posixpath.basename(name[:-5])}.md)"
    match = next((f for f in sorted(files.docs_files | files.generated) if f.lower() == name.lower()), None)
    return f" (did you mean {match!r}?)" if match else ""
