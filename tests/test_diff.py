"""`python -m macros diff <ref>`: a semantic report of what the working tree changes in the data."""
from __future__ import annotations

import subprocess
import sys

from conftest import REPO, replace_in, write


def git(root, *args):
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True,
                   env={"PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e", "HOME": str(root)})


def diff(root, ref="HEAD"):
    result = subprocess.run([sys.executable, "-m", "macros", "--root", str(root), "diff", ref], capture_output=True,
                            text=True, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_diff_reports_added_removed_and_changed_fields(project):
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "base")
    assert "No record or BibTeX entry changes." in diff(project)

    # Reformatting alone is not a change.
    path = project / "data/agents/lapatinib.yaml"
    path.write_text("# comment\n" + path.read_text().replace("targets: [HER2, EGFR]", "targets:\n  - HER2\n  - EGFR"))
    assert "No record or BibTeX entry changes." in diff(project)

    replace_in(project, "data/trials/NCT00000001.yaml", "enrollment: 469", "enrollment: 470",
               '"Chemotherapy": 4.6', '"Chemotherapy": 4.5')
    (project / "data/trials/beta-study.yaml").unlink()
    write(project, "data/trials/NCT12345678.yaml", "title: New\nphase: I\nrefs: [hasan2025trastuzumab]\n")  # untracked
    replace_in(project, "references.bib", "year = {2006}", "year = {2007}")
    report = diff(project)
    assert "## Data changes against `HEAD`" in report
    assert "### Trials" in report
    assert "- **added** `NCT12345678`" in report
    assert "- **removed** `beta-study`" in report
    assert "- **changed** `NCT00000001`" in report
    assert "    - `enrollment`: `469` → `470`" in report
    assert "    - `outcomes[0].values.Chemotherapy`: `4.6` → `4.5`" in report
    assert "### References" in report and "    - `year`: `\"2006\"` → `\"2007\"`" in report
    assert "### Agents" not in report
    assert "Counts: trials 2 → 2" not in report
    assert "Check: checked" in report


def test_diff_lists_errors_of_the_working_tree(project):
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "base")
    write(project, "data/agents/broken.yaml", "name: x\n")
    report = diff(project)
    assert "- data/agents/broken.yaml:1: class: missing required field" in report
