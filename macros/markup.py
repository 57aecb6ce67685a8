"""Contributor text is untrusted: escaping plain text, and Markdown without raw HTML.

Markdown fields are rendered by Python-Markdown with no extensions (so no
``{: attr}`` lists, no HTML-in-Markdown), after every ``<`` has been escaped,
and the result is passed through nh3 (ammonia) so only a small set of tags
and http(s)/mailto/relative links survive. The output is final HTML: the
generated pages skip the macros plugin's Jinja pass, so ``{{ ... }}`` in a
record stays text.
"""
from __future__ import annotations

import html
import re
from typing import Callable

import markdown as md
import nh3

from .citations import CITATION_RE, keys_in

ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "br", "blockquote", "sub", "sup", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Private-use characters stand in for citations while Markdown runs.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
_TAG_SPLIT_RE = re.compile(r"(<[^>]*>)")
# Markdown punctuation that would change the meaning of a heading or table cell.
_MD_SPECIAL_RE = re.compile(r"([\\`*_{}\[\]()#+!|~])")
# One converter for every field: building a Markdown instance costs more than converting a field.
_MARKDOWN = md.Markdown(extensions=[], output_format="html")


def escape(text: object) -> str:
    """Plain text -> HTML text (quotes too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def escape_markdown_inline(text: object) -> str:
    """Plain text that lands in Markdown (a heading): HTML-escaped, Markdown punctuation neutralised.

    Braces are written as entities so that no template engine sees ``{{``.
    """
    out = escape(text)
    out = _MD_SPECIAL_RE.sub(lambda m: "&#" + str(ord(m.group(1))) + ";", out)
    return out


CiteRenderer = Callable[[list[str]], str]
AbbrWrapper = Callable[[str], str]


def render_markdown(text: str, cite: CiteRenderer, abbr: AbbrWrapper | None = None, inline: bool = False) -> str:
    """Untrusted Markdown -> safe HTML, with citations turned into markers by ``cite``."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    groups: list[list[str]] = []

    def hold(m: re.Match) -> str:
        groups.append(keys_in(m.group(0)))
        return f"{_OPEN}{len(groups) - 1}{_CLOSE}"

    text = CITATION_RE.sub(hold, text)
    text = text.replace("<", "&lt;")
    rendered = _MARKDOWN.reset().convert(text)
    clean = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    def cites(s: str) -> str:
        return _PLACEHOLDER_RE.sub(lambda m: cite(groups[int(m.group(1))]), s)

    out = _postprocess_text(clean, lambda s: cites(abbr(s) if abbr else s), cites)
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    # Blank lines would end an HTML block in the page's Markdown; keep it one block.
    return "\n".join(line for line in out.splitlines() if line.strip())


def _postprocess_text(html_text: str, fn: Callable[[str], str], inside: Callable[[str], str]) -> str:
    """Apply ``fn`` to text between tags; text inside <a>, <code> and <pre> gets ``inside``."""
    parts = _TAG_SPLIT_RE.split(html_text)
    depth = 0
    for i, part in enumerate(parts):
        if part.startswith("<"):
            name = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if name and name.group(1).lower() in ("a", "code", "pre"):
                depth += -1 if part.startswith("</") else 1
            continue
        if depth == 0 and part:
            parts[i] = fn(part)
        elif part:
            parts[i] = inside(part)
    return "".join(parts)
