"""What an editor's changes look like to a reader, from file://: a renamed record's old URL leads
to its page now, and record pages say when their file last changed and link to its source.

The site is the fixture evidence base, committed to a git repository and built the way the
publish workflow builds (ATLAS_EDIT_BASE set)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile

import pytest

from conftest import FIXTURE, site_project

EDIT_BASE = "https://github.com/OWNER/REPO/edit/main/"
GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "editor@example.org", "GIT_AUTHOR_DATE": "2024-01-02T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2024-01-02T10:00:00+00:00", "GIT_CONFIG_GLOBAL": os.devnull,
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = site_project(tmp_path_factory.mktemp("editorial"), FIXTURE)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "atlas"]):
        subprocess.run(["git", "-C", str(root), *args], env=GIT_ENV, check=True, capture_output=True)
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600",
           "ATLAS_EDIT_BASE": EDIT_BASE}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    result = subprocess.run([sys.executable, "-m", "macros", "bundle"], cwd=root, capture_output=True, text=True,
                            env={**env, "PYTHONPATH": str(root)})
    assert result.returncode == 0, result.stderr
    return root


def test_old_url_of_a_renamed_record_leads_to_its_page(make_web, built):
    site = built / "site"
    web = make_web(site)
    page = web.open("trials/beta-trial.html")
    page.wait_for_url("**/trials/beta-study.html", timeout=5000)
    assert page.locator("h1").first.inner_text().rstrip("¶") == "A single-arm study of trastuzumab deruxtecan"
    web.rec.assert_clean()


def test_redirect_works_in_the_unpacked_zip_and_without_javascript(make_web, built, tmp_path):
    with zipfile.ZipFile(built / "dist" / "trastuzumab-resistance-atlas.zip") as zf:
        zf.extractall(tmp_path)
    root = tmp_path / "trastuzumab-resistance-atlas"
    web = make_web(root, java_script_enabled=False)
    page = web.open("trials/beta-trial.html")
    page.wait_for_url("**/trials/beta-study.html", timeout=5000)
    web.rec.assert_clean()


def test_record_page_shows_last_change_and_edit_link(make_web, built):
    web = make_web(built / "site")
    page = web.open("trials/NCT00000001.html")
    source = page.locator("p.atlas-record-source")
    assert source.is_visible()
    assert source.locator("time").get_attribute("datetime") == "2024-01-02"
    assert source.inner_text().startswith("Last changed 2024-01-02")
    link = source.get_by_role("link", name="Edit this record")
    assert link.get_attribute("href") == EDIT_BASE + "data/trials/NCT00000001.yaml"
    web.rec.assert_clean()  # a link to the repository is not a request: nothing was fetched


def test_data_reference_page_reads_offline(make_web, built):
    web = make_web(built / "site")
    page = web.open("reference/data.html")
    assert page.locator("h1").inner_text().rstrip("¶") == "Data reference"
    assert page.locator("#kind-trials").is_visible()
    assert page.locator("pre.atlas-example").count() == 6
    href = page.locator('a[href$="trial.schema.json"]').first.get_attribute("href")
    assert (built / "site" / "reference" / href).resolve() == (built / "site" / "schemas" / "trial.schema.json")
    web.rec.assert_clean()


def test_default_build_has_no_edit_link(built, tmp_path):
    # The same project without ATLAS_EDIT_BASE: dates stay, links go.
    root = tmp_path / "plain"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns("site", "dist"))
    env = {"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    html = (root / "site" / "trials" / "NCT00000001.html").read_text(encoding="utf-8")
    assert "Last changed" in html and "Edit this record" not in html


def test_data_reference_field_names_never_break_on_a_phone(make_web, built):
    web = make_web(built / "site", viewport={"width": 390, "height": 844})
    page = web.open("reference/data.html")
    names = page.locator("table.atlas-fields th[scope=row] code")
    assert names.count() > 40
    broken = names.evaluate_all("els => els.filter(e => e.getClientRects().length > 1).map(e => e.textContent)")
    assert broken == [], f"field names wrapped onto two lines: {broken}"
    # A wide table scrolls inside its own box; the page itself does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    web.rec.assert_clean()
