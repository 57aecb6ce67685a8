"""Page descriptions: one short plain-text sentence or two per page, for search engines and link previews.

A record page is described by its summary, introduced by the record's short name (an agent's name,
a trial's acronym and NCT id) when the summary does not name it; a patent, which has no summary, by
its number, title and claimed mechanism; a record without a summary by a sentence made from its fields. Other pages are described
by their front matter ``description:`` or else their first paragraph. The text is plain: Markdown
rendered and its tags dropped, citation markers removed, whitespace collapsed, and cut at a word
boundary so that it is at most ``LIMIT`` characters (an ellipsis marks a cut).
"""
from __future__ import annotations

import html
import re

import markdown as md
import nh3

from .agents import CLASS_LABELS
from .citations import parse_citations, replace_groups
from .evidence import EvidenceBase
from .markup import render_markdown
from .domain import record_label

LIMIT = 160
ELLIPSIS = "\u2026"
_SPACE_BEFORE_RE = re.compile(r"\s+([.,;:!?)\]])")
_SPACE_AFTER_RE = re.compile(r"([(\[])\s+")
_EMPTY_BRACKETS_RE = re.compile(r"\(\s*\)|\[\s*\]")


def html_to_text(fragment: str) -> str:
    """Tags dropped (the content of script/style too), entities decoded, whitespace collapsed."""
    text = html.unescape(nh3.clean(fragment, tags=set(), strip_comments=True))
    text = " ".join(text.split())
    text = _EMPTY_BRACKETS_RE.sub("", text)
    text = _SPACE_BEFORE_RE.sub(r"\1", text)
    return " ".join(_SPACE_AFTER_RE.sub(r"\1", text).split())


def record_markdown_to_text(text: str) -> str:
    """A record's Markdown field as plain text: rendered safely (no raw HTML), citations dropped."""
    return html_to_text(render_markdown(text, lambda keys: ""))


def page_markdown_to_text(text: str) -> str:
    """A hand-written page's Markdown (which may hold inline HTML) as plain text, citations dropped."""
    no_citations = replace_groups(text, parse_citations(text)[0], lambda group: "")
    return html_to_text(md.markdown(no_citations, extensions=[], output_format="html"))


def shorten(text: str, limit: int = LIMIT) -> str:
    """``text`` cut at the last word boundary that leaves room for an ellipsis within ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space >= limit // 2 else cut[: limit - len(ELLIPSIS)]
    return cut.rstrip(" ,;:\u2013\u2014-([") + ELLIPSIS


# ---- record pages ----------------------------------------------------------------------------
def _class_label(agent_class: str) -> str:
    return CLASS_LABELS[agent_class].lower() if agent_class not in ("other",) else ""


def _short_name(eb: EvidenceBase, kind: str, rid: str) -> str | None:
    """The name a summary is introduced with: an agent's name, a trial's acronym and/or NCT id."""
    if kind == "agents":
        return eb.agents[rid].name
    if kind == "trials":
        acronym, nct = eb.trials[rid].acronym, rid if rid.startswith("NCT") else None
        return f"{acronym} ({nct})" if acronym and nct else acronym or nct
    return None


def record_description(eb: EvidenceBase, kind: str, rid: str) -> str:
    # Asked for twice per record page (its meta description and its structured data).
    return eb.once((record_description, kind, rid), lambda: _record_description(eb, kind, rid))


def _record_description(eb: EvidenceBase, kind: str, rid: str) -> str:
    rec = eb.loaded.records[kind][rid]
    label = record_label(eb, kind, rid)
    if kind == "patents":
        text = f"{rid}: {rec.display_title}. {record_markdown_to_text(rec.mechanism)}"
    elif getattr(rec, "summary", None):
        text = record_markdown_to_text(rec.summary)
        # A summary that does not name its record is introduced by the name, so that a search
        # result or a link preview says what it is about (and two similar drugs differ).
        name = _short_name(eb, kind, rid)
        if name and name.casefold() not in text.casefold():
            text = f"{name}: {text}"
    elif kind == "agents":
        what = ", ".join(x for x in (_class_label(rec.agent_class),
                                     f"targeting {', '.join(rec.targets)}" if rec.targets else "",
                                     rec.status or "") if x)
        aka = f" (also {', '.join(rec.aliases)})" if rec.aliases else ""
        text = f"{rec.name}{aka}{': ' + what if what else ''}. Mechanisms, trials and patents in the atlas that involve it."
    else:  # a trial without a summary
        facts = ", ".join(x for x in (f"phase {rec.phase} trial" if rec.phase else "trial",
                                      f"{rec.setting} setting" if rec.setting else "", rec.status or "") if x)
        facts = facts[0].upper() + facts[1:]
        name = _short_name(eb, kind, rid)
        text = f"{name}: {facts}. {rec.title}." if name else f"{rec.title}. {facts}."
    return shorten(text) or shorten(label)


# ---- other pages -----------------------------------------------------------------------------
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_NOT_PROSE_RE = re.compile(r"^\s*([#|>!{:*+\-=]|\d+[.)]\s|\[\^?[^\]]*\]:|<(?!p[\s>]))")


def strip_front_matter(markdown: str) -> str:
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end >= 0:
            return markdown[end + 5:]
    return markdown


def first_paragraph(markdown: str) -> str:
    """The first paragraph of prose of a page (not a heading, list, table, code or HTML block other
    than ``<p>``), as plain text; empty when there is none."""
    blocks, current, fenced = [], [], False
    for line in strip_front_matter(markdown).split("\n"):
        if _FENCE_RE.match(line):
            fenced = not fenced
            current = []
            continue
        if fenced:
            continue
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    for block in blocks:
        if _NOT_PROSE_RE.match(block[0]) or block[0].startswith("    "):
            continue
        text = page_markdown_to_text("\n".join(block))
        if text:
            return text
    return ""


def page_description(markdown: str, front_matter: dict | None = None) -> str:
    """A non-record page: its front matter ``description`` (plain text) or else its first paragraph."""
    given = (front_matter or {}).get("description")
    if isinstance(given, str) and given.strip():
        return shorten(given)  # plain text as written (the template escapes it), whitespace collapsed
    return shorten(first_paragraph(markdown))
