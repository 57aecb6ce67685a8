"""The kind declaration (macros.kinds): links, checks, ids, labels and pages all follow from it."""
from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest

from conftest import REPO, replace_in
from macros import kinds
from macros.checks import check
from macros.domain import record_label
from macros.evidence import load
from macros.kinds import KINDS, Link, UnknownKind, id_problem
from macros.links import record_page
from macros.site import build_pages


def test_a_new_link_field_is_one_line_of_declaration(project, monkeypatch):
    """Declare agents' `targets` as links to mechanisms: the reverse link, the check (with the
    closest id) and the listing on both pages appear with no other change."""
    replace_in(project, "data/agents/lapatinib.yaml", "targets: [HER2, EGFR]", "targets: [p95her2, p95her3]")
    replace_in(project, "data/agents/trastuzumab.yaml", "targets: [HER2]", "targets: [adcc-failure]")
    before = load(project)
    assert check(before).errors == []
    assert before.links.of("mechanisms", "p95her2", "agents") == ["lapatinib"]  # via strategies only
    # every declared link is shown by its pages in their own way: no page needs a generic section
    assert [page for page, md in build_pages(before).items() if "## Linked" in md] == []

    agents = KINDS["agents"]
    monkeypatch.setitem(KINDS, "agents", dataclasses.replace(agents, links=agents.links + (Link("targets", "mechanisms"),)))

    eb = load(project)
    assert eb.links.of("agents", "lapatinib", "mechanisms") == ["p95her2"]
    assert [f.format() for f in check(eb).errors] == [
        "data/agents/lapatinib.yaml:3: targets[1]: no mechanism 'p95her3' in data/mechanisms/ (did you mean 'p95her2'?)"]
    # trastuzumab gains a link to a mechanism it had none with: both pages show it
    assert eb.links.of("mechanisms", "adcc-failure", "agents") == ["trastuzumab"]
    pages = build_pages(eb)
    assert "## Linked drugs, therapies and comparators" in pages["mechanisms/adcc-failure.md"]
    assert 'href="../agents/trastuzumab.html"' in pages["mechanisms/adcc-failure.md"]
    assert "## Linked mechanisms of resistance" in pages["agents/trastuzumab.md"]
    assert 'href="../mechanisms/adcc-failure.html"' in pages["agents/trastuzumab.md"]


def test_link_paths_walk_nested_lists():
    trial = KINDS["trials"].model.model_validate({
        "title": "T", "refs": ["k"], "mechanisms": ["m1"],
        "arms": [{"label": "A", "agents": ["a1", "a2"]}, {"label": "B"}, {"label": "C", "agents": ["a3"]}]})
    assert list(Link("arms[].agents", "agents").ids(trial)) == [
        (("arms", 0, "agents", 0), "a1"), (("arms", 0, "agents", 1), "a2"), (("arms", 2, "agents", 0), "a3")]
    assert list(Link("mechanisms", "mechanisms").ids(trial)) == [(("mechanisms", 0), "m1")]
    with pytest.raises(ValueError, match="bad link path"):
        Link("arms[0].agents", "agents")


def test_self_link_is_an_error(project):
    replace_in(project, "data/mechanisms/p95her2.yaml", "related: [adcc-failure]", "related: [adcc-failure, p95her2]")
    assert [f.format() for f in check(load(project)).errors] == [
        "data/mechanisms/p95her2.yaml:21: related[1]: a mechanism cannot be linked to itself"]


def test_id_rules_labels_and_pages_come_from_the_declaration(project):
    assert id_problem("trials", "NCT01234567") is None and id_problem("trials", "beta-study") is None
    assert "registry id" in id_problem("trials", "nct-Bad!")
    assert id_problem("patents", "CN113308542") is None and "publication number" in id_problem("patents", "cn1")
    assert "lowercase slug" in id_problem("agents", "Lapatinib")
    eb = load(project)
    assert record_label(eb, "trials", "NCT00000001") == "ALPHA (NCT00000001)"
    assert record_label(eb, "agents", "lapatinib") == "Lapatinib"
    assert record_label(eb, "agents", "nobody") == "nobody"
    assert record_page("patents", "CN113308542") == "patents/CN113308542.md"
    assert {k.singular for k in KINDS.values()} == {"mechanism", "agent", "trial", "patent"}
    assert kinds.KIND_SINGULAR["trials"] == "trial"


def test_record_page_raises_proper_errors_even_when_asserts_are_off():
    code = ("import sys; sys.path.insert(0, %r)\n"
            "from macros.links import record_page\n"
            "from macros.kinds import UnknownKind\n"
            "for args in [('trial', 'x'), ('trials', '../../etc/passwd')]:\n"
            "    try:\n"
            "        record_page(*args)\n"
            "    except ValueError as e:\n"
            "        print(type(e).__name__, e)\n"
            "    else:\n"
            "        print('accepted', args)\n") % str(REPO)
    out = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "UnknownKind unknown record kind 'trial' (choose one of: mechanisms, agents, trials, patents)"
    assert lines[1].startswith("ValueError '../../etc/passwd' is not a trial id")
    with pytest.raises(UnknownKind):
        record_page("trial", "x")
