"""Glossary terms as site-wide tooltips (``<abbr title>``), except terms with two meanings."""
from __future__ import annotations

import re
from collections import defaultdict

from .markup import escape
from .model import GlossaryTerm


def tooltip_terms(terms: list[GlossaryTerm]) -> dict[str, str]:
    """term -> expansion, for terms that have exactly one meaning."""
    meanings: dict[str, set[str]] = defaultdict(set)
    for t in terms:
        meanings[t.term].add(t.expansion)
    return {term: next(iter(exp)) for term, exp in sorted(meanings.items()) if len(exp) == 1}


class Abbreviations:
    """Wraps whole-word occurrences of glossary terms in escaped HTML text."""

    def __init__(self, terms: dict[str, str]):
        self.terms = terms
        alternatives = "|".join(re.escape(escape(t)) for t in sorted(terms, key=lambda t: (-len(t), t)))
        self._re = re.compile(rf"(?<![\w&#-])({alternatives})(?![\w-])") if terms else None
        self._by_escaped = {escape(t): e for t, e in terms.items()}

    def __call__(self, escaped_text: str) -> str:
        if not self._re:
            return escaped_text
        return self._re.sub(lambda m: f'<abbr title="{escape(self._by_escaped[m.group(1)])}">{m.group(1)}</abbr>', escaped_text)

    def markdown_definitions(self) -> str:
        """``*[TERM]: expansion`` lines for Python-Markdown's abbr extension (hand-written pages)."""
        lines = []
        for term, expansion in self.terms.items():
            if "]" in term or "\n" in term or "\n" in expansion:
                continue
            lines.append(f"*[{term}]: {expansion}")
        return "\n".join(lines)
