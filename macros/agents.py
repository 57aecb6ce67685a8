"""Agent pages (drugs, therapies, comparators) and the agent index (grouped by class)."""
from __future__ import annotations

from typing import get_args

from .links import INDEX_PAGES
from .model import Agent, AgentClass
from .page import PageWriter
from .patents import patent_list
from .provenance import sources_line
from .sections import bullet_list, definition_list, front_matter, grouped_index, other_links, section

CLASS_LABELS = {c: c.replace("-", " ").capitalize() for c in get_args(AgentClass)}
CLASS_LABELS.update({"pi3k-inhibitor": "PI3K inhibitor", "akt-inhibitor": "AKT inhibitor",
                     "mtor-inhibitor": "mTOR inhibitor", "cdk-inhibitor": "CDK inhibitor"})


def agent_page(w: PageWriter, aid: str, a: Agent) -> str:
    links = w.eb.links
    out = [front_matter(), w.heading(1, a.name), ""]
    meta = [("Class", w.link(INDEX_PAGES["agents"], w.text(CLASS_LABELS[a.agent_class]), f"class-{a.agent_class}"))]
    if a.aliases:
        meta.append(("Also known as", w.text(", ".join(a.aliases))))
    if a.targets:
        meta.append(("Targets", w.text(", ".join(a.targets))))
    if a.status:
        meta.append(("Status", w.text(a.status)))
    out.append(definition_list(meta))
    if a.summary:
        out.append(f'<div class="atlas-summary">{w.md(a.summary)}</div>\n')
    if a.summary or a.refs:
        out.append(sources_line(w, a.refs, a) + "\n")

    mechs = links.of("agents", aid, "mechanisms")
    if mechs:
        items = []
        for mid in mechs:
            m = w.eb.mechanisms[mid]
            notes = [s for s in m.strategies if aid in s.agents]
            body = "".join(f"{w.md(s.note)}{sources_line(w, s.refs, s, m)}" for s in notes)
            items.append(f"<p>{w.record_link('mechanisms', mid)}</p>{body}")
        out.append(section("Mechanisms it addresses", bullet_list(items)))
    trials = links.of("agents", aid, "trials")
    if trials:
        items = []
        for tid in trials:
            t = w.eb.trials[tid]
            arms = [arm.label for arm in t.arms if aid in arm.agents]
            items.append(f"{w.record_link('trials', tid)} — phase {w.text(t.phase or 'not stated')}; arm: {w.text('; '.join(arms))}")
        out.append(section("Trials", bullet_list(items)))
    patents = links.of("agents", aid, "patents")
    if patents:
        out.append(section("Patents", patent_list(w, patents)))
    out += other_links(w, "agents", aid, {"mechanisms.strategies[].agents", "trials.arms[].agents", "patents.agents"})
    out.append(w.references_section())
    return "\n".join(out)


def agent_index(w: PageWriter) -> str:
    out = [front_matter(), "# Agents", "",
           "<p>Every drug, therapy and comparator the review names, grouped by class. "
           "Each page lists the mechanisms, trials and patents that involve it.</p>", ""]
    out += grouped_index(w, "agents", get_args(AgentClass), CLASS_LABELS, lambda a: a.agent_class,
                         lambda c: f"class-{c}", lambda a: a.name, lambda a: ", ".join(a.aliases))
    return "\n".join(out)
