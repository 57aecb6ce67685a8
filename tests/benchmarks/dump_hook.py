"""MkDocs hook used by the benchmark only: writes every page's final Markdown to $ATLAS_BENCH_DUMP.

It runs after the macros plugin and the atlas hook (lowest priority), so what it writes is
exactly the Markdown that MkDocs then turns into HTML, front matter included.
"""
from __future__ import annotations

import os
from pathlib import Path

import yaml
from mkdocs.plugins import event_priority


@event_priority(-100)
def on_page_markdown(markdown, page, **kwargs):
    dest = Path(os.environ["ATLAS_BENCH_DUMP"]) / page.file.src_uri
    dest.parent.mkdir(parents=True, exist_ok=True)
    front = "---\n" + yaml.safe_dump(page.meta, sort_keys=True, allow_unicode=True) + "---\n" if page.meta else ""
    dest.write_text(front + markdown, encoding="utf-8")
    return markdown
