"""The data table: one component for the trial table, the patent index and any other table.

The HTML is a complete table on its own (readable without JavaScript). For
``assets/javascripts/atlas.js`` it carries:

* ``data-sort`` on every cell: the sort key, written here rather than guessed
  from the text (numbers as plain numbers, phases as their rank, missing as "");
* ``data-f-<name>`` on every row: space-separated filter values per filter;
* a filter form, ``hidden`` until the script shows it;
* ``data-state-prefix`` when its filters are namespaced in the URL hash (a table
  embedded by a page macro, possibly beside another).
* ``data-label`` on every cell: its column's name, which ``atlas.css`` shows before the value
  when a narrow screen turns each row into a card;
* ``data-page-rows``: how many matching rows the script shows at once (``PAGE_ROWS``), with a
  pager, ``hidden`` until needed, offering the next rows or all of them. Without the script
  every row shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .markup import escape

# Rows shown at once by the script. The browser's cost of a sort or a filter grows with the rows
# on screen (about half a millisecond each under Material's styles), so a long table shows this
# many and answers within a frame or two at any length; the atlas's own tables are shorter.
PAGE_ROWS = 30


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass
class Cell:
    html: str
    sort: str | float | int | None = None  # None -> missing (sorts last both ways)


@dataclass
class Row:
    cells: list[Cell]
    filters: dict[str, list[str]] = field(default_factory=dict)  # filter name -> values (ids)
    text: str = ""  # extra words for the free-text filter (aliases, ids)


@dataclass(frozen=True)
class Filter:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label), in display order


def sort_key(value: str | float | int | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    return " ".join(str(value).lower().split())


def render_table(table_id: str, caption: str, columns: list[Column], rows: list[Row],
                 filters: list[Filter] = (), noun: str = "rows", state_prefix: str = "") -> str:
    """``state_prefix`` (e.g. ``trial-table-2.``) namespaces the table's filters in the address
    (``#trial-table-2.phase=III``), so that two tables on one page keep their state apart. The
    index pages' own tables have none, so their shared addresses read ``#phase=III``."""
    prefix = f' data-state-prefix="{escape(state_prefix)}"' if state_prefix else ""
    out = [f'<div class="atlas-table" data-atlas-table="{escape(table_id)}" data-noun="{escape(noun)}"'
           f' data-page-rows="{PAGE_ROWS}"{prefix}>']
    if filters or rows:
        out.append(_filter_form(table_id, filters, len(rows), noun))
    out.append(f'<table id="{escape(table_id)}" class="atlas-data">')
    out.append(f"<caption>{escape(caption)}</caption>")
    out.append("<thead><tr>" + "".join(
        f'<th scope="col" data-sort-method="atlas" data-key="{escape(c.key)}"'
        + (' data-numeric="1"' if c.numeric else "") + f">{escape(c.label)}</th>" for c in columns) + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        attrs = "".join(f' data-f-{escape(name)}="{escape(" ".join(vals))}"' for name, vals in sorted(row.filters.items()))
        if row.text:
            attrs += f' data-text="{escape(row.text)}"'
        cells = "\n".join(f'<td data-label="{escape(col.label)}" data-sort="{escape(sort_key(c.sort))}">{c.html}</td>'
                          for col, c in zip(columns, row.cells))
        out.append(f"<tr{attrs}>\n{cells}\n</tr>")
    out.append("</tbody></table>")
    out.append('<p class="atlas-pager" hidden><span class="atlas-pager-text"></span> '
               '<button type="button" data-rows="more">Show more</button> '
               '<button type="button" data-rows="all">Show all</button></p></div>')
    return "\n".join(out)


def _filter_form(table_id: str, filters: list[Filter], total: int, noun: str) -> str:
    parts = [f'<form class="atlas-filters" data-for="{escape(table_id)}" hidden>']
    for f in filters:
        fid = f"{table_id}-{f.name}"
        opts = "".join(f'<option value="{escape(v)}">{escape(label)}</option>' for v, label in f.options)
        parts.append(f'<span class="atlas-filter"><label for="{escape(fid)}">{escape(f.label)}</label> '
                     f'<select id="{escape(fid)}" name="{escape(f.name)}"><option value="">all</option>{opts}</select></span>')
    qid = f"{table_id}-q"
    parts.append(f'<span class="atlas-filter"><label for="{escape(qid)}">Search</label> '
                 f'<input id="{escape(qid)}" name="q" type="search"></span>')
    parts.append('<button type="reset">Clear</button>')
    parts.append(f'<output class="atlas-count" aria-live="polite">{total} of {total} {escape(noun)}</output>')
    parts.append("</form>")
    return "".join(parts)
