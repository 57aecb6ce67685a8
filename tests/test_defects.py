"""Fixed defects, each pinned by a test that failed before the fix."""
from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO
from macros.sections import section


def test_section_title_is_escaped():
    out = section('<img src=x onerror="alert(1)"> *Arms* [x](y) {{ 7*7 }}', "<p>body</p>")
    title = out.split("\n", 1)[0]
    assert title.startswith("## ")
    for raw in ("<img", "*Arms*", "[x](y)", "{{"):
        assert raw not in title, raw
    assert "&lt;img" in title
    assert section("Arms", "<p>x</p>") == "## Arms\n\n<p>x</p>\n"


def test_bundle_raises_an_error_not_systemexit(tmp_path):
    from macros.bundle import BundleError, bundle

    with pytest.raises(BundleError, match="index.html not found: build the site first"):
        bundle(tmp_path / "site", tmp_path / "dist")


def test_bundle_cli_turns_the_error_into_a_message_and_exit_code(tmp_path):
    result = subprocess.run([sys.executable, "-m", "macros", "--root", str(tmp_path), "bundle"], capture_output=True,
                            text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: ") and "index.html not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_lists_every_module():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = readme.split("`macros/` holds one module per job", 1)[1].split("\n\n", 1)[0]
    modules = sorted(p.stem for p in (REPO / "macros").glob("*.py") if p.stem not in ("__init__", "__main__"))
    missing = [m for m in modules if f"`{m}`" not in listed]
    assert missing == []
