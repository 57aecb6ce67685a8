"""Pandoc-style citations: finding them (outside code) and numbering them per page.

Recognised forms, as Pandoc writes them: ``[@key]``, ``[@a; @b]``, a locator after the key
(``[@key, p. 5]``), a prefix before it (``[see @key]``), both (``[see @a, p. 5; @b]``) and
suppress-author (``[-@key]``, shown as a plain number: the atlas numbers its citations).
An opened but unclosed ``[@key`` is a problem, reported by the check.

Every scan here is linear in the length of the text: brackets are matched without nesting,
code spans by pairing backtick runs of equal length.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

KEY = r"[A-Za-z0-9][A-Za-z0-9_:.+-]*"
KEY_RE = re.compile(rf"@({KEY})")
# Citations per Markdown field (a limit met only by mistake).
MAX_CITATIONS = 100

# A bracket with no bracket inside it; an unclosed bracket runs to the next bracket or the end.
_BRACKET_RE = re.compile(r"\[([^\[\]]*)(\]?)")
_KEY_AT_RE = re.compile(KEY)
_BLANK_LINE_RE = re.compile(r"\n[ \t]*\n")
_BACKTICKS_RE = re.compile(r"`+")


@dataclass(frozen=True)
class CiteItem:
    key: str
    prefix: str = ""
    locator: str = ""
    suppress_author: bool = False


@dataclass(frozen=True)
class CitationGroup:
    """One bracket of citations in a text: its items, where it is (offsets, 1-based line)."""

    items: tuple[CiteItem, ...]
    start: int
    end: int
    line: int

    @property
    def keys(self) -> list[str]:
        return [i.key for i in self.items]

    @property
    def plain(self) -> bool:
        """No prefix and no locator: shown as a sorted list of numbers."""
        return not any(i.prefix or i.locator for i in self.items)


def _split_item(text: str) -> tuple[str, str, str, str] | None:
    """(prefix, "-" or "", key, suffix) of ``prefix -@key suffix``; the prefix is empty or ends
    in a space, and neither prefix nor suffix holds another "@"."""
    at = text.find("@")
    if at < 0:
        return None
    before = text[:at]
    minus = ""
    if before.endswith("-"):
        before, minus = before[:-1], "-"
    if before and not before[-1].isspace():
        return None
    m = _KEY_AT_RE.match(text, at + 1)
    if not m:
        return None
    return before.strip(), minus, m.group(0), text[m.end():]


def _item(text: str) -> CiteItem | None:
    parts = _split_item(text)
    if parts is None or "@" in parts[3]:
        return None
    prefix, minus, key, suffix = parts
    stripped = key.rstrip(".:")  # a trailing full stop belongs to the sentence, not the key
    suffix = key[len(stripped):] + suffix
    locator = suffix.strip()
    if locator.startswith(","):
        locator = locator[1:].strip()
    if not locator.strip(".:"):
        locator = ""
    return CiteItem(stripped, " ".join((prefix or "").split()), " ".join(locator.split()), minus == "-")


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every inline code span, as Python-Markdown finds them: a backtick run
    not preceded by a backslash opens a span that the next run of the same length closes,
    within one paragraph."""
    spans: list[tuple[int, int]] = []
    block_start = 0
    for sep in [*_BLANK_LINE_RE.finditer(text), None]:
        block_end = sep.start() if sep else len(text)
        runs = [(m.start(), m.end()) for m in _BACKTICKS_RE.finditer(text, block_start, block_end)]
        by_len: dict[int, list[int]] = {}
        for i, (s, e) in enumerate(runs):
            by_len.setdefault(e - s, []).append(i)
        i = 0
        while i < len(runs):
            s, e = runs[i]
            if s > 0 and text[s - 1] == "\\":
                i += 1
                continue
            same = by_len[e - s]
            k = bisect.bisect_right(same, i)
            if k < len(same):
                j = same[k]
                spans.append((s, runs[j][1]))
                i = j + 1
            else:
                i += 1
        block_start = sep.end() if sep else len(text)
    return spans


def parse_citations(text: str, skip_code: bool = True) -> tuple[list[CitationGroup], list[str]]:
    """Every citation group in ``text`` outside code spans, and the problems found (unclosed brackets)."""
    if "@" not in text:
        return [], []
    groups, problems = _parse_citations(text, skip_code)
    return list(groups), list(problems)


@lru_cache(maxsize=1 << 17)  # a field is parsed by validation, the check and its page: once is enough
def _parse_citations(text: str, skip_code: bool) -> tuple[tuple[CitationGroup, ...], tuple[str, ...]]:
    groups: list[CitationGroup] = []
    problems: list[str] = []
    spans = code_spans(text) if skip_code and "`" in text else []
    starts = [s for s, _ in spans]
    line, counted = 1, 0

    def in_code(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and spans[k][0] <= pos < spans[k][1]

    for m in _BRACKET_RE.finditer(text):
        body, closed = m.group(1), m.group(2)
        if "@" not in body or (m.start() > 0 and text[m.start() - 1] == "\\") or in_code(m.start()):
            continue
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if not closed:
            u = _split_item(body)
            if u:
                problems.append(f"unclosed citation '[@{u[2]}' (no closing ']')")
            continue
        if text[m.end():m.end() + 1] == "(":  # [@handle](url) is a link
            continue
        items = [_item(part) for part in body.split(";")]
        if items and all(items):
            groups.append(CitationGroup(tuple(items), m.start(), m.end(), line))  # type: ignore[arg-type]
    return tuple(groups), tuple(problems)


def find_citations(text: str) -> list[tuple[int, list[str]]]:
    """(1-based line within ``text``, keys) for every citation group outside code."""
    return [(g.line, g.keys) for g in parse_citations(text)[0]]


def keys_in(group: str) -> list[str]:
    """``[@a; @b]`` -> ``['a', 'b']``."""
    groups, _ = parse_citations(group, skip_code=False)
    return [k for g in groups for k in g.keys]


def replace_groups(text: str, groups: list[CitationGroup], fn) -> str:
    """``text`` with each group replaced by ``fn(group)``."""
    out, pos = [], 0
    for g in groups:
        out.append(text[pos:g.start])
        out.append(fn(g))
        pos = g.end
    out.append(text[pos:])
    return "".join(out)


@dataclass
class Numbering:
    """Numbers references in order of first citation on one page."""

    order: list[str] = field(default_factory=list)
    _index: dict[str, int] = field(default_factory=dict)

    def number(self, key: str) -> int:
        if key not in self._index:
            self.order.append(key)
            self._index[key] = len(self.order)
        return self._index[key]

    def numbers(self, keys: list[str]) -> list[tuple[int, str]]:
        """(number, key) pairs, sorted and without repeats, as a marker shows them."""
        return sorted({(self.number(k), k) for k in keys})


# ---- hand-written pages -----------------------------------------------------------------
_FENCE_RE = re.compile(r"^\s*(```|~~~)")


def _prose_regions(markdown: str) -> list[tuple[int, int, int]]:
    """(start offset, end offset, first line) of the runs of lines outside fenced code blocks."""
    regions = []
    in_fence = False
    pos, start, start_line = 0, 0, 1
    for n, line in enumerate(markdown.split("\n"), 1):
        if _FENCE_RE.match(line):
            if not in_fence and pos > start:
                regions.append((start, pos, start_line))
            in_fence = not in_fence
            start, start_line = pos + len(line) + 1, n + 1
        pos += len(line) + 1
    if not in_fence and start < len(markdown):
        regions.append((start, len(markdown), start_line))
    return regions


def page_citations(markdown: str) -> tuple[list[CitationGroup], list[tuple[int, str]]]:
    """Citation groups of a hand-written page outside code (offsets and lines in the page),
    and (line, problem) for each unclosed citation."""
    groups: list[CitationGroup] = []
    problems: list[tuple[int, str]] = []
    for start, end, first in _prose_regions(markdown):
        region = markdown[start:end]
        found, probs = parse_citations(region)
        groups += [CitationGroup(g.items, g.start + start, g.end + start, g.line + first - 1) for g in found]
        if probs:
            # parse_citations reports problems without lines; find them again line by line.
            for k, text in enumerate(region.split("\n")):
                for p in parse_citations(text)[1]:
                    problems.append((first + k, p))
    return groups, problems


def replace_citations_in_markdown(markdown: str, fn) -> str:
    """Replace each citation group of a hand-written page with ``fn(group)``, leaving code alone."""
    return replace_groups(markdown, page_citations(markdown)[0], fn)


def find_citations_in_markdown(markdown: str) -> list[tuple[int, list[str]]]:
    """(line, keys) for citations in a hand-written page, outside code."""
    return [(g.line, g.keys) for g in page_citations(markdown)[0]]
