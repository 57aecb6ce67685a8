"""Renamed records: `former_ids` is checked, and each former id becomes a redirect page."""
from __future__ import annotations

import re
import shutil

import pytest

from conftest import FIXTURE, replace_in, write
from macros.checks import check
from macros.evidence import load
from macros.redirects import Redirect, redirect_files, redirects, renames
from macros.site import build_file_names, build_files


def errors(root) -> list[str]:
    return [f.format() for f in check(load(root)).errors]


def test_the_fixture_declares_one_rename():
    eb = load(FIXTURE)
    assert redirects(eb) == [Redirect("trials", "beta-trial", "beta-study")]
    assert errors(FIXTURE) == []


def test_redirect_page_forwards_from_the_old_path_to_the_new_page():
    files = build_files(load(FIXTURE))
    html = files["trials/beta-trial.html"].decode("utf-8")
    # Same folder: a relative link, so it works hosted, under a sub-path and from file://.
    assert '<meta http-equiv="refresh" content="0; url=beta-study.html">' in html
    assert '<a href="beta-study.html">A single-arm study of trastuzumab deruxtecan</a>' in html
    assert '<meta name="robots" content="noindex">' in html and '<html lang="en">' in html
    assert set(redirect_files(load(FIXTURE))) == {"trials/beta-trial.html"}


def test_redirect_page_escapes_the_record_label(project):
    replace_in(project, "data/agents/lapatinib.yaml", "name: Lapatinib",
               'name: "<script>alert(1)</script> & co"\nformer_ids: [tykerb]')
    html = redirect_files(load(project))["agents/tykerb.html"].decode("utf-8")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html


@pytest.mark.parametrize("rel,old,new,message", [
    ("data/trials/beta-study.yaml", "former_ids: [beta-trial]", "former_ids: [NCT00000001]",
     "data/trials/beta-study.yaml:19: former_ids[0]: 'NCT00000001' is still a live trial "
     "(data/trials/NCT00000001.yaml): a former id must be free"),
    ("data/trials/beta-study.yaml", "former_ids: [beta-trial]", "former_ids: [nct00000001]",
     "data/trials/beta-study.yaml:19: former_ids[0]: 'nct00000001' is still a live trial"),
    ("data/trials/beta-study.yaml", "former_ids: [beta-trial]", "former_ids: [beta-study]",
     "former_ids[0]: 'beta-study' is this record's own id"),
    ("data/trials/beta-study.yaml", "former_ids: [beta-trial]", "former_ids: [beta-trial, beta-trial]",
     "former_ids[1]: 'beta-trial' is listed twice"),
    ("data/agents/lapatinib.yaml", "targets:", "former_ids: [index]\ntargets:",
     "former_ids[0]: 'index' would replace the page agents/index.html"),
    ("data/agents/lapatinib.yaml", "targets:", "former_ids: [Tykerb]\ntargets:",
     "former_ids[0]: string should match pattern"),
])
def test_former_ids_are_checked(project, rel, old, new, message):
    replace_in(project, rel, old, new)
    errs = errors(project)
    assert any(e.startswith(message) or message in e for e in errs), errs
    assert not any(r.old in ("NCT00000001", "nct00000001", "beta-study", "index") for r in redirects(load(project)))


def test_a_former_id_claimed_by_two_records_is_an_error(project):
    write(project, "data/trials/gamma-study.yaml", "title: Another\nrefs: [hasan2025trastuzumab]\nformer_ids: [beta-trial]\n")
    errs = errors(project)
    assert "data/trials/gamma-study.yaml:3: former_ids[0]: 'beta-trial' is already a former id of 'beta-study'" in errs
    assert redirects(load(project)) == [Redirect("trials", "beta-trial", "beta-study")]


def test_renames_between_two_states(tmp_path):
    before = tmp_path / "before"
    shutil.copytree(FIXTURE, before)
    replace_in(before, "data/trials/beta-study.yaml", "former_ids: [beta-trial]\n", "")
    shutil.move(before / "data/trials/beta-study.yaml", before / "data/trials/beta-trial.yaml")
    assert errors(before) == []
    assert renames(load(before), load(FIXTURE)) == [Redirect("trials", "beta-trial", "beta-study")]
    assert renames(load(FIXTURE), load(FIXTURE)) == []  # a redirect kept from an older rename is no news


def test_fixture_site_has_the_redirect_page(tmp_path):
    # The pages a build writes for redirects are exactly the former ids; nothing else is named after them.
    files = build_files(load(FIXTURE))
    pages = [p for p in files if not p.startswith("schemas/")]
    assert pages == ["trials/beta-trial.html"]
    assert all(re.fullmatch(r"(mechanisms|agents|trials|patents)/[A-Za-z0-9-]+\.html", p) for p in pages)


def test_the_link_check_knows_every_built_file_without_making_them():
    eb = load(FIXTURE)
    names = build_file_names(eb)
    assert any(name.startswith("schemas/") for name in names) and any(name.endswith(".html") for name in names)
    assert names == set(build_files(eb))
