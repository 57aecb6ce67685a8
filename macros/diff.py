"""``python -m macros diff [BASE]``: what a pull request changes, as Markdown for a PR comment.

The two sides (see ``git_sides``) are copied to temporary folders, read and
checked with the working tree's own code, compared record by record
(``evidence_diff``), page by page (``docs_diff``), and built with MkDocs to list
the HTML pages whose content changes (``site_diff``). Problems with git raise
``GitSideError``; the CLI turns them into a message.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from .comment_markdown import code, details, text
from .docs_diff import docs_section
from .evidence_diff import (Side, bibliography_section, counts_line, glossary_section, head_findings_section,
                            record_sections, timeline_section)
from .git_sides import Sides, make_sides, renamed_files, resolve
from .site_diff import IGNORED_NOTE, SiteChanges, build_both, compare_sites, prepare


@dataclass
class DiffResult:
    markdown: str
    head_errors: int


def diff_report(root: Path, spec: str | None = None, pages: bool = True) -> DiffResult:
    root = Path(root).resolve()
    sides = resolve(root, spec)
    with tempfile.TemporaryDirectory(prefix="atlas-diff-") as tmp:
        base_dir, head_dir = Path(tmp) / "base", Path(tmp) / "head"
        make_sides(root, sides, base_dir, head_dir)
        base, head = Side(base_dir), Side(head_dir)
        body = compare(base, head, renamed_files(base_dir, head_dir))
        if pages:
            body += pages_affected(base, head, Path(tmp))
        else:
            body += ["### Pages affected", "", "Not computed (`--no-pages`).", ""]
        body += head_findings_section(head, base)
        markdown = "\n".join(header(sides, base, head) + body).rstrip("\n") + "\n"
        return DiffResult(markdown, len(head.report.errors))


def header(sides: Sides, base: Side, head: Side) -> list[str]:
    lines = ["## Atlas changes", "", f"Compared {sides.head_label} with {sides.base_label}.", ""]
    counts = counts_line(base, head)
    if counts:
        lines += [counts, ""]
    if head.report.errors:
        lines += [f"**The head side has {len(head.report.errors)} check error(s)**: they are listed at the end; "
                  "the site cannot be built until they are fixed.", ""]
    return lines


def compare(base: Side, head: Side, renamed: list[tuple[str, str]]) -> list[str]:
    sections = (record_sections(base, head, renamed) + glossary_section(base, head) + timeline_section(base, head)
                + bibliography_section(base, head) + docs_section(base.root, head.root))
    if not sections:
        return ["No change to records, glossary, timeline, BibTeX entries, pages or site files.", ""]
    return sections


def pages_affected(base: Side, head: Side, tmp: Path) -> list[str]:
    lines = ["### Pages affected", ""]
    if head.report.errors:
        return lines + ["Not computed: the head side has check errors, and the build refuses them.", ""]
    for side in (base, head):
        prepare(side.root)
    problems = build_both(base.root, head.root, tmp / "site-base", tmp / "site-head")
    if problems:
        for name, problem in problems.items():
            lines.append(f"Not computed: the {name} side does not build ({text(problem)}).")
        return lines + [""]
    ch = compare_sites(tmp / "site-base", tmp / "site-head")
    lines += [IGNORED_NOTE, ""]
    lines += site_lines(ch)
    while lines[-1] == "":
        lines.pop()
    return lines + [""]


def site_lines(ch: SiteChanges) -> list[str]:
    if not (ch.content or ch.frame or ch.added or ch.removed or ch.other):
        return ["No page changes."]
    lines = []

    def listing(title: str, names: list[str]) -> None:
        if names:
            lines.extend(details(title, [f"- {code(n)}" for n in names]) if len(names) > 15
                         else [f"{title}:", "", *[f"- {code(n)}" for n in names]])
            lines.append("")

    listing(f"New pages ({len(ch.added)})", ch.added)
    listing(f"Pages that disappear ({len(ch.removed)}); their addresses stop working", ch.removed)
    listing(f"Pages whose content changes ({len(ch.content)})", ch.content)
    listing(f"Pages where only the navigation or page frame changes ({len(ch.frame)})", ch.frame)
    listing(f"Other files that change ({len(ch.other)})", ch.other)
    return lines
