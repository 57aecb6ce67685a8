"""The two sides of a diff, as plain folders: what a pull request is compared with, and what it holds.

``BASE`` (default ``origin/main``, else ``main``) compares the working tree,
uncommitted and untracked files included, with the merge-base of BASE and HEAD,
as ``git diff BASE...HEAD`` does; ``A...B`` compares commit B with the
merge-base of A and B. Each side is copied out (data/, references.bib, docs/,
mkdocs.yml, overrides/) so that it can be read, checked and built on its own.

Problems are raised as ``GitSideError`` with a message that says what to do.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

SIDE_PATHS = ("data", "references.bib", "docs", "mkdocs.yml", "overrides")
WORKING_TREE = "the working tree"


class GitSideError(Exception):
    """A side cannot be made: unknown ref, missing history, not a git repository."""


@dataclass(frozen=True)
class Sides:
    base_commit: str         # full hash of the merge-base
    head_commit: str | None  # None: the working tree
    base_label: str          # how the report names the base side
    head_label: str


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True)
    if check and result.returncode != 0:
        raise GitSideError(f"`git {' '.join(args)}` failed: {result.stderr.decode(errors='replace').strip()}")
    return result


def _out(result: subprocess.CompletedProcess) -> str:
    return result.stdout.decode().strip()


def _commit(root: Path, ref: str) -> str | None:
    result = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
    return _out(result) if result.returncode == 0 else None


def _is_shallow(root: Path) -> bool:
    return _out(git(root, "rev-parse", "--is-shallow-repository", check=False)) == "true"


def default_base(root: Path) -> str:
    return "origin/main" if _commit(root, "origin/main") else "main"


def _need_commit(root: Path, ref: str) -> str:
    commit = _commit(root, ref)
    if commit:
        return commit
    hint = ""
    if "/" in ref:
        remote, _, branch = ref.partition("/")
        hint = f" Fetch it first: `git fetch {remote} {branch}`."
    if _is_shallow(root):
        hint += " This is a shallow clone: `git fetch --unshallow` (in GitHub Actions, checkout with `fetch-depth: 0`)."
    raise GitSideError(f"git does not know {ref!r}.{hint}")


def _merge_base(root: Path, a: str, b: str, a_label: str, b_label: str) -> str:
    result = git(root, "merge-base", a, b, check=False)
    if result.returncode == 0:
        return _out(result)
    if _is_shallow(root):
        raise GitSideError(
            f"no merge-base of {a_label} and {b_label} in this clone: its history is cut short (a shallow clone). "
            "Fetch the whole history with `git fetch --unshallow` (in GitHub Actions: actions/checkout with "
            "`fetch-depth: 0`), then run the diff again.")
    raise GitSideError(f"{a_label} and {b_label} have no common history (no merge-base).")


def resolve(root: Path, spec: str | None) -> Sides:
    """The commits behind ``BASE`` or ``A...B`` (see the module docstring)."""
    if git(root, "rev-parse", "--is-inside-work-tree", check=False).returncode != 0:
        raise GitSideError(f"{root} is not inside a git repository.")
    spec = spec or default_base(root)
    if "..." in spec:
        a, _, b = spec.partition("...")
        a, b = a or "HEAD", b or "HEAD"
        ca, cb = _need_commit(root, a), _need_commit(root, b)
        base = _merge_base(root, ca, cb, a, b)
        return Sides(base, cb, f"the merge-base of `{a}` and `{b}` ({base[:10]})", f"`{b}` ({cb[:10]})")
    if ".." in spec:
        raise GitSideError(f"{spec!r}: give one ref (compared through its merge-base with HEAD) or A...B.")
    ca = _need_commit(root, spec)
    head = _need_commit(root, "HEAD")
    base = _merge_base(root, ca, head, spec, "HEAD")
    return Sides(base, None, f"the merge-base of `{spec}` and `HEAD` ({base[:10]})",
                 f"{WORKING_TREE} (uncommitted and untracked files included)")


def extract_commit(root: Path, commit: str, into: Path) -> None:
    """``SIDE_PATHS`` as they are in ``commit``, written under ``into``."""
    into.mkdir(parents=True, exist_ok=True)
    # The project may sit in a folder of the repository: read the tree of that folder.
    prefix = _out(git(root, "rev-parse", "--show-prefix"))
    top = Path(_out(git(root, "rev-parse", "--show-toplevel")))
    tree = f"{commit}:{prefix.rstrip('/')}" if prefix else commit
    if prefix and git(top, "rev-parse", "--verify", "--quiet", tree, check=False).returncode != 0:
        return
    names = _out(git(top, "ls-tree", "--name-only", tree, "--", *SIDE_PATHS)).split("\n")
    names = [n for n in names if n]
    if not names:
        return
    archive = git(top, "archive", "--format=tar", tree, "--", *names)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")


def copy_working_tree(root: Path, into: Path) -> None:
    """``SIDE_PATHS`` as they are on disk (uncommitted and untracked files included)."""
    into.mkdir(parents=True, exist_ok=True)
    for name in SIDE_PATHS:
        src = root / name
        if src.is_dir():
            shutil.copytree(src, into / name, ignore=shutil.ignore_patterns("__pycache__", ".DS_Store"))
        elif src.is_file():
            shutil.copy2(src, into / name)


def make_sides(root: Path, sides: Sides, base_dir: Path, head_dir: Path) -> None:
    extract_commit(root, sides.base_commit, base_dir)
    if sides.head_commit is None:
        copy_working_tree(root, head_dir)
    else:
        extract_commit(root, sides.head_commit, head_dir)


def renamed_files(base_dir: Path, head_dir: Path, folder: str = "data") -> list[tuple[str, str]]:
    """(old, new) paths under ``folder`` that git's rename detection pairs between the two sides."""
    a, b = base_dir / folder, head_dir / folder
    if not a.is_dir() or not b.is_dir():
        return []
    result = subprocess.run(["git", "diff", "--no-index", "--no-color", "-M", "--name-status", "-z", "--",
                             str(a), str(b)], capture_output=True)
    if result.returncode not in (0, 1):
        return []
    fields = result.stdout.decode().split("\0")
    out, i = [], 0
    while i < len(fields) and fields[i]:
        status = fields[i]
        if status.startswith(("R", "C")):
            old, new = fields[i + 1], fields[i + 2]
            if status.startswith("R"):
                out.append((Path(old).relative_to(a).as_posix(), Path(new).relative_to(b).as_posix()))
            i += 3
        else:
            i += 2
    return [(f"{folder}/{o}", f"{folder}/{n}") for o, n in out]
