"""Word-level marks between two versions of a passage: ``<del>old</del>`` and ``<ins>new</ins>``.

The whole new passage is shown, escaped for a pull-request comment, with what
was removed struck through and what was added underlined. HTML ``<del>`` and
``<ins>`` are used rather than ``~~`` and ``**`` because they mark any text,
whatever punctuation is next to it.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher

from .comment_markdown import text as escaped

_TOKEN_RE = re.compile(r"\s+|\w+(?:[-'’.]\w+)*|[^\w\s]")


def tokens(s: str) -> list[str]:
    return _TOKEN_RE.findall(s)


def _mark(tag: str, chunk: str) -> str:
    """Wrap each line's non-blank part of ``chunk`` in ``<tag>``; whitespace stays outside."""
    out = []
    for line in re.split(r"(\n)", chunk):
        if line == "\n" or not line.strip():
            out.append(line)
            continue
        lead = line[: len(line) - len(line.lstrip())]
        trail = line[len(line.rstrip()):]
        out.append(f"{lead}<{tag}>{escaped(line.strip())}</{tag}>{trail}")
    return "".join(out)


def _chunks(a: list[str], b: list[str]) -> list[tuple[str, str, str]]:
    """(op, old text, new text) runs; a lone short word (the, of, a) left equal between two changes joins them."""
    ops = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    runs = [("equal" if op == "equal" else "change", "".join(a[i1:i2]), "".join(b[j1:j2])) for op, i1, i2, j1, j2 in ops]
    merged: list[tuple[str, str, str]] = []
    for k, (op, before, after) in enumerate(runs):
        inner = 0 < k < len(runs) - 1
        if op == "equal" and inner and re.fullmatch(r"\s*(?:[^\W\d_]{1,4}\s*)?", before):
            op = "change"
        if op == "change" and merged and merged[-1][0] == "change":
            _, b0, a0 = merged.pop()
            before, after = b0 + before, a0 + after
        merged.append((op, before, after))
    return merged


def marked(old: str, new: str) -> str:
    """``new`` as escaped Markdown with the word-level changes from ``old`` marked."""
    out = []
    for op, before, after in _chunks(tokens(old), tokens(new)):
        if op == "equal":
            out.append(escaped(after))
        elif not before.strip() and not after.strip():
            out.append(after)  # only whitespace changed: Markdown shows no difference
        else:
            if before.strip():
                out.append(_mark("del", before))
            if before.strip() and after.strip() and not after[:1].isspace():
                out.append(" ")
            if after.strip():
                out.append(_mark("ins", after))
            elif before[-1:].isspace() and not out[-1].endswith(" "):
                out.append(" ")
    return "".join(out)


def only_whitespace_changed(old: str, new: str) -> bool:
    return old != new and old.split() == new.split()
