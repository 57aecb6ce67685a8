"""Building blocks shared by the page generators: front matter, sections, fact lists, link lists."""
from __future__ import annotations

from .links import record_page  # noqa: F401  (re-exported for generators)
from .page import PageWriter


def front_matter(**extra: str) -> str:
    """Generated Markdown is final: the macros plugin must not run Jinja over contributor text."""
    lines = ["---", "render_macros: false"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    lines.append("---")
    return "\n".join(lines) + "\n"


def section(title: str, body_html: str) -> str:
    """A Markdown ``##`` heading (so it is in the table of contents) over an HTML block."""
    return f"## {title}\n\n{body_html}\n"


def definition_list(items: list[tuple[str, str]]) -> str:
    """Label/value facts; values are HTML already escaped by the caller."""
    rows = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in items if value)
    return f'<dl class="atlas-facts">{rows}</dl>\n' if rows else ""


def join_links(w: PageWriter, kind: str, ids: list[str]) -> str:
    return ", ".join(w.record_link(kind, i) for i in ids)
