"""Contributor text is untrusted: escaping plain text, and Markdown without raw HTML.

Markdown fields are rendered by Python-Markdown with no extensions (so no
``{: attr}`` lists) and with its raw-HTML handling removed, so ``<b>`` is text
and ``a<b`` in a code span shows as written; the result is passed through nh3
(ammonia) so only a small set of tags and http(s)/mailto/relative links
survive. The output is final HTML: the generated pages skip the macros
plugin's Jinja pass, so ``{{ ... }}`` in a record stays text.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import markdown as md

from .citations import CitationGroup, parse_citations, replace_groups

ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "br", "blockquote", "sub", "sup", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Private-use characters stand in for citations while Markdown runs.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLACEHOLDER_RE = re.compile(f"{_OPEN}(\\d+){_CLOSE}")
# HTML's own characters, and Markdown punctuation that would change the meaning of a heading
# or table cell, each written once as an entity (quotes are text there and stay as they are).
_HEADING_SPECIAL_RE = re.compile(r"[&<>\\`*_{}\[\]()#+!|~]")
_HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(text: object) -> str:
    """Plain text -> HTML text (quotes too, so it is safe in attributes)."""
    return html.escape(str(text), quote=True)


def escape_markdown_inline(text: object) -> str:
    """Plain text that lands in Markdown (a heading): HTML-escaped, Markdown punctuation neutralised.

    One pass, so nothing is escaped twice ("Kaplan's" stays "Kaplan's"); braces are written
    as entities so that no template engine sees ``{{``.
    """
    return _HEADING_SPECIAL_RE.sub(lambda m: _HTML_ENTITIES.get(m.group(0)) or f"&#{ord(m.group(0))};", str(text))


CiteRenderer = Callable[[CitationGroup], str]
AbbrWrapper = Callable[[str], str]


@lru_cache(maxsize=1)
def _markdown_without_html() -> md.Markdown:
    """A Python-Markdown instance for which ``<`` always is text: no raw-HTML blocks or inline tags.
    Made (and Python-Markdown imported) on first use: `python -m macros check` renders nothing."""
    import markdown

    m = markdown.Markdown(extensions=[], output_format="html")
    m.preprocessors.deregister("html_block")
    m.inlinePatterns.deregister("html")
    return m


# Most fields are one plain paragraph: one line that starts with a letter and holds nothing that
# Python-Markdown (inline syntax, line breaks) or nh3 (which writes &, <, > and U+00A0 as
# entities) would change. For those both give "<p>" + text + "</p>"; they skip the two
# libraries (a property test holds the two paths equal).
_NOT_PLAIN_RE = re.compile(r"[\\`*_\[\]!<>&\x00-\x1f\x7f\x85\u00a0\u2028\u2029]")


def _plain_paragraph(text: str) -> bool:
    return text[:1].isalpha() and text[-1:].strip() != "" and _NOT_PLAIN_RE.search(text) is None


def markdown_to_html(text: str) -> str:
    """Untrusted Markdown -> sanitised HTML (no citations, no tooltips)."""
    if _plain_paragraph(text):
        return f"<p>{text}</p>"
    import nh3

    renderer = _markdown_without_html()
    renderer.reset()
    rendered = renderer.convert(text)
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def render_markdown(text: str, cite: CiteRenderer, abbr: AbbrWrapper | None = None, inline: bool = False) -> str:
    """Untrusted Markdown -> safe HTML, with citations (outside code) turned into markers by ``cite``."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    groups, _ = parse_citations(text)
    numbers = iter(range(len(groups)))
    text = replace_groups(text, groups, lambda g: f"{_OPEN}{next(numbers)}{_CLOSE}")
    clean = markdown_to_html(text)

    def cites(s: str) -> str:
        return _PLACEHOLDER_RE.sub(lambda m: cite(groups[int(m.group(1))]), s)

    out = _postprocess_text(clean, lambda s: cites(abbr(s) if abbr else s), cites)
    if inline and out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    # Blank lines would end an HTML block in the page's Markdown; keep it one block.
    return "\n".join(line for line in out.splitlines() if line.strip())


def _postprocess_text(html_text: str, fn: Callable[[str], str], inside: Callable[[str], str]) -> str:
    """Apply ``fn`` to text between tags; text inside <a>, <code> and <pre> gets ``inside``."""
    return map_text_nodes(html_text, fn, inside, skip=("a", "code", "pre"))


# ---- text nodes of an HTML document -------------------------------------------------------
# A tokenizer that follows the HTML tokenizer's rules closely enough that what it calls text
# is text for a browser too: a tag runs to the first ">" outside a quoted attribute value (or
# to the end), comments and <!...>/<?...> constructs are skipped whole, and the content of
# raw-text elements (script, style, textarea, title, ...) is never text to change.
_WS = "\t\n\f\r "
_TAG_RE = re.compile(
    rf"</?[A-Za-z][^{_WS}/>]*"
    rf"(?:[{_WS}/]+|[^{_WS}/>][^{_WS}/=>]*(?:[{_WS}]*=[{_WS}]*(?:\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z)|[^{_WS}>\"'][^{_WS}>]*)?)?)*"
    r"(?:>|\Z)")
_COMMENT_RE = re.compile(r"<!--.*?(?:--!?>|\Z)|<[!?/][^>]*(?:>|\Z)", re.S)
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript")
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][^\t\n\f\r />]*)")


def html_tokens(html_text: str):
    """``(kind, text)`` pairs covering ``html_text`` exactly: kind is "text", "start", "end" or "other".

    Linear time: every pattern is anchored where the previous token ended and cannot backtrack
    past the next ``>`` or quote.
    """
    pos, n = 0, len(html_text)
    while pos < n:
        lt = html_text.find("<", pos)
        if lt < 0:
            yield "text", html_text[pos:]
            return
        nxt = html_text[lt + 1:lt + 2]
        if nxt.isascii() and nxt.isalpha() or (nxt == "/" and html_text[lt + 2:lt + 3].isascii() and html_text[lt + 2:lt + 3].isalpha()):
            if lt > pos:
                yield "text", html_text[pos:lt]
            m = _TAG_RE.match(html_text, lt)
            tag = m.group(0)
            is_end = nxt == "/"
            yield ("end" if is_end else "start"), tag
            pos = m.end()
            name = _TAG_NAME_RE.match(tag).group(1).lower()
            if not is_end and name in _RAW_TEXT:
                close = re.compile(rf"</{name}(?=[{_WS}/>]|\Z)", re.I).search(html_text, pos)
                end = close.start() if close else n
                if end > pos:
                    yield "other", html_text[pos:end]
                pos = end
            elif not is_end and name == "plaintext":
                if pos < n:
                    yield "other", html_text[pos:]
                return
        elif nxt in ("!", "?", "/"):
            if lt > pos:
                yield "text", html_text[pos:lt]
            m = _COMMENT_RE.match(html_text, lt)
            yield "other", m.group(0)
            pos = m.end()
        else:  # a "<" that starts nothing is text
            yield "text", html_text[pos:lt + 1]
            pos = lt + 1


def map_text_nodes(html_text: str, fn: Callable[[str], str], inside: Callable[[str], str] | None = None,
                   skip: tuple[str, ...] = ()) -> str:
    """Apply ``fn`` to every text node of ``html_text`` that is not inside an element named in
    ``skip`` (those get ``inside``, when given). Tags, comments and raw text are kept byte for byte."""
    depth = 0
    open_skipped: dict[str, int] = {}
    out = []
    for kind, tok in html_tokens(html_text):
        if kind in ("start", "end"):
            name = _TAG_NAME_RE.match(tok).group(1).lower()
            if name in skip:
                if kind == "start":
                    open_skipped[name] = open_skipped.get(name, 0) + 1
                    depth += 1
                elif open_skipped.get(name):
                    open_skipped[name] -= 1
                    depth -= 1
            out.append(tok)
        elif kind == "text" and tok:
            out.append(fn(tok) if depth == 0 else inside(tok) if inside else tok)
        else:
            out.append(tok)
    return "".join(out)
