"""Building blocks shared by the page generators: front matter, sections, fact lists, link lists."""
from __future__ import annotations

import yaml

from .kinds import KINDS
from .links import record_page
from .markup import escape_markdown_inline
from .page import PageWriter


def front_matter(**extra: str) -> str:
    """Generated Markdown is final: the macros plugin must not run Jinja over contributor text."""
    lines = ["---", "render_macros: false"]
    lines += [f"{k}: {v}" for k, v in extra.items()]
    lines.append("---")
    return "\n".join(lines) + "\n"


_NO_WRAP = 2**31 - 1


def add_front_matter(markdown: str, meta: dict[str, str]) -> str:
    """``markdown`` (which starts with a ``front_matter`` block) with ``meta`` added to that block.

    The values are contributor-derived text, so they are written by a YAML emitter (ASCII-only,
    one line each, quoted as needed), never pasted into the block.
    """
    if not markdown.startswith("---\n"):
        raise ValueError("a generated page starts with its front matter")
    end = markdown.index("\n---\n", 3) + 1
    if not meta:
        return markdown
    # libyaml's emitter (what the loader already needs); the same text as PyYAML's, many times faster.
    block = yaml.dump(meta, Dumper=yaml.CSafeDumper, allow_unicode=False, width=_NO_WRAP, sort_keys=True,
                      default_flow_style=False)
    return markdown[:end] + block + markdown[end:]


def section(title: str, body_html: str) -> str:
    """A Markdown ``##`` heading (so it is in the table of contents) over an HTML block; the title is
    plain text, escaped for HTML and Markdown like every other heading."""
    return f"## {escape_markdown_inline(title)}\n\n{body_html}\n"


def definition_list(items: list[tuple[str, str]]) -> str:
    """Label/value facts; values are HTML already escaped by the caller."""
    # Newlines between elements keep words apart in the search index, which drops the tags.
    rows = "\n".join(f"<dt>{label}</dt>\n<dd>{value}</dd>" for label, value in items if value)
    return f'<dl class="atlas-facts">{rows}</dl>\n' if rows else ""


def bullet_list(items_html: list[str]) -> str:
    return "<ul>\n" + "\n".join(f"<li>{item}</li>" for item in items_html) + "\n</ul>"


def plain_table(headers: list[str], rows: list[list[str]], cls: str = "atlas-plain", row_headers: bool = False) -> str:
    """A static table; cells are HTML already escaped by the caller. With ``row_headers`` the first
    cell of each row is a ``<th scope="row">``. Newlines between cells keep words apart in search."""
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = []
    for row in rows:
        # data-label: the column's name, shown before the value when a narrow screen makes rows cards.
        cells = [f'<th scope="row">{c}</th>' if row_headers and i == 0 else f'<td data-label="{h}">{c}</td>'
                 for i, (h, c) in enumerate(zip(headers, row))]
        body.append("<tr>\n" + "\n".join(cells) + "\n</tr>")
    return (f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>\n' + "\n".join(body)
            + "\n</tbody></table>")


def join_links(w: PageWriter, kind: str, ids: list[str]) -> str:
    return ", ".join(w.record_link(kind, i) for i in ids)


def grouped_index(w: PageWriter, kind: str, order, labels: dict[str, str], group_of, anchor_of, name_of, note_of) -> list[str]:
    """Records of ``kind`` as lists under one ``##`` heading per group, groups in vocabulary order."""
    records = w.eb.loaded.records[kind]
    groups: dict[str, list[str]] = {}
    for rid, rec in records.items():
        groups.setdefault(group_of(rec), []).append(rid)
    out = []
    for group in order:
        if group not in groups:
            continue
        out.append(f"## {labels[group]} {{#{anchor_of(group)}}}\n")
        items = []
        for rid in sorted(groups[group], key=lambda i: name_of(records[i]).lower()):
            note = note_of(records[rid])
            note_html = f' <span class="atlas-muted">({w.text(note)})</span>' if note else ""
            items.append(f"{w.link(record_page(kind, rid), w.text(name_of(records[rid])))}{note_html}")
        out.append(bullet_list(items) + "\n")
    return out


def other_links(w: PageWriter, kind_name: str, rid: str, shown: set[str]) -> list[str]:
    """A section per link field (``kinds`` names them ``<kind>.<path>``) that the record's page does not
    show in its own way, so that a link newly declared in ``kinds`` appears on both pages unasked."""
    out = []
    for name, other, ids in w.eb.links.via(kind_name, rid):
        if name not in shown:
            title = f"Linked {KINDS[other].description or other}"
            out.append(section(title, bullet_list([w.record_link(other, i) for i in ids])))
    return out
