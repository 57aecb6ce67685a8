"""Hand-written pages (``docs/``) compared: changed prose with word marks, citations gained or lost.

Pages are compared paragraph by paragraph (blocks between blank lines); each
changed paragraph is shown whole, with the line where it starts on the head side.
"""
from __future__ import annotations

from difflib import SequenceMatcher
from pathlib import Path

from .citations import find_citations_in_markdown
from .comment_markdown import code, quote
from .field_diff import citation_changes, pair_items
from .links import output_path
from .word_diff import marked

SITE_FILES = ("mkdocs.yml", "overrides")


def blocks(markdown: str) -> list[tuple[int, str]]:
    """(1-based start line, text) of each block between blank lines."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    start = 1
    for i, line in enumerate(markdown.split("\n"), 1):
        if line.strip():
            if not current:
                start = i
            current.append(line)
        elif current:
            out.append((start, "\n".join(current)))
            current = []
    if current:
        out.append((start, "\n".join(current)))
    return out


def _keys(markdown: str) -> set[str]:
    return {k for _, keys in find_citations_in_markdown(markdown) for k in keys}


def _files(root: Path, folder: str) -> dict[str, Path]:
    base = root / folder
    return {p.relative_to(root).as_posix(): p for p in sorted(base.rglob("*")) if p.is_file()} if base.is_dir() else {}


def page_changes(rel: str, old: str, new: str) -> list[str]:
    lines = []
    lines.append(f"- **changed** {code(rel)}" + citation_changes(_keys(old), _keys(new)))
    ob, nb = blocks(old), blocks(new)
    matcher = SequenceMatcher(None, [t for _, t in ob], [t for _, t in nb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        # Inside a changed stretch, a paragraph pairs with the most similar one; the rest are added or removed.
        pairs, removed, added = pair_items([t for _, t in ob[i1:i2]], [t for _, t in nb[j1:j2]])
        events = [(j1 + y, 0, "changed", ob[i1 + x][1], nb[j1 + y][1]) for x, y in pairs]
        events += [(j1 + y, 0, "added", "", nb[j1 + y][1]) for y in added]
        # A removed paragraph is placed before the next paragraph that stays.
        events += [(next((j1 + y for x2, y in sorted(pairs) if x2 > x), j2), -1, "removed", ob[i1 + x][1], "")
                   for x in removed]
        for j, _, verb, before, after in _grouped(sorted(events)):
            if verb == "removed":
                where = f"before line {nb[j][0]}" if j < len(nb) else "at the end"
            else:
                where = f"line {nb[j][0]}"
            lines.append(f"  - {where}, {verb}:")
            lines.append(quote(marked(before, after), "    "))
    return lines


def _grouped(events: list[tuple]) -> list[tuple]:
    """Consecutive added (or removed) paragraphs shown as one passage."""
    out: list[list] = []
    for j, order, verb, before, after in events:
        last = out[-1] if out else None
        if last and verb in ("added", "removed") and last[2] == verb and (verb == "removed" or j == last[5] + 1):
            last[3] = "\n\n".join(p for p in (last[3], before) if p)
            last[4] = "\n\n".join(p for p in (last[4], after) if p)
            last[5] = j
        else:
            out.append([j, order, verb, before, after, j])
    return [tuple(e[:5]) for e in out]


def docs_section(base_root: Path, head_root: Path) -> list[str]:
    old, new = _files(base_root, "docs"), _files(head_root, "docs")
    lines = []
    for rel in sorted(set(new) - set(old)):
        note = ""
        if rel.endswith(".md"):
            keys = _keys(new[rel].read_text(encoding="utf-8"))
            note = " (citing " + ", ".join(code(k) for k in sorted(keys)) + ")" if keys else ""
        lines.append(f"- **added** {code(rel)}{note}")
    for rel in sorted(set(old) - set(new)):
        gone = f"; its page {code(output_path(rel[len('docs/'):]))} disappears" if rel.endswith(".md") else ""
        lines.append(f"- **removed** {code(rel)}{gone}")
    for rel in sorted(set(old) & set(new)):
        a, b = old[rel].read_bytes(), new[rel].read_bytes()
        if a == b:
            continue
        if rel.endswith(".md"):
            lines += page_changes(rel, a.decode("utf-8", errors="replace"), b.decode("utf-8", errors="replace"))
        else:
            lines.append(f"- **changed** {code(rel)}")
    for name in SITE_FILES:
        o = {**_files(base_root, name), **({name: base_root / name} if (base_root / name).is_file() else {})}
        n = {**_files(head_root, name), **({name: head_root / name} if (head_root / name).is_file() else {})}
        for rel in sorted(set(o) | set(n)):
            if rel not in n:
                lines.append(f"- **removed** {code(rel)}")
            elif rel not in o:
                lines.append(f"- **added** {code(rel)}")
            elif o[rel].read_bytes() != n[rel].read_bytes():
                lines.append(f"- **changed** {code(rel)}")
    return ["### Pages and site files", "", *lines, ""] if lines else []
