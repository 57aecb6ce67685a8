"""Mechanism pages and the mechanism index (grouped by category)."""
from __future__ import annotations

from typing import get_args

from .charts import evidence_strip
from .links import INDEX_PAGES
from .mechanism_map import mechanism_map
from .model import Mechanism, MechanismCategory
from .page import PageWriter
from .patents import patent_list
from .provenance import section_link, sources_line
from .sections import bullet_list, definition_list, front_matter, grouped_index, join_links, other_links, section

CATEGORY_LABELS = {c: c.replace("-", " ").capitalize() for c in get_args(MechanismCategory)}
CATEGORY_LABELS.update({"non-coding-rna": "Non-coding RNA", "stem-cell": "Stem-cell programmes"})


def mechanism_page(w: PageWriter, mid: str, m: Mechanism) -> str:
    links = w.eb.links
    out = [front_matter(), w.heading(1, m.title), ""]
    meta = [
        ("Category", w.link(INDEX_PAGES["mechanisms"], w.text(CATEGORY_LABELS[m.category]), _cat_anchor(m.category))),
    ]
    if m.sections:
        meta.append(("Review section", ", ".join(section_link(w, s) for s in m.sections)))
    if m.players:
        meta.append(("Players", w.text(", ".join(m.players))))
    out.append(definition_list(meta))
    out.append(f'<div class="atlas-summary">{w.md(m.summary)}</div>\n')
    if m.outside_review or m.recites:
        out.append(sources_line(w, [], m) + "\n")

    if m.evidence:
        items = []
        for e in m.evidence:
            facts = []
            if e.model:
                facts.append(w.text(e.model.replace("-", " ")))
            if e.n is not None:
                facts.append(f"n = {e.n}")
            if e.direction:
                facts.append(f'<span class="atlas-direction atlas-{e.direction}">{w.text(e.direction)}</span>')
            figures = "".join(f"<li>{w.text(f)}</li>" for f in e.figures)
            items.append(
                "<li>" + w.md(e.claim) + (f'<p class="atlas-facts">{" · ".join(facts)}</p>' if facts else "")
                + (f'<ul class="atlas-figures">{figures}</ul>' if figures else "")
                + sources_line(w, e.refs, e, m) + "</li>")
        out.append(section("Evidence", evidence_strip(m.title, m) + '\n<ol class="atlas-evidence">\n' + "\n".join(items) + "\n</ol>"))

    if m.strategies:
        items = []
        for s in m.strategies:
            agents = join_links(w, "agents", s.agents)
            head = f'<p class="atlas-agents">{agents}</p>' if agents else ""
            items.append(f"<li>{head}{w.md(s.note)}{sources_line(w, s.refs, s, m)}</li>")
        out.append(section("Strategies and agents", '<ul class="atlas-strategies">\n' + "\n".join(items) + "\n</ul>"))

    trials = links.of("mechanisms", mid, "trials")
    if trials:
        rows = []
        for tid in trials:
            t = w.eb.trials[tid]
            rows.append(f"{w.record_link('trials', tid)} — phase {w.text(t.phase or 'not stated')}"
                        + (f", {w.text(t.setting)}" if t.setting else "") + f": {w.text(t.title)}")
        out.append(section("Trials addressing it", bullet_list(rows)))
    patents = links.of("mechanisms", mid, "patents")
    if patents:
        out.append(section("Patents", patent_list(w, patents)))
    related = links.of("mechanisms", mid, "mechanisms")
    if related:
        out.append(section("Related mechanisms", f"<p>{join_links(w, 'mechanisms', related)}</p>"))
    out += other_links(w, "mechanisms", mid, {"mechanisms.strategies[].agents", "mechanisms.related", "trials.mechanisms",
                                                 "patents.mechanisms"})
    out.append(w.references_section())
    return "\n".join(out)


def _cat_anchor(category: str) -> str:
    return f"cat-{category}"


def mechanism_index(w: PageWriter) -> str:
    out = [front_matter(), "# Mechanisms", "",
           "<p>Each mechanism of resistance to trastuzumab that the review discusses, grouped by kind. "
           "A mechanism's page gives the evidence behind it, the agents and strategies against it, "
           "and the trials and patents that address it.</p>", "", mechanism_map(w.eb, w.page, CATEGORY_LABELS), ""]
    out += grouped_index(w, "mechanisms", get_args(MechanismCategory), CATEGORY_LABELS, lambda m: m.category,
                         _cat_anchor, lambda m: m.title, lambda m: "§ " + ", ".join(m.sections) if m.sections else "")
    return "\n".join(out)
