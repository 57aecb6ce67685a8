"""The timeline as a picture: dated events on a vertical time axis, each labelled and linked to its source.

Events sit on the axis at their date (a year, a month or a day), their labels beside them. The
axis is uniform (``PX_PER_YEAR``) except where events crowd together: there it stretches just
enough for the labels to stand one below the other, and the year ticks show where it did. The full text of each event, with its citations, stays in the list below the
picture (the text alternative).
"""
from __future__ import annotations

import re

from .citations import find_citations, parse_citations, replace_groups
from .links import INDEX_PAGES, bib_anchor, href
from .model import TimelineEvent
from .svg import Picture, el, figure, line, link, text, text_lines, wrap

WIDTH = 400.0
AXIS_X = 52.0
LABEL_X = 84.0
SIZE, LINE = 12.0, 15.0
PX_PER_YEAR = 16.0
LABEL_LINES = 4
_MARKUP_RE = re.compile(r"[*_`]")
_SPACE_PUNCT_RE = re.compile(r"\s+([.,;:])")


def plain(event_markdown: str) -> str:
    """An event's text for a label: citations and emphasis marks dropped, spaces collapsed."""
    no_citations = replace_groups(event_markdown, parse_citations(event_markdown)[0], lambda group: "")
    words = " ".join(_MARKUP_RE.sub("", no_citations).split())
    return _SPACE_PUNCT_RE.sub(r"\1", words).rstrip(" .") + "."


def source_key(e: TimelineEvent) -> str | None:
    """The event's first source: its first ``refs`` key, else the first key it cites inline."""
    if e.refs:
        return e.refs[0]
    return next((keys[0] for _, keys in find_citations(e.event) if keys), None)


def decimal_year(date: str) -> float:
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 1
    day = parts[2] if len(parts) > 2 else 1
    return year + (month - 1) / 12 + (day - 1) / 372


def timeline_chart(events: list[TimelineEvent], page: str) -> str:
    """The picture (a ``<figure>``), or "" with no events. Links go to each event's first source."""
    if not events:
        return ""
    events = sorted(events, key=lambda e: str(e.date))
    first = int(str(events[0].date)[:4])
    last = int(str(events[-1].date)[:4]) + 1
    top = 16.0
    knots: list[tuple[float, float]] = [(float(first), top)]  # (decimal year, y): the axis, piecewise linear
    marks = []
    label_bottom = top - 2 * SIZE
    for e in events:
        date = str(e.date)
        t = decimal_year(date)
        lines = wrap(f"{date} — {plain(e.event)}", SIZE, WIDTH - LABEL_X - 4, LABEL_LINES)
        t0, y0 = knots[-1]
        # At its date on a uniform scale, unless the label before it is in the way: then the axis stretches.
        y = max(y0 + (t - t0) * PX_PER_YEAR, label_bottom + SIZE + 6)
        knots.append((t, y))
        base = y + SIZE * 0.35
        mark = (line(AXIS_X + 5, y, LABEL_X - 4, y, "atlas-map-edge")
                + el("circle", cx=AXIS_X, cy=y, r=4.0, class_="atlas-timeline-dot")
                + text_lines(LABEL_X, base, lines, SIZE, LINE, "atlas-chart-label"))
        source = source_key(e)
        if source:
            mark = link(href(page, INDEX_PAGES["bibliography"], bib_anchor(source)), mark,
                        f"{date}: {plain(e.event)} Source in the bibliography.")
        marks.append(mark)
        label_bottom = base + LINE * (len(lines) - 1)
    t0, y0 = knots[-1]
    knots.append((float(last), max(y0 + (last - t0) * PX_PER_YEAR, label_bottom + 6)))
    height = knots[-1][1] + 8
    axis = [line(AXIS_X, top, AXIS_X, knots[-1][1], "atlas-axis")]
    # A labelled tick at the first year and every fifth year, where the axis puts that year.
    for year in range(first, last + 1):
        if year == first or year % 5 == 0:
            y = _axis_y(knots, float(year))
            axis.append(line(AXIS_X - 5, y, AXIS_X, y, "atlas-axis"))
            axis.append(text(AXIS_X - 8, y + 4, str(year), 11, "atlas-tick", "end"))
    n = len(events)
    desc = (f"{n} dated events from {first} to {last - 1}, in order on a time axis that stretches where events "
            "crowd together. Each event links to its source; the list after the picture gives every event in full "
            "with its citations.")
    pic = Picture("timeline-chart", WIDTH, round(height), "Timeline of HER2 and trastuzumab", desc,
                  "".join(axis + marks), "atlas-chart--timeline")
    return figure(pic, "The events below on a time axis (ticks every five years; the axis stretches where events "
                       "crowd together). Each event links to its source in the bibliography.")


def _axis_y(knots: list[tuple[float, float]], t: float) -> float:
    """Where decimal year ``t`` falls on the piecewise-linear axis."""
    for (t0, y0), (t1, y1) in zip(knots, knots[1:]):
        if t0 <= t <= t1:
            return y0 if t1 == t0 else y0 + (y1 - y0) * (t - t0) / (t1 - t0)
    return knots[-1][1]
