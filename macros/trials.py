"""Trial pages and the trial table (sortable, filterable; see ``tables``)."""
from __future__ import annotations

from typing import get_args

from .charts import outcome_chart, pfs_overview
from .domain import (COMPARATOR, EXPERIMENTAL, comparator_labels, key_outcome, key_result, median_pfs,
                     outcome_figures, outcome_label, record_label, trial_agents)
from .links import record_page
from .model import PHASE_ORDER, Setting, Trial
from .page import PageWriter
from .provenance import provenance_html, sources_line
from .sections import definition_list, front_matter, join_links, other_links, plain_table, section
from .tables import Cell, Column, Filter, Row, render_table


def registry_url(tid: str) -> str | None:
    return f"https://clinicaltrials.gov/study/{tid}" if tid.startswith("NCT") else None


def trial_page(w: PageWriter, tid: str, t: Trial) -> str:
    out = [front_matter(), w.heading(1, record_label(w.eb, "trials", tid)), ""]
    meta = [("Title", w.text(t.title))]
    url = registry_url(tid)
    if url:
        meta.append(("Registry", w.external(url, f"{w.text(tid)} on ClinicalTrials.gov")))
    if t.acronym:
        meta.append(("Acronym", w.text(t.acronym)))
    meta.append(("Phase", w.text(t.phase or "not stated")))
    if t.setting:
        meta.append(("Setting", w.text(t.setting)))
    if t.status:
        meta.append(("Status", w.text(t.status)))
    if t.enrollment is not None:
        meta.append(("Enrollment", f"{t.enrollment}"))
    if t.conditions:
        meta.append(("Conditions", w.text("; ".join(t.conditions))))
    if t.mechanisms:
        meta.append(("Mechanisms", join_links(w, "mechanisms", t.mechanisms)))
    out.append(definition_list(meta))
    if t.summary:
        out.append(f'<div class="atlas-summary">{w.md(t.summary)}</div>\n')
    out.append(sources_line(w, t.refs, t) + "\n")
    if t.arms:
        rows = [[w.text(arm.label), w.text(arm.role or ""), join_links(w, "agents", arm.agents),
                 "" if arm.n is None else str(arm.n)] for arm in t.arms]
        out.append(section("Arms", plain_table(["Arm", "Role", "Agents", "n"], rows)))
    if t.outcomes:
        rows = [[w.text(outcome_label(o)), "primary" if o.primary else "", w.text(outcome_figures(o)),
                 " · ".join(x for x in (w.cite(o.refs), provenance_html(w, o, t)) if x)]
                for o in t.outcomes]
        out.append(section("Outcomes", outcome_chart(record_label(w.eb, "trials", tid), t) + "\n"
                           + plain_table(["Endpoint", "Primary", "Result", "Source"], rows)))
    if t.notes:
        out.append(section("Notes", f'<div class="atlas-notes">{w.md(t.notes)}</div>'))
    out += other_links(w, "trials", tid, {"trials.arms[].agents", "trials.mechanisms"})
    out.append(w.references_section())
    return "\n".join(out)


# ---- the trial table --------------------------------------------------------------------
TRIAL_COLUMNS = [
    Column("trial", "Trial"), Column("phase", "Phase"), Column("setting", "Setting"),
    Column("agents", "Agents"), Column("comparator", "Comparator"), Column("enrollment", "Enrollment", numeric=True),
    Column("result", "Key result"), Column("pfs", "Median PFS, experimental (months)", numeric=True),
    Column("mechanisms", "Mechanisms"), Column("status", "Status"),
]


def trial_table(w: PageWriter, table_id: str = "trial-table", trials: dict[str, Trial] | None = None,
                columns: list[str] | None = None, caption: str = "Clinical trials", state_prefix: str = "") -> str:
    """The trial table, of every trial or of ``trials``, with every column or the ``columns`` named (keys of
    ``TRIAL_COLUMNS``, in the order given). ``state_prefix`` keeps its filters apart in the page's address."""
    trials = w.eb.trials if trials is None else trials
    keys = [c.key for c in TRIAL_COLUMNS] if columns is None else list(columns)
    rows = []
    for tid, t in sorted(trials.items()):
        label = record_label(w.eb, "trials", tid)
        exp, comp = trial_agents(t, EXPERIMENTAL), trial_agents(t, COMPARATOR)
        comparators = comparator_labels(t)
        prim = key_outcome(t)
        prim_html = w.text(key_result(t) or "")
        if prim and prim.primary:
            prim_html += ' <span class="atlas-muted">(primary endpoint)</span>'
        pfs = median_pfs(t)
        all_agents = sorted(set(exp) | set(comp))
        names = [record_label(w.eb, "agents", a) for a in all_agents]
        aliases = [al for a in all_agents if a in w.eb.agents for al in w.eb.agents[a].aliases]
        rows.append(Row(
            cells=_pick(keys, [
                Cell(w.link(record_page("trials", tid), w.text(label)), label),
                Cell(w.text(t.phase or ""), PHASE_ORDER.index(t.phase) if t.phase else None),
                Cell(w.text(t.setting or ""), t.setting),
                Cell(join_links(w, "agents", exp), ", ".join(record_label(w.eb, "agents", a) for a in exp) or None),
                Cell(w.text("; ".join(comparators)), "; ".join(comparators) or None),
                Cell("" if t.enrollment is None else str(t.enrollment), t.enrollment),
                Cell(prim_html, prim.endpoint if prim else None),
                Cell("" if pfs is None else f"{pfs:g}", pfs),
                Cell(join_links(w, "mechanisms", t.mechanisms), ", ".join(t.mechanisms) or None),
                Cell(w.text(t.status or ""), t.status),
            ]),
            filters={"phase": [t.phase] if t.phase else [], "setting": [t.setting] if t.setting else [], "agent": all_agents,
                     "mechanism": list(t.mechanisms)},
            text=" ".join([tid, t.acronym or "", t.title, *names, *aliases]),
        ))
    used_agents = sorted({a for r in rows for a in r.filters["agent"]}, key=lambda a: record_label(w.eb, "agents", a).lower())
    used_mechs = sorted({m for r in rows for m in r.filters["mechanism"]}, key=lambda m: record_label(w.eb, "mechanisms", m).lower())
    filters = [
        Filter("phase", "Phase", tuple((p, p) for p in PHASE_ORDER if any(t.phase == p for t in trials.values()))),
        Filter("setting", "Setting", tuple((s, s) for s in get_args(Setting) if any(t.setting == s for t in trials.values()))),
        Filter("agent", "Agent", tuple((a, record_label(w.eb, "agents", a)) for a in used_agents)),
        Filter("mechanism", "Mechanism", tuple((m, record_label(w.eb, "mechanisms", m)) for m in used_mechs)),
    ]
    shown = [next(c for c in TRIAL_COLUMNS if c.key == k) for k in keys]
    return render_table(table_id, caption, shown, rows, filters, noun="trials", state_prefix=state_prefix)


def _pick(keys: list[str], cells: list[Cell]) -> list[Cell]:
    """The cells of the columns named by ``keys`` (``cells`` come in ``TRIAL_COLUMNS`` order)."""
    by_key = {c.key: cell for c, cell in zip(TRIAL_COLUMNS, cells)}
    return [by_key[k] for k in keys]


def trial_index(w: PageWriter) -> str:
    return "\n".join([
        front_matter(hide="[navigation, toc]"), "# Trial table {#trials}", "",
        "<p>Every clinical study in the atlas, with its primary outcome (or, where no source names one, "
        "the first result reported). Click a column header to sort (again to reverse); "
        "filter by phase, setting, agent or mechanism, or type to search. A filtered view's address "
        "can be shared: the filters are kept in the part after <code>#</code>.</p>", "",
        trial_table(w), "",
        "## Median progression-free survival {#median-pfs}", "",
        pfs_overview(w.eb.trials, {tid: record_label(w.eb, "trials", tid) for tid in w.eb.trials}, w.page), "",
    ])
