"""Glossary terms as site-wide tooltips (``<abbr title>``), except terms with two meanings.

The atlas builds every ``<abbr>`` itself, from escaped text, inside text nodes only; glossary
text never becomes Markdown source that a Markdown processor would read again.
"""
from __future__ import annotations

import re
from collections import defaultdict

from .markup import escape, map_text_nodes
from .model import GlossaryTerm

# Where a tooltip never goes: links, code, headings (they feed the table of contents and the
# page title), an existing <abbr>, and elements whose text is not prose.
NO_TOOLTIP_IN = ("a", "abbr", "code", "pre", "kbd", "samp", "h1", "h2", "h3", "h4", "h5", "h6",
                 "script", "style", "textarea", "title", "svg", "math", "button", "select", "option", "template")


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
        """One HTML text node (already escaped) with its terms wrapped."""
        if not self._re:
            return escaped_text
        return self._re.sub(lambda m: f'<abbr title="{escape(self._by_escaped[m.group(1)])}">{m.group(1)}</abbr>', escaped_text)

    def wrap_html(self, html_text: str) -> str:
        """An HTML fragment (a rendered hand-written page) with terms wrapped in its prose text nodes."""
        if not self._re:
            return html_text
        return map_text_nodes(html_text, self, skip=NO_TOOLTIP_IN)
