"""The rendered effect of a change: build both sides with MkDocs and list the HTML pages that change.

Both sides are built with the working tree's own ``macros/`` code, at the same
time (each build takes seconds), into temporary folders. Each page's content
(the ``<article>`` MkDocs writes it into) is compared apart from its frame
(header, navigation, footer), so that a reviewer sees which pages to open.
Left out: ``sitemap.xml`` and ``sitemap.xml.gz`` (MkDocs stamps them with the
build) and the search index (``search/``), which only follows the pages' text.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

IGNORED = ("sitemap.xml", "sitemap.xml.gz")
IGNORED_FOLDERS = ("search/",)
IGNORED_NOTE = ("Both sides were built with MkDocs and every file of the two sites compared, except "
                "`sitemap.xml` and `sitemap.xml.gz` (MkDocs' build stamps) and the search index under "
                "`search/` (it follows the text of the pages listed here).")
_ARTICLE_RE = re.compile(r"<article\b.*?</article>", re.S)
_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


class BuildError(Exception):
    """A side could not be built."""


@dataclass
class SiteChanges:
    content: list[str] = field(default_factory=list)   # pages whose article changes
    frame: list[str] = field(default_factory=list)     # pages where only header/navigation/footer change
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)     # non-HTML files that change, appear or disappear


PACKAGE = Path(__file__).resolve().parent


def prepare(side: Path) -> None:
    """Give a side this ``macros/`` package (the working tree's code reads and renders both sides)."""
    target = side / "macros"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", "1735689600")
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def start_build(side: Path, out: Path) -> subprocess.Popen:
    if not (side / "mkdocs.yml").is_file():
        raise BuildError("it has no mkdocs.yml")
    return subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--quiet", "--no-strict", "--clean",
                             "-f", str(side / "mkdocs.yml"), "-d", str(out)],
                            cwd=side, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish_build(proc: subprocess.Popen) -> None:
    _, err = proc.communicate()
    if proc.returncode != 0:
        tail = [ln for ln in err.decode(errors="replace").splitlines() if ln.strip()][-3:]
        raise BuildError("; ".join(" ".join(t.split()) for t in tail) or f"mkdocs exited with {proc.returncode}")


def build_both(base: Path, head: Path, base_out: Path, head_out: Path) -> dict[str, str]:
    """Build the two sides at once; the problems of a side that did not build, by side name."""
    problems: dict[str, str] = {}
    procs = {}
    for name, side, out in (("base", base, base_out), ("head", head, head_out)):
        try:
            procs[name] = start_build(side, out)
        except BuildError as exc:
            problems[name] = str(exc)
    for name, proc in procs.items():
        try:
            finish_build(proc)
        except BuildError as exc:
            problems[name] = str(exc)
    return problems


def _files(site: Path) -> dict[str, Path]:
    out = {}
    for p in site.rglob("*"):
        if p.is_file():
            rel = p.relative_to(site).as_posix()
            if rel in IGNORED or rel.startswith(IGNORED_FOLDERS):
                continue
            out[rel] = p
    return out


def compare_sites(old: Path, new: Path) -> SiteChanges:
    a, b = _files(old), _files(new)
    ch = SiteChanges()
    for rel in sorted(set(a) | set(b)):
        html = rel.endswith(".html")
        if rel not in a:
            (ch.added if html else ch.other).append(rel)
        elif rel not in b:
            (ch.removed if html else ch.other).append(rel)
        else:
            x, y = a[rel].read_bytes(), b[rel].read_bytes()
            if x == y:
                continue
            if not html:
                ch.other.append(rel)
                continue
            sx, sy = x.decode("utf-8", errors="replace"), y.decode("utf-8", errors="replace")
            if _ARTICLE_RE.findall(sx) != _ARTICLE_RE.findall(sy) or _TITLE_RE.findall(sx) != _TITLE_RE.findall(sy):
                ch.content.append(rel)
            else:
                ch.frame.append(rel)
    return ch
