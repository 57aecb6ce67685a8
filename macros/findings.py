"""Findings of the check: one problem, one line, ``path:line: field: message``."""
from __future__ import annotations

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
        where = f"{self.path}:{self.line}:"
        if self.level == "warning":
            return f"{where} warning: {self.field}: {self.message}"
        return f"{where} {self.field}: {self.message}"


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
