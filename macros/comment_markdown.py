"""Markdown for a pull-request comment: contributor text escaped so that it renders as written.

Text from YAML, BibTeX and pages must not become markup, HTML, a link, a
mention or an issue reference in the comment: HTML is written as entities,
Markdown punctuation is backslash-escaped, and a zero-width space follows any
``@`` or ``#`` that starts a word (so ``[@slamon2001]`` never notifies a user
called slamon2001 and ``#12`` never links an issue).
"""
from __future__ import annotations

import re

_SPECIAL_RE = re.compile(r"([\\`*_\[\]{}#+!|~^$])")
_LINE_START_RE = re.compile(r"^(\s*)([-=]|\d+(?=[.)]))", re.M)
_REFERENCE_RE = re.compile(r"([@#])(?=\w)")
ZWSP = "\u200b"


def text(value: object) -> str:
    """Escaped inline text (newlines kept)."""
    s = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL_RE.sub(r"\\\1", s)
    s = _LINE_START_RE.sub(lambda m: m.group(1) + ("\\" + m.group(2) if not m.group(2).isdigit() else m.group(2) + "\\"), s)
    # "1." at a line start: escape the dot that follows the number.
    s = re.sub(r"^(\s*\d+)\\(?=[.)])", r"\1\\", s, flags=re.M)
    return _REFERENCE_RE.sub(lambda m: m.group(1) + ZWSP, s)


def code(value: object) -> str:
    """An inline code span holding ``value`` on one line (safe whatever backticks it holds)."""
    s = " ".join(str(value).split())
    if not s:
        return "` `"
    longest = max((len(r) for r in re.findall(r"`+", s)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or longest else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def quote(markdown: str, indent: str = "") -> str:
    """Already-escaped Markdown as a block quote, each line prefixed (blank lines kept)."""
    lines = markdown.strip("\n").split("\n")
    return "\n".join(f"{indent}> {line.strip()}".rstrip() for line in lines)


def details(summary: str, lines: list[str], threshold: int = 15) -> list[str]:
    """A list that folds away (``<details>``) when it is longer than ``threshold`` lines."""
    if len(lines) <= threshold:
        return lines
    return [f"<details><summary>{summary}</summary>", "", *lines, "", "</details>"]
