"""Browser fixtures: one Chromium per test session, a fresh recorded context per test.

The site under test is ATLAS_SITE_DIR (default: site/), the offline zip ATLAS_ZIP (default:
dist/trastuzumab-resistance-atlas.zip); `make site` builds both. Without /usr/bin/chromium the
browser tests fail, unless ATLAS_SKIP_BROWSER=1 asks explicitly to skip them.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from .helpers import CHROMIUM, CHROMIUM_ARGS, Web, new_web

REPO = Path(__file__).resolve().parents[2]
SITE_DIR = Path(os.environ.get("ATLAS_SITE_DIR") or REPO / "site").resolve()
ZIP_PATH = Path(os.environ.get("ATLAS_ZIP") or REPO / "dist" / "trastuzumab-resistance-atlas.zip").resolve()


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(f"no built site at {SITE_DIR} (no index.html): run `make site`, or point ATLAS_SITE_DIR "
                    "at a built site", pytrace=False)
    return SITE_DIR


@pytest.fixture(scope="session")
def zip_path() -> Path:
    if not ZIP_PATH.is_file():
        pytest.fail(f"no offline zip at {ZIP_PATH}: run `make site`, or point ATLAS_ZIP at the zip", pytrace=False)
    return ZIP_PATH


@pytest.fixture(scope="session")
def chromium():
    """The browser, launched once. Fails (not skips) when Chromium is missing."""
    if os.environ.get("ATLAS_SKIP_BROWSER") == "1":
        pytest.skip("ATLAS_SKIP_BROWSER=1: real-browser tests skipped on request")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium (`make browser` installs it; "
                    "`apt-get install chromium`). Set ATLAS_SKIP_BROWSER=1 to skip them explicitly.", pytrace=False)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as e:  # pragma: no cover - requirements.txt pins playwright
        pytest.fail(f"playwright is not installed in this Python ({e}): run `make site` to set up .venv", pytrace=False)
    pw = sync_playwright().start()
    try:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as e:
        pw.stop()
        pytest.fail(f"could not launch {CHROMIUM}: {e}", pytrace=False)
    yield browser
    browser.close()
    pw.stop()


@pytest.fixture
def web(chromium, site_dir):
    """A fresh browser context on the site, recording console errors, page errors and every request."""
    w = new_web(chromium, site_dir)
    yield w
    w.context.close()


@pytest.fixture
def web_nojs(chromium, site_dir):
    """The same, with JavaScript switched off."""
    w = new_web(chromium, site_dir, java_script_enabled=False)
    yield w
    w.context.close()


@pytest.fixture
def make_web(chromium):
    """Factory for a recorded context rooted somewhere else (the unpacked zip)."""
    made = []

    def make(root: Path, **options) -> Web:
        w = new_web(chromium, root, **options)
        made.append(w)
        return w

    yield make
    for w in made:
        w.context.close()
