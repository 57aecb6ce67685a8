"""Shared fixtures: a copy of the fixture evidence base that a test may break on purpose."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "atlas"
sys.path.insert(0, str(REPO))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the fixture evidence base (data/, references.bib, docs/)."""
    root = tmp_path / "atlas"
    shutil.copytree(FIXTURE, root)
    return root


def write(root: Path, rel: str, text: str | bytes) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def replace_in(root: Path, rel: str, *pairs: str) -> None:
    """Edit a file of the evidence base; each ``old`` must be there (a miss would test nothing)."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text, f"{old!r} not in {rel}"
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


def site_project(tmp_path: Path, source: Path = FIXTURE) -> Path:
    """A buildable MkDocs project: the repo's config, theme overrides, core and hand-written
    pages, with the fixture's evidence base and overview pages."""
    root = tmp_path / "build"
    root.mkdir()
    for name in ("mkdocs.yml", "macros", "overrides"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    (root / "docs").mkdir()
    for name in ("assets", "index.md", "contributing.md"):
        src = REPO / "docs" / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / "docs" / name)
    shutil.copytree(source / "data", root / "data")
    shutil.copy(source / "references.bib", root / "references.bib")
    shutil.copytree(source / "docs" / "overview", root / "docs" / "overview")
    return root
