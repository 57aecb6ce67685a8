"""Inline SVG through an escaping template: elements, numbers, text metrics and word wrapping.

Every picture of the atlas (``charts``, ``mechanism_map``, ``timeline_chart``) is written with
these helpers only, so that every attribute value and every piece of text is escaped, numbers
are written the same way every time (byte-identical output), and text is measured the same way
by the layout and by the tests that check it for overlaps.

Colours are never written here: elements carry ``atlas-*`` classes, and ``atlas.css`` gives them
Material's palette variables (light and dark) and print colours.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .markup import escape

# Advance widths per 1000 units of font size, ASCII 32..126, of an Arial-metric sans serif (Liberation
# Sans, which is what Material's system font stack "Helvetica, Arial, sans-serif" resolves to on Linux;
# Helvetica and Arial share these metrics). Measured once in Chromium with canvas measureText.
_ASCII = "".join(chr(c) for c in range(32, 127))
_REGULAR = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667,
    556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556,
    556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722,
    500, 500, 500, 334, 260, 334, 584]
_BOLD = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556,
    556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722,
    611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556,
    611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778,
    556, 556, 500, 389, 280, 389, 584]
_WIDTHS = {False: dict(zip(_ASCII, _REGULAR)), True: dict(zip(_ASCII, _BOLD))}
# A few non-ASCII characters the data uses (dashes, Greek letters, comparison signs).
for _bold, _extra in ((False, {"–": 556, "—": 1000, "·": 278, "•": 350, "α": 578, "β": 575, "γ": 500, "κ": 500,
                               "μ": 576, "±": 549, "≥": 549, "≤": 549, "×": 584, "…": 1000, "’": 222, "é": 556}),
                      (True, {"–": 556, "—": 1000, "·": 278, "•": 350, "α": 615, "β": 610, "γ": 556, "κ": 558,
                              "μ": 612, "±": 549, "≥": 549, "≤": 549, "×": 584, "…": 1000, "’": 278, "é": 556})):
    _WIDTHS[_bold].update(_extra)
# Other fonts (San Francisco, Segoe UI, DejaVu Sans) run a little wider than Arial: lay out with a margin.
SAFETY = 1.12


def text_width(s: str, size: float, bold: bool = False) -> float:
    """Estimated rendered width of ``s`` at font size ``size`` (user units), with a safety margin."""
    table = _WIDTHS[bold]
    units = 0
    for ch in s:
        w = table.get(ch)
        if w is None:
            w = 1000 if ord(ch) >= 0x2E80 else 620  # CJK full width; anything else: a wide Latin letter
        units += w
    return units * size / 1000 * SAFETY


def wrap(s: str, size: float, max_width: float, max_lines: int = 3, bold: bool = False) -> list[str]:
    """Break ``s`` into lines at spaces so that each fits ``max_width``; never inside a word.

    A single word wider than the line is cut short with an ellipsis (the full text is in the
    element's ``<title>``). Text beyond ``max_lines`` lines is cut with an ellipsis too.
    """
    words = s.split()
    lines: list[str] = []
    cur = ""
    for word in words:
        trial = f"{cur} {word}" if cur else word
        if cur and text_width(trial, size, bold) > max_width:
            lines.append(cur)
            cur = word
        else:
            cur = trial
    if cur:
        lines.append(cur)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1] + " …"
    return [_fit(line, size, max_width, bold) for line in lines] or [""]


def _fit(line: str, size: float, max_width: float, bold: bool) -> str:
    if text_width(line, size, bold) <= max_width:
        return line
    while line and text_width(line + "…", size, bold) > max_width:
        line = line[:-1]
    return line.rstrip() + "…"


# ---- numbers ------------------------------------------------------------------------------
def num(v: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros, never ``-0``."""
    r = round(float(v), 1)
    if r == 0:
        return "0"
    return f"{r:.1f}".rstrip("0").rstrip(".")


def nice_max(v: float) -> float:
    """A round upper end for an axis that holds ``v`` (1, 2, 2.5, 5 × 10^k)."""
    if v <= 0:
        return 1.0
    exp = math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        top = m * 10 ** exp
        if top >= v - 1e-9:
            return float(top)
    return float(10 ** (exp + 1))  # pragma: no cover - the loop always returns


def ticks(top: float, count: int = 5) -> list[float]:
    """Evenly spaced tick values from 0 to ``top`` (``top`` as made by ``nice_max``)."""
    for step_count in (count, 4, 5, 2):
        step = top / step_count
        if abs(step * 10 - round(step * 10)) < 1e-9:
            return [round(step * i, 6) for i in range(step_count + 1)]
    return [0.0, top]


def tick_label(v: float) -> str:
    return f"{v:g}"


# ---- the template ---------------------------------------------------------------------------
_ATTR_RE = re.compile(r"^[a-z][a-z0-9-]*$")


@lru_cache(maxsize=None)  # a few dozen names, used thousands of times
def _attr_name(name: str) -> str:
    """``font_size`` -> ``font-size``, ``class_`` -> ``class``; only plain attribute names."""
    name = name.rstrip("_").replace("_", "-")
    if not _ATTR_RE.match(name):
        raise ValueError(f"not an attribute name: {name!r}")
    return name


def attrs(pairs: dict[str, object]) -> str:
    """Attributes in the given order; ``None`` leaves one out; every value escaped."""
    out = []
    for name, value in pairs.items():
        if value is None:
            continue
        name = _attr_name(name)
        if isinstance(value, float):
            value = num(value)
        out.append(f' {name}="{escape(value)}"')
    return "".join(out)


def el(tag: str, children: str = "", /, **kw: object) -> str:
    """An element; ``children`` is SVG already made by these helpers (never raw text)."""
    return f"<{tag}{attrs(kw)}>{children}</{tag}>" if children else f"<{tag}{attrs(kw)}/>"


def text(x: float, y: float, s: str, size: float, cls: str | None = None, anchor: str | None = None,
         bold: bool = False) -> str:
    """One line of text at baseline ``y``. Size and weight are attributes, so that a test can compute
    every label's box from the SVG alone (see ``label_boxes``)."""
    return (f'<text{attrs({"x": float(x), "y": float(y), "font-size": float(size), "font-weight": "700" if bold else None, "class": cls, "text-anchor": anchor})}>'
            f'{escape(s)}</text>')


def text_lines(x: float, y: float, lines: list[str], size: float, line_height: float, cls: str | None = None,
               anchor: str | None = None, bold: bool = False) -> str:
    """Several lines, the first baseline at ``y``."""
    if len(lines) == 1:
        return text(x, y, lines[0], size, cls, anchor, bold)
    spans = "".join(f'<tspan{attrs({"x": float(x), "y": float(y + i * line_height)})}>{escape(part)}</tspan>'
                    for i, part in enumerate(lines))
    return (f'<text{attrs({"font-size": float(size), "font-weight": "700" if bold else None, "class": cls, "text-anchor": anchor})}>'
            f'{spans}</text>')


def title(s: str) -> str:
    """A tooltip / accessible name for the enclosing element."""
    return f"<title>{escape(s)}</title>"


def link(href: str, children: str, label: str | None = None) -> str:
    """A link around marks; ``label`` becomes its ``<title>`` (tooltip with the full text)."""
    return f'<a{attrs({"href": href})}>{title(label) if label else ""}{children}</a>'


def rect(x: float, y: float, w: float, h: float, cls: str, rx: float | None = None) -> str:
    return el("rect", x=float(x), y=float(y), width=float(max(w, 0)), height=float(h), rx=rx, class_=cls)


def line(x1: float, y1: float, x2: float, y2: float, cls: str) -> str:
    return el("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), class_=cls)


@dataclass(frozen=True)
class Picture:
    """An inline SVG picture with its accessible name (``title``) and description (``desc``)."""

    ident: str  # unique on its page; the ids of the title and desc derive from it
    width: float
    height: float
    title: str
    desc: str
    body: str
    cls: str = ""

    def svg(self) -> str:
        """The ``<svg>`` element, named by its title and described by its desc. A picture without links
        is one image (``role="img"``); a picture whose marks are links is a ``group``, so that
        keyboards and screen readers reach its links (inside an image they would be hidden)."""
        t, d = f"{self.ident}-title", f"{self.ident}-desc"
        role = "group" if "<a " in self.body else "img"
        head = f'<title id="{escape(t)}">{escape(self.title)}</title><desc id="{escape(d)}">{escape(self.desc)}</desc>'
        return (f'<svg xmlns="http://www.w3.org/2000/svg"{attrs({"class": ("atlas-chart " + self.cls).strip()})}'
                f' viewBox="0 0 {num(self.width)} {num(self.height)}"'
                f' width="{num(self.width)}" height="{num(self.height)}"'
                f' role="{role}"{attrs({"aria-labelledby": f"{t} {d}"})}>{head}{self.body}</svg>')


def figure(picture: Picture, caption_html: str = "", after_html: str = "") -> str:
    """The picture in a ``<figure>`` (kept out of the search index: its words are in the page's text).

    ``caption_html`` and ``after_html`` are HTML already escaped by the caller. One line per
    part and no blank line, so that the page's Markdown keeps it one HTML block.
    """
    cap = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    return (f'<figure class="atlas-figure" id="{escape(picture.ident)}" data-search-exclude>\n'
            f'<div class="atlas-figure__scroll">{picture.svg()}</div>\n{cap}{after_html}</figure>')
