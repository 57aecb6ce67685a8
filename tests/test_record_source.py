"""Edit links and last-changed dates on record pages: dates from one git call per build, the same
in every clone of a commit, and nothing without history."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import macros.record_source as record_source
from conftest import FIXTURE, replace_in
from macros.evidence import load
from macros.record_source import RecordSources, last_changed, record_sources
from macros.site import build_pages

GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent", "PATH": "/usr/bin:/bin"}


def git(root, *args, date: str | None = None) -> str:
    env = dict(GIT_ENV)
    if date:
        env |= {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", "-C", str(root), *args], env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """The fixture evidence base in git: everything committed on 2024-01-02, one trial changed on
    2024-03-04 (late in the day at UTC-5, so the date is the committer's, not UTC's)."""
    root = tmp_path_factory.mktemp("repo") / "atlas"
    shutil.copytree(FIXTURE, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date="2024-01-02T10:00:00+00:00")
    replace_in(root, "data/trials/beta-study.yaml", "enrollment: 25", "enrollment: 26")
    git(root, "commit", "-q", "-am", "second", date="2024-03-04T22:30:00-05:00")
    return root


def test_dates_are_those_of_the_last_commit_touching_each_file(repo):
    dates = last_changed(repo)
    assert dates["data/trials/beta-study.yaml"] == "2024-03-04"
    assert dates["data/trials/NCT00000001.yaml"] == "2024-01-02"
    assert dates["data/glossary.yaml"] == "2024-01-02"
    assert set(dates) == {p.relative_to(repo).as_posix() for p in (repo / "data").rglob("*.yaml")}


def test_uncommitted_edits_do_not_change_the_date(repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(repo), str(clone))
    replace_in(clone, "data/trials/NCT00000001.yaml", "phase: III", "phase: II")
    assert last_changed(clone)["data/trials/NCT00000001.yaml"] == "2024-01-02"


def test_two_clones_of_a_commit_build_the_same_pages(repo, tmp_path):
    pages = []
    for name in ("a", "b"):
        clone = tmp_path / name
        git(tmp_path, "clone", "-q", "--no-hardlinks", str(repo), str(clone))
        pages.append(build_pages(load(clone), record_sources(clone, "https://example.org/edit/main/")))
    assert pages[0] == pages[1]
    assert 'Last changed <time datetime="2024-03-04">2024-03-04</time>' in pages[0]["trials/beta-study.md"]


def test_no_history_no_date(tmp_path, repo):
    copy = tmp_path / "tarball"
    shutil.copytree(FIXTURE, copy)  # not inside any git repository
    assert last_changed(copy) == {}
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow))
    assert last_changed(shallow) == {}, "a shallow clone would date every file to its one commit"
    eb = load(copy)
    assert build_pages(eb, record_sources(copy)) == build_pages(eb)


def test_git_is_read_once_per_build(repo, monkeypatch):
    calls = []
    real_run = subprocess.run

    def counting(args, *a, **k):
        calls.append(args)
        return real_run(args, *a, **k)

    monkeypatch.setattr(record_source.subprocess, "run", counting)
    sources = record_sources(repo)
    assert [c[3] for c in calls] == ["rev-parse", "-c"] and calls[1][5] == "log", calls
    calls.clear()
    build_pages(load(repo), sources)
    assert calls == [], "building pages must not call git again"


def test_record_pages_end_with_date_and_edit_link():
    eb = load(FIXTURE)
    sources = RecordSources("https://github.com/OWNER/REPO/edit/main/",
                            {"data/trials/NCT00000001.yaml": "2024-01-02"})
    pages = build_pages(eb, sources)
    plain = build_pages(eb)
    assert pages["trials/NCT00000001.md"] == plain["trials/NCT00000001.md"].rstrip("\n") + (
        '\n\n<p class="atlas-record-source">Last changed <time datetime="2024-01-02">2024-01-02</time> · '
        '<a href="https://github.com/OWNER/REPO/edit/main/data/trials/NCT00000001.yaml" rel="noopener noreferrer">'
        "Edit this record</a></p>\n")
    assert pages["agents/lapatinib.md"].endswith(
        '<a href="https://github.com/OWNER/REPO/edit/main/data/agents/lapatinib.yaml" rel="noopener noreferrer">'
        "Edit this record</a></p>\n")
    # Only record pages get them.
    assert {p for p in pages if pages[p] != plain[p]} == {f"{k}/{r}.md" for k, r in eb.loaded.where}


@pytest.mark.parametrize("base,url", [
    ("", None), ("   ", None), ("javascript:alert(1)//", None), ("https://x.org/a b/", None),
    ("https://git.example.org/r/-/edit/main", "https://git.example.org/r/-/edit/main/data/trials/x.yaml"),
])
def test_edit_base_must_be_a_web_address(base, url):
    assert RecordSources(base).edit_url("data/trials/x.yaml") == url
    assert ("Edit this record" in RecordSources(base).footer("data/trials/x.yaml")) == (url is not None)
