"""One build of the atlas: the evidence base, checked, and everything a site generator asks of it.

The MkDocs hook (``mkdocs_hook``) makes one ``AtlasBuild`` per build and hands it to the
mkdocs-macros entry point (``define_env``) on the MkDocs config object, so both work on the
same evidence base; an engine without the hook makes its own. Nothing here imports MkDocs.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from .checks import Report, check
from .downloads import downloads
from .evidence import EvidenceBase, load
from .macro_calls import call_line
from .page_macros import MacroError, PageMacros
from .raw_html import RawHtmlExtension
from .record_source import RecordSources, record_sources
from .site import asset_files, build_files, doc_page_meta, iter_pages, process_doc_html, process_doc_page

# The attribute of the MkDocs config object that carries the build from the hook to define_env.
CONFIG_ATTRIBUTE = "atlas_build"


class EvidenceErrors(Exception):
    """The check found errors: the atlas is not built from a broken evidence base."""


@dataclass
class AtlasBuild:
    eb: EvidenceBase
    report: Report
    sources: RecordSources | None = None
    generated: set[str] = field(default_factory=set)
    _macros: dict[str, PageMacros] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path, edit_base: str = "") -> "AtlasBuild":
        """Load and check the evidence base under ``root``; errors raise ``EvidenceErrors``.
        ``edit_base`` turns on "Edit this record" links; git history gives last-changed dates."""
        eb = load(Path(root))
        report = check(eb)
        if report.errors:
            raise EvidenceErrors("\n".join([f"the evidence base has errors; run `python -m macros check`. {report.summary()}",
                                            *(f.format() for f in report.errors)]))
        return cls(eb, report, record_sources(Path(root), edit_base))

    # ---- files ----------------------------------------------------------------------------
    def files(self) -> dict[str, str | bytes]:
        """Every generated page (Markdown) and download file, by path inside the site's sources."""
        return dict(self._outputs())

    def write_files(self, directory: Path) -> list[str]:
        """Write every generated page and file under ``directory`` (a folder of this build's own),
        one at a time, and give their paths. A site generator then reads them like hand-written
        sources, and the build never keeps a second copy of the site in memory."""
        directory = Path(directory)
        written: list[str] = []
        for path, content in self._outputs():
            if posixpath.isabs(path) or posixpath.normpath(path).split("/")[0] in ("..", ""):
                raise ValueError(f"generated path outside the site: {path!r}")
            target = directory / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
            written.append(path)
        self.eb.forget()
        return written

    def _outputs(self) -> Iterator[tuple[str, str | bytes]]:
        """The generated pages, one at a time (noted in ``generated``), then the other files."""
        self.generated = set()
        for path, markdown in iter_pages(self.eb, self.sources):
            self.generated.add(path)
            yield path, markdown
        for files in (downloads(self.eb), build_files(self.eb), asset_files(self.eb)):
            yield from files.items()

    def is_generated(self, page: str) -> bool:
        return page in self.generated

    @staticmethod
    def markdown_extensions() -> list[Any]:
        """Python-Markdown extensions for every page: the generated pages' raw-HTML blocks go to
        Python-Markdown's stash without its HTML parser, with the same output (see ``raw_html``)."""
        return [RawHtmlExtension()]

    # ---- hand-written pages ---------------------------------------------------------------
    def process_doc_page(self, page: str, markdown: str) -> str:
        """Citations (the page's own and its macros') numbered, reference list and tooltips added."""
        return process_doc_page(self.eb, page, markdown)

    def doc_page_meta(self, page: str, markdown: str, front_matter: dict, site_name: str,
                      site_description: str | None) -> dict[str, str | None]:
        """A hand-written page's description and structured data (see ``site.doc_page_meta``)."""
        return doc_page_meta(self.eb, page, markdown, front_matter, site_name, site_description)

    def process_doc_html(self, html: str) -> str:
        """Glossary tooltips in a hand-written page's HTML (escaped text built by the atlas)."""
        return process_doc_html(self.eb, html)

    def macros(self, current_page: Callable[[], tuple[str, str, str]]) -> dict[str, Callable[..., Any]]:
        """The page macros, for a template engine. ``current_page()`` gives the page being rendered:
        (path inside docs/, path for messages such as ``docs/x.md``, its source text)."""
        out = {}
        for name in PageMacros.NAMES:
            out[name] = self._macro(name, current_page)
        return out

    def _macro(self, name: str, current_page: Callable[[], tuple[str, str, str]]) -> Callable[..., Any]:
        def macro(*args: Any, **kwargs: Any) -> Any:
            page, shown_path, source = current_page()
            macros = self._macros.setdefault(page, PageMacros(self.eb, page))
            try:
                return macros.call(name, *args, **kwargs)
            except MacroError as exc:
                line = call_line(source, name, args, kwargs)
                raise MacroError(f"{shown_path}:{line or '?'}: {name}: {exc}") from None

        macro.__name__ = name
        macro.__doc__ = getattr(PageMacros, name).__doc__
        return macro
