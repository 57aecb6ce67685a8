"""Raw HTML blocks handed past Python-Markdown's HTML parser, with the same output.

Generated pages are mostly raw HTML blocks (definition lists, figures, reference lists)
between Markdown headings. Python-Markdown finds such blocks with ``HTMLParser``, in pure
Python, tag by tag and attribute by attribute: most of the time MkDocs spends on these pages.
``RawHtmlExtension`` adds a preprocessor just before Python-Markdown's own (``html_block``)
that stores in the same HTML stash every blank-line-separated chunk it can prove Python-Markdown
would store whole and unchanged: one or more complete, block-level elements, each starting a
line, nothing but a line break between them. One regular expression over the tags proves it.
Anything else (comments, scripts, text between elements, a tag it cannot read, an element left
open) is left to Python-Markdown, and so is the whole page when HTML appears outside the
chunks it takes, since an element left open there would change how the chunks are read.
"""
from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import HtmlBlockPreprocessor, Preprocessor

# A start or end tag as HTMLParser reads it: name, then attributes whose quoted values may hold
# anything but their own quote.
_TAG_RE = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
# Python-Markdown keeps a horizontal rule out of any stack. Scripts, styles and their kin hold
# raw text (a title or textarea, read as text by newer HTMLParsers, holds no "<" when taken).
_NOT_NESTED = frozenset({"hr"})
_RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"})
# After normalize_whitespace (30) and Python-Markdown's fenced code (25); before html_block (20).
PRIORITY = 21


def whole_elements(chunk: str, is_block_level) -> bool:
    """True when ``chunk`` (no blank line inside) is only complete elements, each block-level and
    starting a line, that Python-Markdown's HTML block parser would store as they are."""
    if not chunk.startswith("<") or "<!" in chunk or "<?" in chunk or "`" in chunk:
        return False
    stack: list[str] = []
    closed = 0  # where the last top-level element ended
    tags = 0
    for m in _TAG_RE.finditer(chunk):
        tags += 1
        end, name, attrs = m.groups()
        name = name.lower()
        if name in _RAW_TEXT:
            return False
        empty = attrs.endswith("/") or name in _NOT_NESTED
        if not stack:
            # A new top-level element: a block-level start tag, not an empty one, starting a line.
            if (end or empty or not is_block_level(name)
                    or chunk[closed:m.start()] != ("\n" if closed else "")):
                return False
        if end:
            if name in stack:
                while stack.pop() != name:
                    pass
                if not stack:
                    closed = m.end()
        elif not empty:
            stack.append(name)
    # Every "<" is a tag read above (none that HTMLParser reads otherwise), and nothing follows the last element.
    return not stack and closed == len(chunk) and tags == chunk.count("<")


class RawHtmlPreprocessor(Preprocessor):
    """Stores whole raw-HTML chunks in the HTML stash, as ``html_block`` would."""

    def run(self, lines: list[str]) -> list[str]:
        if type(self.md.preprocessors["html_block"]) is not HtmlBlockPreprocessor:
            return lines  # an extension (md_in_html) reads raw HTML its own way: leave it to that
        chunks: list[tuple[int, int]] = []  # [start, end) line ranges without blank lines
        start = None
        for i, line in enumerate(lines):
            if line.strip(" "):
                if start is None:
                    start = i
            elif start is not None:
                chunks.append((start, i))
                start = None
        if start is not None:
            chunks.append((start, len(lines)))

        taken: list[tuple[int, int, str]] = []
        for a, b in chunks:
            text = "\n".join(lines[a:b])
            if whole_elements(text, self.md.is_block_level):
                taken.append((a, b, text))
            elif "<" in text:
                return lines  # HTML outside the chunks taken: leave the whole page to html_block

        if not taken:
            return lines
        out: list[str] = []
        pos = 0
        for a, b, text in taken:
            out += lines[pos:a]
            # html_block keeps the line break of a blank line that follows the element.
            followed_by_blank = b + 1 < len(lines) and not lines[b].strip(" ")
            out += ["", self.md.htmlStash.store(text + "\n" if followed_by_blank else text), ""]
            pos = b
        out += lines[pos:]
        return out


class RawHtmlExtension(Extension):
    """Python-Markdown extension: ``RawHtmlPreprocessor`` before ``html_block``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(RawHtmlPreprocessor(md), "atlas_raw_html", PRIORITY)
