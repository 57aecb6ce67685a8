"""Findings of the check: one problem, one line, ``path:line: field: message``."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable, Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    field: str
    message: str
    level: Level = "error"

    def format(self) -> str:
        """One line, whatever the file name or the message holds (breaks and controls are shown escaped)."""
        where = f"{one_line(self.path)}:{self.line}:"
        if self.level == "warning":
            return f"{where} warning: {one_line(self.field)}: {one_line(self.message)}"
        return f"{where} {one_line(self.field)}: {one_line(self.message)}"


# Control characters and every character Python's splitlines() breaks at.
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    r"""``text`` with line breaks and control characters written as escapes (``\n``, ``\x00``)."""
    return _UNPRINTABLE_RE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(text))


def field_path(loc: Iterable[object]) -> str:
    """``('outcomes', 2, 'p')`` -> ``outcomes[2].p``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "error"]


def warnings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.level == "warning"]


def closest_ids(wanted: str, existing, n: int = 3) -> list[str]:
    """Ids close to ``wanted``: the one differing only in case, or else difflib's closest matches."""
    existing = sorted(existing)
    same_case = [k for k in existing if k.lower() == wanted.lower() and k != wanted]
    if same_case:
        return same_case
    close = difflib.get_close_matches(wanted.lower(), [k.lower() for k in existing], n=n, cutoff=0.6)
    by_lower = {k.lower(): k for k in existing}
    return [by_lower[c] for c in close]


def closest_hint(wanted: str, existing) -> str:
    found = closest_ids(wanted, existing)
    if not found:
        return ""
    return f" (did you mean {' or '.join(map(repr, found))}?)"
