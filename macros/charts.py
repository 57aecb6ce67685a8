"""Bar charts drawn from the records: a trial's outcomes, median PFS across trials, a mechanism's evidence.

Pure functions from model objects to HTML (a ``<figure>`` holding an inline SVG, see ``svg``).
No number is ever made up: a value reported as a qualified string (">51", "not reached",
"6/40") is drawn as a labelled marker without a bar, and a missing value is not drawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from .domain import outcome_label
from .links import href, record_page
from .markup import escape
from .model import Direction, EvidenceModel, Mechanism, Outcome, Trial
from .svg import Picture, figure, line, link, nice_max, num, rect, text, text_lines, text_width, tick_label, ticks, wrap

LINE = 1.3  # line height, in font sizes


# ---- shared pieces --------------------------------------------------------------------------
def value_text(value: object, unit: str | None) -> str:
    """A value as printed with its unit: 7.4 months, 33.1%, >51 months, 6/40 patients, not reached."""
    shown = f"{value:g}" if isinstance(value, (int, float)) else str(value)
    if not any(c.isdigit() for c in shown):  # "not reached" takes no unit
        return shown
    if unit == "percent":
        return f"{shown}%"
    return f"{shown} {unit}" if unit else shown


def stats_text(o: Outcome) -> str:
    parts = []
    if o.hr is not None:
        parts.append(f"HR {o.hr:g}")
    if o.p is not None:
        parts.append(f"p {o.p[0]} {o.p[1:].strip()}" if o.p[:1] in "<>=≤≥" else f"p = {o.p}")
    return " · ".join(parts)


def is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@dataclass(frozen=True)
class Scale:
    """Values 0..top mapped onto x0..x1."""

    top: float
    x0: float
    x1: float
    unit: str | None

    def x(self, v: float) -> float:
        return self.x0 + (self.x1 - self.x0) * max(0.0, min(v, self.top)) / self.top

    def axis(self, y: float, grid_top: float) -> tuple[str, float]:
        """Axis line, ticks, grid lines up to ``grid_top``, tick labels and the unit; returns (svg, new y)."""
        out = [line(self.x0, y, self.x1, y, "atlas-axis")]
        for t in ticks(self.top):
            x = self.x(t)
            out.append(line(x, grid_top, x, y, "atlas-grid"))
            label = f"{tick_label(t)}%" if self.unit == "percent" else tick_label(t)
            out.append(text(x, y + 14, label, 11, "atlas-tick", "middle"))
        if self.unit and self.unit != "percent":
            out.append(text((self.x0 + self.x1) / 2, y + 29, self.unit, 11, "atlas-tick", "middle"))
            return "".join(out), y + 36
        return "".join(out), y + 22


def axis_top(values: list[float], unit: str | None) -> float:
    hi = max(values, default=0.0)
    if unit == "percent" and hi <= 100:
        return 100.0
    return nice_max(hi)


def role_class(role: str | None) -> str:
    return f"atlas-bar atlas-bar--{role or 'arm'}"


def marker(x: float, y: float, h: float) -> str:
    """The mark of a qualified value: an open diamond at the axis origin, no bar."""
    c, r = y + h / 2, h / 2
    return (f'<path class="atlas-qualified-mark" d="M{num(x)} {num(c - r)}L{num(x + r)} {num(c)}'
            f'L{num(x)} {num(c + r)}L{num(x - r)} {num(c)}Z"/>')


def arm_row(y: float, label: str, value: object, role: str | None, scale: Scale, label_w: float,
            size: float = 13.0) -> tuple[str, float, str]:
    """One arm: its label on a line (wrapped), then its bar (or, for a qualified value, a marker
    without a bar) and the value as printed. Returns (svg, y below it, the value as shown)."""
    left, gap = scale.x0, 6.0
    lines = wrap(label, size, label_w, 2)
    y += size
    out = [text_lines(left, y, lines, size, size * LINE, "atlas-chart-label")]
    y += size * LINE * (len(lines) - 1) + 5
    shown = value_text(value, scale.unit)
    bar_h = size + 1
    if is_number(value):
        end = scale.x(float(value))
        out.append(rect(left, y, end - left, bar_h, role_class(role)))
        out.append(text(end + gap, y + bar_h - 2.5, shown, size, "atlas-chart-value", bold=True))
    else:
        shown += " (as reported)"
        out.append(marker(left + bar_h / 2, y, bar_h))
        out.append(text(left + bar_h + gap, y + bar_h - 2.5, shown, size, "atlas-chart-value atlas-qualified", bold=True))
    return "".join(out), y + bar_h + 4, shown


# ---- a trial's outcomes ---------------------------------------------------------------------
OUTCOME_WIDTH = 400


def outcome_chart(trial_label: str, t: Trial) -> str:
    """One panel per outcome of trial ``t`` (arms side by side on one labelled scale per endpoint
    and unit, with HR and p where given), or "" when no outcome gives a value per arm."""
    if not any(o.values for o in t.outcomes):
        return ""
    W, left, gap = OUTCOME_WIDTH, 14.0, 6.0  # room left of the axis for half of its first tick label
    roles = {a.label: a.role for a in t.arms}
    arm_order = [a.label for a in t.arms]
    # One scale per endpoint and unit, so that panels of the same kind compare.
    groups: dict[tuple[str, str | None], list[float]] = {}
    widest: dict[tuple[str, str | None], float] = {}
    for o in t.outcomes:
        key = (o.endpoint, o.unit)
        groups.setdefault(key, []).extend(float(v) for v in o.values.values() if is_number(v))
        widest[key] = max([widest.get(key, 0.0)] + [text_width(value_text(v, o.unit), 13, True) for v in o.values.values()])
    body, desc = [], []
    y = 4.0
    for o in t.outcomes:
        key = (o.endpoint, o.unit)
        head = wrap(outcome_label(o), 14, W - 2 * left, 3, bold=True)
        y += 14
        body.append(text_lines(left, y, head, 14, 14 * LINE, "atlas-chart-title", bold=True))
        y += 14 * LINE * (len(head) - 1)
        stats = stats_text(o)
        if stats:
            y += 16
            body.append(text(left, y, stats, 12, "atlas-chart-note"))
        y += 8
        labels = sorted(o.values, key=lambda k: (arm_order.index(k) if k in arm_order else len(arm_order), ))
        scale = Scale(axis_top(groups[key], o.unit), left, W - left - widest[key] - gap, o.unit)
        grid_top, first_bar = y, len(body)
        said = []
        for label in labels:
            row, y, shown = arm_row(y, label, o.values[label], roles.get(label), scale, W - 2 * left)
            body.append(row)
            said.append(f"{label} {shown}")
        if not o.values:
            y += 13
            body.append(text(left, y, "no value per arm reported", 12, "atlas-chart-note"))
            y += 6
        if groups[key] and o.values:
            axis, y = scale.axis(y + 2, grid_top)
            body.insert(first_bar, axis)  # grid lines behind the bars
        y += 14
        desc.append(f"{outcome_label(o)}: " + (", ".join(said) or "no value per arm") + (f"; {stats}" if stats else "") + ".")
    pic = Picture("outcomes-chart", W, round(y), f"Outcomes of {trial_label}, arm by arm", " ".join(desc),
                  "".join(body), "atlas-chart--outcomes")
    return figure(pic, f"Outcomes of {escape(trial_label)}, one bar per arm; the table below gives the same figures with their sources.")


# ---- median PFS across trials ----------------------------------------------------------------
PFS_WIDTH = 420


@dataclass(frozen=True)
class PfsRow:
    tid: str
    label: str  # the trial as shown (acronym and id, or title)
    note: str  # timepoint, if any
    arms: tuple[tuple[str, str | None, object], ...]  # (arm label, role, value)


def median_pfs_rows(trials: dict[str, Trial], labels: dict[str, str]) -> dict[str, list[PfsRow]]:
    """Unit -> one row per whole-population median PFS result (a PFS outcome with no subgroup and
    measure median or unstated). Arms in the trial's order, experimental arms first."""
    by_unit: dict[str, list[PfsRow]] = {}
    for tid, t in sorted(trials.items()):
        for o in t.outcomes:
            if o.endpoint != "PFS" or o.subgroup or o.measure not in (None, "median") or not o.values or not o.unit:
                continue
            roles = {a.label: a.role for a in t.arms}
            order = [a.label for a in t.arms]
            keys = sorted(o.values, key=lambda k: (roles.get(k) != "experimental", order.index(k) if k in order else len(order)))
            arms = tuple((k, roles.get(k), o.values[k]) for k in keys)
            by_unit.setdefault(o.unit, []).append(PfsRow(tid, labels[tid], o.timepoint or "", arms))
    for rows in by_unit.values():
        rows.sort(key=lambda r: (-_first_number(r), r.label.lower(), r.tid))
    return by_unit


def _first_number(r: PfsRow) -> float:
    return next((float(v) for _, _, v in r.arms if is_number(v)), -1.0)


def pfs_overview(trials: dict[str, Trial], labels: dict[str, str], page: str) -> str:
    """Median PFS across trials, arms paired, one chart per unit (months first), then the trials
    without such a figure. ``labels``: trial id -> label; ``page``: the page the links start from."""
    by_unit = median_pfs_rows(trials, labels)
    units = sorted(by_unit, key=lambda u: (u != "months", u))
    out = []
    for i, unit in enumerate(units):
        ident = "pfs-chart" if i == 0 else f"pfs-chart-{i + 1}"
        out.append(_pfs_chart(ident, unit, by_unit[unit], page))
    charted = {r.tid for rows in by_unit.values() for r in rows}
    missing = [tid for tid in sorted(trials, key=lambda i: labels[i].lower()) if tid not in charted]
    if missing:
        items = ", ".join(f'<a href="{escape(href(page, record_page("trials", tid)))}">{escape(labels[tid])}</a>'
                          for tid in missing)
        out.append(f'<p class="atlas-chart-missing">No median PFS for the whole study population is recorded for: {items}.</p>')
    return "\n".join(out)


def _pfs_chart(ident: str, unit: str, rows: list[PfsRow], page: str) -> str:
    W, left = PFS_WIDTH, 14.0
    values = [float(v) for r in rows for _, _, v in r.arms if is_number(v)]
    value_w = max([text_width(value_text(v, unit) + (" (as reported)" if not is_number(v) else ""), 12, True)
                   for r in rows for _, _, v in r.arms] + [0.0])
    scale = Scale(axis_top(values, unit), left, W - left - value_w - 6, unit)
    body: list[str] = []
    # Legend: the roles present, in a fixed order.
    present = [r for r in ("experimental", "comparator", None) if any(role == r for row in rows for _, role, _ in row.arms)]
    x, y = left, 14.0
    for role in present:
        name = {"experimental": "experimental arm", "comparator": "comparator arm", None: "arm, role not stated"}[role]
        body.append(rect(x, y - 10, 12, 12, role_class(role)))
        body.append(text(x + 17, y, name, 12, "atlas-chart-label"))
        x += 17 + text_width(name, 12) + 18
    y += 8
    grid_top, first_bar = y, len(body)
    desc = []
    for r in rows:
        to = href(page, record_page("trials", r.tid))
        head = r.label + (f" ({r.note})" if r.note else "")
        lines = wrap(head, 13, W - 2 * left, 3, bold=True)
        y += 13 + 8
        marks = [text_lines(left, y, lines, 13, 13 * LINE, "atlas-chart-title", bold=True)]
        y += 13 * LINE * (len(lines) - 1) + 2
        said = []
        for arm, role, v in r.arms:
            row, y, shown = arm_row(y, arm, v, role, scale, W - 2 * left, 12.0)
            marks.append(row)
            said.append(f"{arm} {shown}")
        body.append(link(to, "".join(marks), f"{head}: " + "; ".join(said)))
        desc.append(f"{head}: {', '.join(said)}.")
    axis, y = scale.axis(y + 4, grid_top)
    body.insert(first_bar, axis)  # grid lines behind the bars
    pic = Picture(ident, W, round(y + 4), f"Median progression-free survival in {unit}, arm by arm, per trial",
                  " ".join(desc), "".join(body), "atlas-chart--pfs")
    caption = (f"Median progression-free survival ({escape(unit)}) of the whole study population, the arms of each trial "
               "side by side, longest first. Each trial links to its page.")
    return figure(pic, caption)


# ---- a mechanism's evidence -------------------------------------------------------------------
EVIDENCE_WIDTH = 420
NOT_STATED = "not stated"


def evidence_counts(m: Mechanism) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Evidence items by ``model`` (every vocabulary value, then "not stated") and by ``direction``."""
    models = [(v, sum(1 for e in m.evidence if e.model == v)) for v in get_args(EvidenceModel)]
    models.append((NOT_STATED, sum(1 for e in m.evidence if e.model is None)))
    directions = [(v, sum(1 for e in m.evidence if e.direction == v)) for v in get_args(Direction)]
    directions.append((NOT_STATED, sum(1 for e in m.evidence if e.direction is None)))
    return models, directions


def evidence_strip(title: str, m: Mechanism) -> str:
    """Two small bar charts side by side: evidence items by model and by direction ("" without evidence)."""
    if not m.evidence:
        return ""
    models, directions = evidence_counts(m)
    W, half = EVIDENCE_WIDTH, EVIDENCE_WIDTH / 2
    top = max(c for _, c in models + directions)
    body = []
    height = 0.0
    for i, (heading, counts, kind) in enumerate((("By model", models, "model"), ("By direction", directions, "direction"))):
        x0 = i * half + 4
        label_w = 88.0
        bar_x, bar_max = x0 + label_w, half - label_w - 40
        y = 14.0
        body.append(text(x0, y, heading, 13, "atlas-chart-title", bold=True))
        y += 6
        for value, count in counts:
            name = value.replace("-", " ")
            cls = f"atlas-bar atlas-bar--{value.replace(' ', '-')}" if kind == "direction" else "atlas-bar atlas-bar--model"
            body.append(text(bar_x - 6, y + 11, name, 12, "atlas-chart-label" + (" atlas-zero" if not count else ""), "end"))
            if count:
                body.append(rect(bar_x, y + 2, bar_max * count / top, 11, cls))
            body.append(text(bar_x + bar_max * count / top + 5, y + 11, str(count), 12, "atlas-chart-value", bold=True))
            y += 16
        height = max(height, y)
    n = len(m.evidence)
    desc = (f"{n} evidence item{'s' if n != 1 else ''}. By model: " + ", ".join(f"{v} {c}" for v, c in models)
            + ". By direction: " + ", ".join(f"{v} {c}" for v, c in directions) + ".")
    pic = Picture("evidence-strip", W, round(height + 4), f"Evidence for {title}, counted by model and by direction",
                  desc, "".join(body), "atlas-chart--evidence")
    return figure(pic, "Evidence items below, counted by the kind of study (model) and by what they support (direction).")
