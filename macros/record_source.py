"""Where a record's file lives: an "Edit this record" link and the date its file last changed.

The dates come from git, read once per build (``last_changed``: one ``git log`` over ``data/``),
as the committer date of the last commit touching each file; so two clones of the same commit
build identically. Without history (an unpacked tarball, a folder outside git) or with a
shallow clone (whose dates would be wrong), no date is shown. Uncommitted edits do not count.

The edit link is shown when ``extra.atlas.edit_base`` is set in mkdocs.yml (for example
``https://github.com/OWNER/REPO/edit/main/``): the link is that base followed by the record's
path, ``data/trials/NCT01234567.yaml``.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .markup import escape

DATA_DIR = "data"


def last_changed(root: Path) -> dict[str, str]:
    """``{path under root: YYYY-MM-DD}`` for every file under data/ that git knows, or ``{}``."""
    root = Path(root)
    try:
        shallow = subprocess.run(["git", "-C", str(root), "rev-parse", "--is-shallow-repository"],
                                 capture_output=True, text=True)
        if shallow.returncode != 0 or shallow.stdout.strip() != "false":
            return {}
        log = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", "log", "--relative",
                              "--format=%x00%cs", "--name-only", "--", DATA_DIR],
                             capture_output=True, text=True)
    except OSError:  # no git on this machine
        return {}
    if log.returncode != 0:
        return {}
    dates: dict[str, str] = {}
    date = ""
    for line in log.stdout.splitlines():
        if line.startswith("\0"):
            date = line[1:]
        elif line and date:
            # Commits are not strictly in date order (merged branches): keep the latest date.
            if line not in dates or date > dates[line]:
                dates[line] = date
    return dates


def valid_edit_base(base: str) -> str:
    """The edit-link base when it is an http(s) URL, else "" (no links)."""
    base = (base or "").strip()
    return base if base.startswith(("https://", "http://")) and not any(c.isspace() for c in base) else ""


@dataclass(frozen=True)
class RecordSources:
    edit_base: str = ""
    changed: dict[str, str] = field(default_factory=dict)

    def edit_url(self, path: str) -> str | None:
        base = valid_edit_base(self.edit_base)
        if not base:
            return None
        return (base if base.endswith("/") else base + "/") + quote(path)

    def footer(self, path: str) -> str:
        """HTML for the end of a record's page, or "" when there is nothing to say."""
        parts = []
        date = self.changed.get(path)
        if date:
            parts.append(f'Last changed <time datetime="{escape(date)}">{escape(date)}</time>')
        url = self.edit_url(path)
        if url:
            parts.append(f'<a href="{escape(url)}" rel="noopener noreferrer">Edit this record</a>')
        if not parts:
            return ""
        return f'<p class="atlas-record-source">{" · ".join(parts)}</p>\n'


def record_sources(root: Path, edit_base: str = "") -> RecordSources:
    """What one build needs: the edit-link base and every file's date (one git call)."""
    return RecordSources(edit_base=edit_base or "", changed=last_changed(root))
