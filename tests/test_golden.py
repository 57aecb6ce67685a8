"""Golden files: representative generated pages of the fixture, read and committed by hand.

To change them on purpose: ATLAS_UPDATE_GOLDEN=1 pytest tests/test_golden.py, then review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURE
from macros.evidence import load
from macros.site import build_pages

GOLDEN = Path(__file__).parent / "golden"
PAGES = ["mechanisms/p95her2.md", "mechanisms/adcc-failure.md", "agents/trastuzumab.md", "trials/NCT00000001.md", "trials/beta-study.md",
         "patents/CN113308542.md", "trials.md", "bibliography.md", "glossary.md", "timeline.md"]


@pytest.fixture(scope="module")
def pages():
    return build_pages(load(FIXTURE))


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden_file(pages, page):
    golden = GOLDEN / page.replace("/", "__")
    if os.environ.get("ATLAS_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(pages[page], encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}"
    assert pages[page] == golden.read_text(encoding="utf-8")
