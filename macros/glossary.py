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


def _trie_pattern(words: list[str]) -> str:
    """A regex matching any of ``words``, longest first, written as a trie.

    Python's ``re`` tries the branches of ``a|b|c`` one by one at every position of the text, so a
    flat alternation of every glossary term costs time in proportion to the size of the glossary;
    the trie tries one branch per character. Longer terms are tried before their prefixes (the
    optional continuation is greedy), as in a flat alternation sorted longest first.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(trie)


class Abbreviations:
    """Wraps whole-word occurrences of glossary terms in escaped HTML text."""

    def __init__(self, terms: dict[str, str]):
        self.terms = terms
        alternatives = _trie_pattern([escape(t) for t in terms])
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
