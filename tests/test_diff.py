"""`python -m macros diff`: the pull-request report, over real temporary git repositories.

Each test makes a repository from the fixture evidence base (with the site's
configuration, so that both sides can be built), changes it as a pull request
would, and reads the report's wording.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, replace_in, site_project, write

GIT_ENV = {"PATH": "/usr/bin:/bin", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True,
                            env={**GIT_ENV, "HOME": str(root)})
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-qm", message)


def run_diff(root: Path, *args: str, expect: int = 0) -> subprocess.CompletedProcess:
    env = {"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "HOME": str(root), "SOURCE_DATE_EPOCH": "1735689600"}
    result = subprocess.run([sys.executable, "-m", "macros", "--root", str(root), "diff", *args],
                            capture_output=True, text=True, env=env)
    assert result.returncode == expect, result.stdout + result.stderr
    return result


def diff(root: Path, *args: str) -> str:
    """The report without the two site builds (the tests about pages affected ask for them)."""
    out = run_diff(root, *args, "--no-pages").stdout
    print(out)
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository on `main` holding a buildable atlas (fixture data, the site's configuration)."""
    root = site_project(tmp_path)
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    git(root, "checkout", "-q", "-b", "change")
    return root


def test_nothing_changed(repo):
    report = diff(repo)
    assert "Compared the working tree (uncommitted and untracked files included) with the merge-base of `main` and `HEAD`" in report
    assert "No change to records, glossary, timeline, BibTeX entries, pages or site files." in report
    # Reformatting alone is not a change.
    path = repo / "data/agents/lapatinib.yaml"
    path.write_text("# comment\n" + path.read_text().replace("targets: [HER2, EGFR]", "targets:\n  - HER2\n  - EGFR"))
    assert "No change to records" in diff(repo)


def test_prose_edit_is_shown_whole_with_word_marks_and_citations(repo):
    replace_in(repo, "data/mechanisms/p95her2.yaml",
               "keeps signalling while offering\n  trastuzumab nothing to bind [@scaltriti2007expression].",
               "keeps signalling while offering\n  trastuzumab nothing to hold on to [@scaltriti2007expression; @nagy2005decreased].")
    write(repo, "references.bib", (repo / "references.bib").read_text()
          + "\n@article{nagy2005decreased,\n  title = {Decreased accessibility},\n  year = {2005}\n}\n")
    replace_in(repo, "data/trials/NCT00000001.yaml", "enrollment: 469", "enrollment: 470",
               '"Chemotherapy": 4.6', '"Chemotherapy": 4.5')
    report = diff(repo)
    assert ("- **changed** `p95her2` — p95HER2, a truncated receptor\n"
            "  - summary changed (citations added: `nagy2005decreased`):\n"
            "    > A HER2 fragment without the extracellular domain keeps signalling while offering trastuzumab "
            "nothing to <del>bind</del> <ins>hold on to</ins> \\[@\u200bscaltriti2007expression<ins>; "
            "@\u200bnagy2005decreased</ins>\\].") in report
    # Outcomes are named by what they are, not by their index.
    assert ("- **changed** `NCT00000001` — Trastuzumab plus chemotherapy against chemotherapy alone\n"
            "  - enrollment: `469` → `470`\n"
            "  - outcome PFS (median) changed:\n"
            "    - values.Chemotherapy: `4.6` → `4.5`") in report
    assert "### Bibliography\n\n- **added** `nagy2005decreased` (article)\n  - title: `Decreased accessibility`\n  - year: `2005`" in report
    assert "Counts: references 5 → 6." in report


def test_added_record_shows_every_field_escaped(repo):
    write(repo, "data/trials/NCT12345678.yaml",
          "acronym: GAMMA\ntitle: A <script>alert(1)</script> study @octocat\nphase: II\nenrollment: 12\n"
          "arms:\n  - label: Trastuzumab\n    agents: [trastuzumab]\n    n: 12\n"
          "outcomes:\n  - endpoint: ORR\n    subgroup: CD16A-158F carriers\n    values: {Trastuzumab: 40}\n"
          "    refs: [slamon2001chemotherapy]\n"
          "summary: One *arm* of [@slamon2001chemotherapy].\nrefs: [slamon2001chemotherapy]\n")  # untracked
    (repo / "data/trials/beta-study.yaml").unlink()
    report = diff(repo)
    assert ("- **added** `NCT12345678` — A &lt;script&gt;alert(1)&lt;/script&gt; study @\u200boctocat\n"
            "  - acronym: `GAMMA`\n"
            "  - title: `A <script>alert(1)</script> study @octocat`\n"
            "  - phase: `II`\n"
            "  - enrollment: `12`\n"
            "  - arms:\n"
            "    - arm Trastuzumab\n"
            "      - label: `Trastuzumab`\n"
            "      - agents: `trastuzumab`\n"
            "      - n: `12`\n"
            "  - outcomes:\n"
            "    - outcome ORR — CD16A-158F carriers\n"
            "      - endpoint: `ORR`\n"
            "      - subgroup: `CD16A-158F carriers`\n"
            "      - values: `Trastuzumab`: `40`\n"
            "      - refs: `slamon2001chemotherapy`\n"
            "  - summary:\n"
            "    > One \\*arm\\* of \\[@\u200bslamon2001chemotherapy\\].\n"
            "  - refs: `slamon2001chemotherapy`") in report
    assert "- **removed** `beta-study` — A single-arm study of trastuzumab deruxtecan; its page `trials/beta-study.html` disappears" in report
    assert "Counts: trials 2 → 2." not in report


def test_invalid_record_is_reported_as_invalid_never_as_removed(repo):
    replace_in(repo, "data/agents/lapatinib.yaml", "class: tyrosine-kinase-inhibitor", "class: tyrosine-kinase")
    write(repo, "data/glossary.yaml", "- term: ADCC\n  expansion: 'unclosed\n")
    result = run_diff(repo, "--no-pages")
    report = result.stdout
    assert "removed** `lapatinib`" not in report
    assert ("- **invalid on the head side** `lapatinib` (it was valid on the base side; nothing is removed, "
            "the file does not load):\n  - `data/agents/lapatinib.yaml:2` `class`: input should be") in report
    assert ("Counts: agents 4 → 3 (1 file(s) do not load on the head side and are not counted), glossary 4 → 0 "
            "(data/glossary.yaml has errors on the head side; only the items read are counted).") in report
    assert "- **not read on the head side** `ADCC` (data/glossary.yaml has 1 error(s) on the head side" in report
    assert "**removed** `HER2`" not in report and "**not read on the head side** `HER2`" in report
    # Only the loader's errors: no cascade of "no agent 'lapatinib'" or "not cited".
    assert "no agent" not in report and "not cited" not in report
    assert "**The head side has 2 check error(s)**" in report
    assert "Errors (2):\n\n- `data/agents/lapatinib.yaml:2` `class`: input should be" in report
    # The report is made (exit 0) unless asked to fail on errors.
    assert run_diff(repo, "--no-pages", "--fail-on-errors", expect=1).stdout == report


def test_rename_lists_the_links_that_still_point_at_the_old_id(repo):
    git(repo, "mv", "data/mechanisms/p95her2.yaml", "data/mechanisms/p95-her2.yaml")
    # A new title too: git's rename detection pairs the files by content.
    replace_in(repo, "data/mechanisms/p95-her2.yaml", "players: [HER2, p95HER2]", "players: [HER2, p95HER2, ADAM10]",
               "title: p95HER2, a truncated receptor", "title: p95HER2, a shortened receptor")
    replace_in(repo, "data/patents/CN113308542.yaml", "mechanisms: [p95her2]", "mechanisms: [p95-her2]")
    report = diff(repo)
    assert "**removed** `p95her2`" not in report and "**added** `p95-her2`" not in report
    assert ("- **renamed** `p95her2` → `p95-her2` — p95HER2, a shortened receptor\n"
            "  - title: `p95HER2, a truncated receptor` → `p95HER2, a shortened receptor`\n"
            "  - players: added `ADAM10`\n"
            "  - the published page `mechanisms/p95her2.html` disappears (its new address is `mechanisms/p95-her2.html`); "
            "add `former_ids: [p95her2]` to the record to keep the old address working\n"
            "  - still linking to `p95her2`:\n"
            "    - trial `beta-study` (`data/trials/beta-study.yaml:15`, `mechanisms[0]`)\n"
            "    - page `docs/overview/how-resistance-arises.md:7`\n"
            "    - page `docs/overview/open-questions.md:7`\n"
            "    - page `docs/overview/overcoming-resistance.md:7`\n"
            "    - page `docs/overview/patents-and-trials.md:7`\n"
            "    - page `docs/overview/why-trastuzumab.md:7`\n") in report
    assert "patent `CN113308542`" not in report
    assert "- `data/trials/beta-study.yaml:15` `mechanisms[0]`: no mechanism 'p95her2' in data/mechanisms/" in report
    # A rename without git's help: same title under a new id (content rewritten beyond recognition).
    git(repo, "add", "-A")
    write(repo, "data/mechanisms/p95-her2.yaml", "title: p95HER2, a truncated receptor\ncategory: other\n"
          "summary: Rewritten [@scaltriti2007expression].\n")
    assert "- **renamed** `p95her2` → `p95-her2`" in diff(repo)


def test_change_merged_into_the_base_after_branching_is_not_shown(repo):
    replace_in(repo, "data/agents/lapatinib.yaml", "name: Lapatinib", "name: Lapatinib (Tykerb)")
    commit(repo, "the pull request's change")
    git(repo, "checkout", "-q", "main")
    replace_in(repo, "data/agents/trastuzumab.yaml", "name: Trastuzumab", "name: Trastuzumab (Herceptin)")
    commit(repo, "merged into main after the branch was cut")
    git(repo, "checkout", "-q", "change")
    for report in (diff(repo), diff(repo, "main"), diff(repo, "main...change")):
        assert "- **changed** `lapatinib` — Lapatinib (Tykerb)\n  - name: `Lapatinib` → `Lapatinib (Tykerb)`" in report
        assert "Herceptin" not in report and "`trastuzumab`" not in report
    assert "Compared `change` (" in diff(repo, "main...change")
    # origin/main is preferred when it exists.
    git(repo, "update-ref", "refs/remotes/origin/main", "main")
    assert "the merge-base of `origin/main` and `HEAD`" in diff(repo)


def test_missing_history_says_what_to_fetch(repo, tmp_path):
    replace_in(repo, "data/agents/lapatinib.yaml", "name: Lapatinib", "name: Lapatinib (Tykerb)")
    commit(repo, "change")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "change", f"file://{repo}", str(clone))
    git(clone, "fetch", "-q", "--depth", "1", "origin", "main:refs/remotes/origin/main")
    result = run_diff(clone, "--no-pages", expect=2)
    assert result.stdout == ""
    assert "this clone: its history is cut short (a shallow clone)" in result.stderr
    assert "`git fetch --unshallow`" in result.stderr and "`fetch-depth: 0`" in result.stderr
    unknown = run_diff(repo, "origin/nope", "--no-pages", expect=2)
    assert "git does not know 'origin/nope'. Fetch it first: `git fetch origin nope`." in unknown.stderr
    assert "Traceback" not in unknown.stderr + result.stderr


def test_rename_with_a_redirect_says_the_old_address_keeps_working(repo):
    git(repo, "mv", "data/mechanisms/p95her2.yaml", "data/mechanisms/p95-her2.yaml")
    replace_in(repo, "data/mechanisms/p95-her2.yaml", "title: p95HER2, a truncated receptor",
               "former_ids: [p95her2]\ntitle: p95HER2, a truncated receptor")
    for rel in ("data/patents/CN113308542.yaml", "data/trials/beta-study.yaml"):
        replace_in(repo, rel, "mechanisms: [p95her2]", "mechanisms: [p95-her2]")
    report = diff(repo)
    assert "**removed** `p95her2`" not in report and "**added** `p95-her2`" not in report
    assert ("- **renamed** `p95her2` → `p95-her2` — p95HER2, a truncated receptor\n"
            "  - former_ids added: `p95her2`\n"
            "  - the published page `mechanisms/p95her2.html` redirects to its new address "
            "`mechanisms/p95-her2.html` (`former_ids`)\n") in report


def test_docs_edit_shows_prose_citations_and_pages_affected(repo):
    replace_in(repo, "docs/overview/open-questions.md",
               "A fixture page that cites [@ocana2006trastuzumab] and links to",
               "A fixture page that now cites [@slamon2001chemotherapy] and links to")
    with open(repo / "docs/overview/open-questions.md", "a", encoding="utf-8") as f:
        f.write("\n## New section\n\nA paragraph with a [broken link](../mechanisms/nothing.md).\n")
    report = run_diff(repo).stdout
    print(report)
    assert ("- **changed** `docs/overview/open-questions.md` (citations added: `slamon2001chemotherapy`; "
            "citations removed: `ocana2006trastuzumab`)\n"
            "  - line 7, changed:\n"
            "    > A fixture page that <ins>now</ins> cites \\[@<del>ocana2006trastuzumab</del> "
            "<ins>slamon2001chemotherapy</ins>\\] and links to \\[a mechanism\\](../mechanisms/p95her2.md) and "
            "the \\[trial table\\](../trials.md).\n"
            "  - line 9, added:\n"
            "    > <ins>\\#\\# New section</ins>\n"
            "    >\n"
            "    > <ins>A paragraph with a \\[broken link\\](../mechanisms/nothing.md).</ins>") in report
    assert ("- `docs/overview/open-questions.md:11` `link`: '../mechanisms/nothing.md': no page or file "
            "'mechanisms/nothing.md'") in report
    # The head side has an error, so it cannot be built and no pages are listed.
    assert "Not computed: the head side has check errors, and the build refuses them." in report
    replace_in(repo, "docs/overview/open-questions.md", "(../mechanisms/nothing.md)", "(../trials.md)")
    report = run_diff(repo).stdout
    print(report)
    # The bibliography's "cited on" lists change too; no other page does.
    assert ("Pages whose content changes (2):\n\n- `bibliography.html`\n- `overview/open-questions.html`\n\n"
            "### Check of the head side") in report
    assert "except `sitemap.xml` and `sitemap.xml.gz` (MkDocs' build stamps) and the search index" in report


def test_second_glossary_meaning_and_the_pages_it_affects(repo):
    with open(repo / "data/glossary.yaml", "a", encoding="utf-8") as f:
        f.write("- term: HER2\n  expansion: a second meaning\n")
    report = run_diff(repo).stdout
    print(report)
    assert "- **added** `HER2 (meaning 2)`\n  - term: `HER2`\n  - expansion: `a second meaning`" in report
    assert "- `HER2` loses its site-wide tooltip (it now has 2 meanings); see the pages affected" in report
    assert "**changed** `HER2" not in report
    # The pages where HER2 had its tooltip, the glossary itself, and the home page's count.
    assert ("Pages whose content changes (5):\n\n- `agents/trastuzumab.html`\n- `glossary.html`\n- `index.html`\n"
            "- `mechanisms/p95her2.html`\n- `overview/patents-and-trials.html`\n\n"
            "Other files that change (2):\n\n- `downloads/atlas.json`\n- `downloads/glossary.json`\n") in report


def test_glossary_and_timeline_edits_read_as_changes(repo):
    replace_in(repo, "data/glossary.yaml", "expansion: endoplasmic reticulum", "expansion: the endoplasmic reticulum")
    replace_in(repo, "data/timeline.yaml", "- date: 1998", "- date: 1998-09",
               "event: Trastuzumab approved in the United States", "event: Trastuzumab approved by the US FDA")
    report = diff(repo)
    assert ("### Glossary\n\n- **changed** `ER (meaning 2)`\n"
            "  - expansion: `endoplasmic reticulum` → `the endoplasmic reticulum`") in report
    assert ("### Timeline\n\n- **changed** event us-approval (1998-09)\n"
            "  - date: `1998` → `1998-09`\n"
            "  - event changed:\n"
            "    > Trastuzumab approved <del>in the United States</del> <ins>by the US FDA</ins> "
            "\\[@\u200bhasan2025trastuzumab\\].") in report
    assert "removed" not in report and "added" not in report


def test_an_evidence_item_with_an_id_is_named_and_paired_by_it(repo):
    git(repo, "checkout", "-q", "main")
    replace_in(repo, "data/mechanisms/p95her2.yaml", "  - claim: >-\n      Few patients", "  - id: scaltriti-2007\n    claim: >-\n      Few patients")
    commit(repo, "the item gets an id")
    git(repo, "checkout", "-q", "-b", "reworded")
    # Reworded beyond recognition, with a new item before it: still the same item, by its id.
    replace_in(repo, "data/mechanisms/p95her2.yaml",
               "evidence:\n", "evidence:\n  - claim: New finding [@scaltriti2007expression].\n    refs: [scaltriti2007expression]\n",
               "Few patients whose tumours carried p95HER2 responded to trastuzumab",
               "Tumours with the fragment seldom shrank under the antibody",
               "    model: patients\n    n: 46", "    model: cell-line\n    n: 12",
               '["ORR 11% vs >51%"]', '["fewer responses"]')
    report = diff(repo)
    assert "  - evidence scaltriti-2007: Tumours with the fragment seldom shrank under the… changed:\n" in report
    assert "    - model: `patients` → `cell-line`\n    - n: `46` → `12`\n    - figures: added" in report
    assert "  - added: evidence 1: New finding" in report
    assert "- removed:" not in report


def test_evidence_items_pair_by_id_before_likeness():
    from macros.field_diff import diff_items

    old = [{"id": "berns-2007", "claim": "PTEN is lost in a fifth of tumours.", "n": 55, "refs": ["a"]}]
    new = [{"id": "saal-2005", "claim": "PTEN is lost in a fifth of tumours.", "n": 55, "refs": ["a"]},
           {"id": "berns-2007", "claim": "Other words altogether.", "n": 12, "refs": ["b"]}]
    lines = diff_items("evidence", old, new)
    assert [line for line in lines if not line.startswith(" ")] == [
        "- evidence berns-2007: Other words altogether. changed:",
        "- added: evidence saal-2005: PTEN is lost in a fifth of tumours."]


def test_bibtex_changes_and_warnings_are_listed(repo):
    replace_in(repo, "references.bib", "year = {2006}", "year = {2007}")
    replace_in(repo, "docs/overview/open-questions.md", "[@ocana2006trastuzumab]", "[@slamon2001chemotherapy]")
    for page in ("how-resistance-arises", "overcoming-resistance", "patents-and-trials", "why-trastuzumab"):
        replace_in(repo, f"docs/overview/{page}.md", "[@ocana2006trastuzumab]", "[@slamon2001chemotherapy]")
    report = diff(repo)
    assert "- **changed** `ocana2006trastuzumab`\n  - year: `2006` → `2007`" in report
    assert ("- left uncited by this change (no record or page cites them any more): `ocana2006trastuzumab`"
            in report)
    assert "0 error(s), 1 warning(s)." in report
    assert ("Warnings (1):\n\n- `references.bib:21` `ocana2006trastuzumab`: entry is not cited by any record or page"
            in report)
