"""Pandoc-style citations ``[@key]`` and ``[@a; @b]``: finding them and numbering them per page."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

KEY = r"[A-Za-z0-9][A-Za-z0-9_:.+-]*"
# A whole bracket of citations; a bracket with other text is left as written.
CITATION_RE = re.compile(rf"\[\s*@{KEY}(?:\s*;\s*@{KEY})*\s*\]")
KEY_RE = re.compile(rf"@({KEY})")


def keys_in(group: str) -> list[str]:
    """``[@a; @b]`` -> ``['a', 'b']`` (a trailing full stop belongs to the sentence, not the key)."""
    return [k.rstrip(".:") for k in KEY_RE.findall(group)]


def find_citations(text: str) -> list[tuple[int, list[str]]]:
    """(1-based line within ``text``, keys) for every citation bracket."""
    out = []
    for m in CITATION_RE.finditer(text):
        out.append((text.count("\n", 0, m.start()) + 1, keys_in(m.group(0))))
    return out


@dataclass
class Numbering:
    """Numbers references in order of first citation on one page."""

    order: list[str] = field(default_factory=list)

    def number(self, key: str) -> int:
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1

    def numbers(self, keys: list[str]) -> list[tuple[int, str]]:
        """(number, key) pairs, sorted and without repeats, as a marker shows them."""
        return sorted({(self.number(k), k) for k in keys})


_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_CODE_SPAN_RE = re.compile(r"(`+).+?\1")


def replace_citations_in_markdown(markdown: str, fn) -> str:
    """Replace each citation bracket with ``fn(keys, line)``, leaving code blocks and code spans alone."""
    lines = markdown.split("\n")
    in_fence = False
    for i, line in enumerate(lines):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or "[@" not in line:
            continue
        out, pos = [], 0
        for span in _CODE_SPAN_RE.finditer(line):
            out.append(CITATION_RE.sub(lambda m: fn(keys_in(m.group(0)), i + 1), line[pos:span.start()]))
            out.append(span.group(0))
            pos = span.end()
        out.append(CITATION_RE.sub(lambda m: fn(keys_in(m.group(0)), i + 1), line[pos:]))
        lines[i] = "".join(out)
    return "\n".join(lines)


def find_citations_in_markdown(markdown: str) -> list[tuple[int, list[str]]]:
    """(line, keys) for citations in a hand-written page, outside code."""
    found: list[tuple[int, list[str]]] = []
    replace_citations_in_markdown(markdown, lambda keys, line: found.append((line, keys)) or "")
    return found
