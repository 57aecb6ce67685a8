"""Patent pages and the patent index (table, then grouped by office and by year)."""
from __future__ import annotations

from urllib.parse import quote

from .domain import patent_office, patent_year, record_label
from .links import record_page
from .model import PATENT_OFFICES, Patent
from .page import PageWriter
from .provenance import sources_line
from .sections import bullet_list, definition_list, front_matter, join_links, other_links, section
from .tables import Cell, Column, Filter, Row, render_table


def espacenet_url(pid: str) -> str:
    return f"https://worldwide.espacenet.com/patent/search?q=pn%3D{quote(pid)}"


def patent_list(w: PageWriter, ids: list[str]) -> str:
    """Patents as a list of links with their titles."""
    return bullet_list([f"{w.record_link('patents', i)}: {w.text(w.eb.patents[i].display_title)}" for i in ids])


def patent_page(w: PageWriter, pid: str, p: Patent) -> str:
    out = [front_matter(), w.heading(1, f"{pid}: {p.display_title}"), ""]
    office = patent_office(pid)
    meta = [("Publication number", f"{w.text(pid)} ({w.external(espacenet_url(pid), 'Espacenet')})"),
            ("Office", w.text(PATENT_OFFICES[office]))]
    if p.published:
        meta.append(("Published", w.text(p.published)))
    if p.assignee:
        meta.append(("Assignee", w.text(p.assignee)))
    if p.targets:
        meta.append(("Targets", w.text(", ".join(p.targets))))
    if p.mechanisms:
        meta.append(("Mechanisms", join_links(w, "mechanisms", p.mechanisms)))
    if p.agents:
        meta.append(("Agents", join_links(w, "agents", p.agents)))
    out.append(definition_list(meta))
    out.append(sources_line(w, p.refs, p) + "\n")
    out.append(section("Claims", '<ol class="atlas-claims">\n' + "\n".join(f"<li>{w.md(c)}</li>" for c in p.claims) + "\n</ol>"))
    out.append(section("Molecular mechanism", f'<div class="atlas-summary">{w.md(p.mechanism)}</div>'))
    out += other_links(w, "patents", pid, {"patents.mechanisms", "patents.agents"})
    out.append(w.references_section())
    return "\n".join(out)


PATENT_COLUMNS = [
    Column("number", "Number"), Column("office", "Office"), Column("published", "Published"),
    Column("assignee", "Assignee"), Column("targets", "Targets"), Column("mechanism", "Mechanism"),
]


def patent_table(w: PageWriter, table_id: str = "patent-table", patents: dict[str, Patent] | None = None,
                 caption: str = "Patent applications", state_prefix: str = "") -> str:
    """The patent table, of every patent or of ``patents``; ``state_prefix`` as for ``tables.render_table``."""
    pats = w.eb.patents if patents is None else patents
    rows = []
    for pid, p in sorted(pats.items()):
        office = patent_office(pid)
        mech_html = join_links(w, "mechanisms", p.mechanisms) if p.mechanisms else w.md(p.mechanism, inline=True)
        rows.append(Row(
            cells=[
                Cell(w.link(record_page("patents", pid), w.text(pid)) + f' <small>({w.external(espacenet_url(pid), "Espacenet")})</small>', pid),
                Cell(w.text(office), office),
                Cell(w.text(p.published or ""), p.published),
                Cell(w.text(p.assignee or ""), p.assignee),
                Cell(w.text(", ".join(p.targets)), ", ".join(p.targets) or None),
                Cell(mech_html, ", ".join(p.mechanisms) or p.mechanism),
            ],
            filters={"office": [office], "year": [y] if (y := patent_year(p)) else [],
                     "mechanism": list(p.mechanisms), "agent": list(p.agents)},
            text=" ".join([pid, p.display_title, p.assignee or "", *p.targets]),
        ))
    years = sorted({patent_year(p) for p in pats.values() if p.published})
    mechs = sorted({m for p in pats.values() for m in p.mechanisms}, key=lambda m: record_label(w.eb, "mechanisms", m).lower())
    agents = sorted({a for p in pats.values() for a in p.agents}, key=lambda a: record_label(w.eb, "agents", a).lower())
    filters = [
        Filter("office", "Office", tuple((o, f"{o} — {PATENT_OFFICES[o]}") for o in sorted({patent_office(i) for i in pats}))),
        Filter("year", "Year", tuple((y, y) for y in years)),
        Filter("mechanism", "Mechanism", tuple((m, record_label(w.eb, "mechanisms", m)) for m in mechs)),
        Filter("agent", "Agent", tuple((a, record_label(w.eb, "agents", a)) for a in agents)),
    ]
    return render_table(table_id, caption, PATENT_COLUMNS, rows, filters, noun="patents", state_prefix=state_prefix)


def patent_index(w: PageWriter) -> str:
    pats = w.eb.patents
    years = sorted({patent_year(p) for p in pats.values() if p.published})
    out = [front_matter(hide="[navigation]"), "# Patents", "",
           "<p>The patent applications the review discusses, with the office, publication date, assignee, "
           "targets and mechanism of each. Sort and filter the table, or browse by office and by year below.</p>", "",
           patent_table(w), ""]
    out.append("## By office\n")
    for office in sorted({patent_office(i) for i in pats}):
        ids = sorted(i for i in pats if patent_office(i) == office)
        out.append(f"### {PATENT_OFFICES[office]} {{#office-{office.lower()}}}\n")
        out.append(patent_list(w, ids) + "\n")
    out.append("## By year\n")
    for year in years + (["undated"] if any(not p.published for p in pats.values()) else []):
        ids = sorted(i for i, p in pats.items() if (patent_year(p) or "undated") == year)
        out.append(f"### {year} {{#year-{year}}}\n")
        out.append(patent_list(w, ids) + "\n")
    out.append(w.references_section())
    return "\n".join(out)
