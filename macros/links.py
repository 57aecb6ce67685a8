"""Every internal link the atlas writes comes from here.

Pages are named by their source path (``trials/NCT01808573.md``); links are
relative ``.html`` paths (``use_directory_urls: false``), so the same site
works hosted and opened from ``file://``.
"""
from __future__ import annotations

import posixpath
from functools import lru_cache

from .kinds import kind

INDEX_PAGES = {
    "home": "index.md",
    "mechanisms": "mechanisms/index.md",
    "agents": "agents/index.md",
    "trials": "trials.md",
    "patents": "patents.md",
    "bibliography": "bibliography.md",
    "glossary": "glossary.md",
    "timeline": "timeline.md",
    "downloads": "downloads.md",
    "data-reference": "reference/data.md",
}


def record_page(kind_name: str, record_id: str) -> str:
    """Source path of a record's generated page (``kind_name`` is the plural folder name).

    An undeclared kind raises ``kinds.UnknownKind`` and an invalid id ``ValueError``, whatever
    Python's optimisation level (never a bare ``assert``).
    """
    return kind(kind_name).page(record_id)


def output_path(page: str) -> str:
    """Where MkDocs writes a page: ``a/b.md`` -> ``a/b.html``."""
    return page[:-3] + ".html" if page.endswith(".md") else page


def href(from_page: str, to: str, anchor: str | None = None) -> str:
    """Relative URL from page ``from_page`` to page or file ``to`` (both source paths)."""
    target = output_path(to)
    if to == from_page:
        rel = posixpath.basename(target)
    else:
        rel = _relative(posixpath.dirname(from_page) or ".", target)
    return f"{rel}#{anchor}" if anchor else rel


@lru_cache(maxsize=65536)
def _relative(from_dir: str, target: str) -> str:
    # Pages sit in a handful of folders and link the same targets: relpath is worth remembering.
    return posixpath.relpath(target, from_dir)


def anchor_href(anchor: str) -> str:
    """A link to an anchor on the same page."""
    return f"#{anchor}"


def bib_anchor(key: str) -> str:
    return f"bib-{key}"
