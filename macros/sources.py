"""Reading contributor files safely: regular files inside the repository, with a size limit.

A pull request can hold a symbolic link (to ``/dev/zero``, to a file outside the
repository, to nowhere, to itself) or a named pipe where a record should be. None of
them is ever read: each comes back as the reason it was refused, never as a hang or a
traceback.
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .findings import Finding

MAX_YAML_BYTES = 1_000_000       # one record file or list file (the largest real one is ~60 KB)
MAX_BIBTEX_BYTES = 4_000_000     # references.bib (the real one is ~80 KB)
MAX_PAGE_BYTES = 1_000_000       # one hand-written page under docs/


def inside(root: Path, path: Path) -> bool:
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


def link_problem(root: Path, path: Path) -> str | None:
    """Why the symbolic link ``path`` may not be followed (broken, a loop, leaving the repository), or None."""
    try:
        path.resolve(strict=True)
    except RuntimeError:
        return "symbolic link loop"
    except OSError as exc:
        if exc.errno == 40:  # ELOOP
            return "symbolic link loop"
        return "broken symbolic link (its target does not exist)"
    if not inside(root, path):
        return "symbolic link to something outside the repository (not read)"
    return None


def kind_of(root: Path, path: Path) -> tuple[str, str | None]:
    """("file" | "folder" | "other", problem): what ``path`` is once links are followed, and why it
    may not be read (a broken or outside link, a pipe, a device)."""
    try:
        st = os.lstat(path)
    except OSError:
        return "other", "missing"
    if stat.S_ISLNK(st.st_mode):
        problem = link_problem(root, path)
        if problem:
            return "other", problem
        st = os.stat(path)
    if stat.S_ISDIR(st.st_mode):
        return "folder", None
    if stat.S_ISREG(st.st_mode):
        return "file", None
    return "other", "not a regular file (a pipe, device or socket); not read"


def read_bytes(root: Path, path: Path, limit: int) -> tuple[bytes | None, str | None]:
    """The content of the regular file ``path`` inside ``root``, or (None, why it is not read)."""
    kind, problem = kind_of(root, path)
    if problem:
        return None, problem
    if kind == "folder":
        return None, "is a folder, not a file"
    try:
        # O_NONBLOCK: should the file have been swapped for a pipe since, opening it does not wait.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "not a regular file (a pipe, device or socket); not read"
        if st.st_size > limit:
            return None, f"too large: {st.st_size:,} bytes (at most {limit:,})"
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            return None, f"too large: more than {limit:,} bytes"
        return b"".join(chunks), None
    finally:
        os.close(fd)


def decode_utf8(data: bytes) -> tuple[str | None, int, str | None]:
    """(text, 0, None), or (None, line of the first bad byte, problem)."""
    try:
        return data.decode("utf-8"), 0, None
    except UnicodeDecodeError as exc:
        return None, data[: exc.start].count(b"\n") + 1, f"not valid UTF-8 (byte 0x{data[exc.start]:02X})"


@dataclass
class DocsPages:
    """The hand-written pages under docs/ (path inside docs/ -> text) and what could not be read."""

    pages: dict[str, str] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def read_docs(root: Path, folder: str = "docs") -> DocsPages:
    """Every ``*.md`` page under ``docs/``, and a finding for anything there MkDocs could not use
    safely: a broken or outside link, a link loop, a pipe or device, a page too large or not UTF-8."""
    out = DocsPages()
    top = root / folder
    if not top.is_dir():
        return out
    seen: set[str] = set()

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in seen:
            out.findings.append(Finding(directory.relative_to(root).as_posix(), 1, "file", "symbolic link loop"))
            return
        seen.add(real)
        with os.scandir(directory) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            kind, problem = kind_of(root, path)
            if problem:
                out.findings.append(Finding(rel, 1, "file", problem))
            elif kind == "folder":
                walk(path)
            elif entry.name.endswith(".md"):
                data, problem = read_bytes(root, path, MAX_PAGE_BYTES)
                text, line, bad = decode_utf8(data) if data is not None else (None, 1, problem)
                if text is None:
                    out.findings.append(Finding(rel, line, "file", bad or "cannot be read"))
                else:
                    out.pages[path.relative_to(top).as_posix()] = text

    walk(top)
    return out
