"""The mechanism map: categories -> mechanisms -> agents, as an inline SVG with a link on every node.

A layered layout in three columns, computed from the data alone (same data, same picture):

* a band per category (vocabulary order), its label at the top;
* in each band one row per mechanism (by title), its label wrapped to at most two lines;
* in each row the agents its strategies name (by name), as chips that wrap to at most two
  lines; agents that do not fit are collapsed into a "+N more" chip that links to the
  mechanism's strategies.

At scale a band shows at most ``per_category`` mechanisms (all of them while the whole map
holds at most ``MAX_ROWS``) and a "+N more" row links to the category on the mechanisms index.
Rows and chips are placed one after another from measured text widths (``svg.text_width``),
so no two labels can overlap; the tests check that from the SVG itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from .evidence import EvidenceBase
from .links import INDEX_PAGES, href, record_page
from .markup import escape
from .model import MechanismCategory
from .svg import Picture, figure, line, link, rect, text, text_lines, text_width, wrap

WIDTH = 720.0
CAT_X, CAT_W = 6.0, 150.0
MECH_X, MECH_W = 176.0, 226.0
AGENT_X = 420.0
AGENT_W = WIDTH - AGENT_X - 6
SIZE, LINE = 12.0, 15.6  # font size and line height of labels
CHIP_H, CHIP_GAP, CHIP_PAD = 18.0, 5.0, 5.0
CHIP_LINES = 2
MAX_ROWS = 60  # beyond this many mechanisms, bands are cut to ``per_category`` rows each
ROW_PAD = 6.0
STRATEGIES_ANCHOR = "strategies-and-agents"


@dataclass(frozen=True)
class MapCategory:
    key: str
    label: str
    mechanisms: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]  # (id, title, ((agent id, name), ...))


def map_data(eb: EvidenceBase, labels: dict[str, str]) -> list[MapCategory]:
    """Categories in vocabulary order, mechanisms by title, agents by name (records only)."""
    cats = []
    for cat in get_args(MechanismCategory):
        mechs = sorted(((mid, m.title) for mid, m in eb.mechanisms.items() if m.category == cat),
                       key=lambda x: (x[1].lower(), x[0]))
        if not mechs:
            continue
        rows = []
        for mid, title in mechs:
            agents = sorted(((a, eb.agents[a].name) for a in eb.links.of("mechanisms", mid, "agents") if a in eb.agents),
                            key=lambda x: (x[1].lower(), x[0]))
            rows.append((mid, title, tuple(agents)))
        cats.append(MapCategory(cat, labels.get(cat, cat), tuple(rows)))
    return cats


def _chip_width(name: str) -> float:
    return text_width(name, SIZE) + 2 * CHIP_PAD


def _chips(agents: tuple[tuple[str, str], ...]) -> tuple[list[tuple[float, int, str, str]], int, tuple[float, int]]:
    """Place chips left to right in up to CHIP_LINES lines. Returns [(x, line, agent id, label)], the
    number of agents that did not fit, and where their "+N more" chip goes (x, line)."""
    placed: list[tuple[float, int, str, str]] = []
    x, ln = AGENT_X, 0
    right = AGENT_X + AGENT_W
    for i, (aid, name) in enumerate(agents):
        label = name
        w = _chip_width(label)
        if w > AGENT_W:  # one very long name: shorten it (the full name is in the chip's title)
            label = wrap(name, SIZE, AGENT_W - 2 * CHIP_PAD, 1)[0]
            w = _chip_width(label)
        rest = len(agents) - i - 1
        more_w = _chip_width(f"+{rest} more") + CHIP_GAP if rest else 0.0
        if x + w > right:
            if ln + 1 >= CHIP_LINES:  # no line left: the rest goes into "+N more" after the last chip
                return placed, len(agents) - i, (x, ln)
            ln, x = ln + 1, AGENT_X
        if ln == CHIP_LINES - 1 and x + w + more_w > right:
            return placed, len(agents) - i, (x, ln)
        placed.append((x, ln, aid, label))
        x += w + CHIP_GAP
    return placed, 0, (x, ln)


def mechanism_map(eb: EvidenceBase, page: str, labels: dict[str, str], per_category: int = 6) -> str:
    """The map as a ``<figure>``: the SVG, then the same links as a nested list (the text alternative)."""
    cats = map_data(eb, labels)
    total = sum(len(c.mechanisms) for c in cats)
    cut = total > MAX_ROWS
    body: list[str] = []
    y = 4.0
    for band_i, cat in enumerate(cats):
        top = y
        cat_href = href(page, INDEX_PAGES["mechanisms"], f"cat-{cat.key}")
        cat_lines = wrap(f"{cat.label} ({len(cat.mechanisms)})", 13, CAT_W - 8, 3, bold=True)
        cat_h = 8 + 13 * 1.3 * len(cat_lines)
        shown = cat.mechanisms[:per_category] if cut else cat.mechanisms
        rows_svg: list[str] = []
        ry = y + ROW_PAD / 2
        centers = []
        for mid, title, agents in shown:
            mech_lines = wrap(title, SIZE, MECH_W, 3)
            chips, hidden, (more_x, more_ln) = _chips(agents)
            chip_lines = 1 + max([c[1] for c in chips] + [more_ln if hidden else 0])
            h = max(LINE * len(mech_lines), (CHIP_H + 3) * chip_lines - 3 if agents else 0) + ROW_PAD
            mech_href = href(page, record_page("mechanisms", mid))
            cy = ry + LINE / 2 + 1
            centers.append(cy)
            rows_svg.append(link(mech_href, text_lines(MECH_X, ry + SIZE, mech_lines, SIZE, LINE, "atlas-map-mech"), title))
            if agents:
                rows_svg.append(line(MECH_X + MECH_W + 4, cy, AGENT_X - 4, cy, "atlas-map-edge"))
            for cx, ln, aid, label in chips:
                top_y = ry + ln * (CHIP_H + 3)
                name = eb.agents[aid].name
                rows_svg.append(link(href(page, record_page("agents", aid)),
                                     rect(cx, top_y, _chip_width(label), CHIP_H, "atlas-map-chip", 3)
                                     + text(cx + _chip_width(label) / 2, top_y + 13, label, SIZE, "atlas-map-agent", "middle"),
                                     name))
            if hidden:
                cx, top_y = more_x, ry + more_ln * (CHIP_H + 3)
                more = f"+{hidden} more"
                rows_svg.append(link(href(page, record_page("mechanisms", mid), STRATEGIES_ANCHOR),
                                     rect(cx, top_y, _chip_width(more), CHIP_H, "atlas-map-chip atlas-map-more", 3)
                                     + text(cx + _chip_width(more) / 2, top_y + 13, more, SIZE, "atlas-map-agent", "middle"),
                                     f"{hidden} more agents against {title}"))
            ry += h
        if cut and len(cat.mechanisms) > len(shown):
            more = f"+{len(cat.mechanisms) - len(shown)} more mechanisms"
            cy = ry + LINE / 2 + 1
            centers.append(cy)
            rows_svg.append(link(cat_href, text(MECH_X, ry + SIZE, more, SIZE, "atlas-map-mech atlas-map-more"),
                                 f"All {len(cat.mechanisms)} mechanisms: {cat.label}"))
            ry += LINE + ROW_PAD
        bottom = max(ry + ROW_PAD / 2, top + cat_h)
        if band_i % 2 == 0:
            body.append(rect(0, top, WIDTH, bottom - top, "atlas-map-band"))
        body.append(link(cat_href, text_lines(CAT_X, top + 17, cat_lines, 13, 13 * 1.3, "atlas-map-cat", bold=True),
                         cat.label))
        # The bracket from the category to its mechanisms.
        bx = MECH_X - 10
        body.append(line(CAT_X + CAT_W + 2, centers[0], MECH_X - 3, centers[0], "atlas-map-edge"))
        if len(centers) > 1:
            body.append(line(bx, centers[0], bx, centers[-1], "atlas-map-edge"))
            body.extend(line(bx, c, MECH_X - 3, c, "atlas-map-edge") for c in centers[1:])
        body.extend(rows_svg)
        y = bottom
    n_agents = len({a for c in cats for _, _, ags in c.mechanisms for a, _ in ags})
    desc = (f"{total} mechanism{'s' if total != 1 else ''} in {len(cats)} categor{'ies' if len(cats) != 1 else 'y'}, "
            f"and the {n_agents} agent{'s' if n_agents != 1 else ''} named in their strategies. "
            "Each category, mechanism and agent links to its page; the list after the map holds the same links.")
    pic = Picture("mechanism-map", WIDTH, round(y + 4), "Map of the mechanisms of resistance: categories, mechanisms "
                  "and the agents that address them", desc, "".join(body), "atlas-chart--map")
    caption = ("Categories of resistance (left), the mechanisms in each (middle) and the agents their strategies name "
               "(right)" + ("; long lists are cut short and end in a link to the rest" if cut or _any_hidden(cats) else "")
               + ". Every name links to its page.")
    return figure(pic, caption, _as_list(cats, page))


def _any_hidden(cats: list[MapCategory]) -> bool:
    return any(_chips(ags)[1] for c in cats for _, _, ags in c.mechanisms)


def _as_list(cats: list[MapCategory], page: str) -> str:
    """The map's text alternative: categories, mechanisms and agents as a nested list, in a disclosure."""
    out = ['<details class="atlas-map-list"><summary>The map as a list</summary><ul>']
    for cat in cats:
        items = []
        for mid, title, agents in cat.mechanisms:
            ags = ", ".join(f'<a href="{escape(href(page, record_page("agents", a)))}">{escape(n)}</a>' for a, n in agents)
            items.append(f'<li><a href="{escape(href(page, record_page("mechanisms", mid)))}">{escape(title)}</a>'
                         + (f": {ags}" if ags else "") + "</li>")
        cat_href = href(page, INDEX_PAGES["mechanisms"], f"cat-{cat.key}")
        out.append(f'<li><a href="{escape(cat_href)}">{escape(cat.label)}</a><ul>{"".join(items)}</ul></li>')
    out.append("</ul></details>")
    return "".join(out)
