"""The exact-match search lookup: normalising, what is indexed, how ties are ranked, and a script
that record text cannot break out of."""
from __future__ import annotations

import json
import re

import pytest

from conftest import replace_in, write
from macros.evidence import load
from macros.exact_search import index_data, index_script, lookup, normalise
from macros.json_script import json_for_script
from macros.site import asset_files


@pytest.mark.parametrize("typed", ["T-DM1", "t-dm1", "TDM1", "T DM1", " t–dm1 ", "Ｔ-ＤＭ１"])
def test_case_hyphens_spaces_and_width_do_not_matter(typed):
    assert normalise(typed) == "tdm1"


def test_letters_and_digits_of_any_script_are_kept():
    assert normalise("TNF-α") == "tnfα"
    assert normalise("DSF/Cu") == "dsfcu"
    assert normalise("---") == ""


def test_every_name_alias_acronym_registry_id_and_patent_number_is_a_key(project):
    eb = load(project)
    table = lookup(eb)
    expected = set()
    for aid, a in eb.agents.items():
        expected.add(("agents", aid, "name", a.name))
        expected |= {("agents", aid, "alias", al) for al in a.aliases}
    for mid, m in eb.mechanisms.items():
        expected.add(("mechanisms", mid, "title", m.title))
    for tid, t in eb.trials.items():
        expected.add(("trials", tid, "title", t.title))
        if t.acronym:
            expected.add(("trials", tid, "acronym", t.acronym))
        if tid.startswith("NCT"):
            expected.add(("trials", tid, "registry id", tid))
    for pid, p in eb.patents.items():
        expected |= {("patents", pid, "patent number", pid), ("patents", pid, "title", p.title)}
    missing = [x for x in expected if (x[0], x[1]) not in {(t.kind, t.record_id) for t in table.get(normalise(x[3]), [])}]
    assert not missing
    assert len(expected) >= 12
    assert ("agents", "trastuzumab", "alias", "Herceptin") in expected
    assert table["herceptin"][0].record_id == "trastuzumab"
    assert table["ds8201"][0].record_id == "trastuzumab-deruxtecan"
    # A slug-named trial is not findable by its slug (not a registry id).
    assert "betastudy" not in table


def test_ties_rank_identifier_then_name_then_alias_then_kind_then_id(project):
    # Two agents share an alias; a mechanism is titled like an agent's alias; a trial's acronym is an agent name.
    write(project, "data/agents/zeta-agent.yaml", "name: Zeta agent\naliases: [Shared-1, Lapatinib-X]\nclass: other\n")
    write(project, "data/agents/alpha-agent.yaml", "name: Alpha agent\naliases: [SHARED 1]\nclass: other\n")
    write(project, "data/mechanisms/lapatinib-x.yaml",
          "title: Lapatinib X\ncategory: other\nsummary: A test mechanism [@scaltriti2007expression].\n")
    replace_in(project, "data/trials/NCT00000001.yaml", "acronym: ALPHA", "acronym: Lapatinib")
    table = lookup(load(project))
    # Same field (alias), same kind: by id.
    assert [(t.record_id, t.field) for t in table["shared1"]] == [("alpha-agent", "alias"), ("zeta-agent", "alias")]
    # A title (name rank) beats an alias.
    assert [(t.kind, t.field) for t in table["lapatinibx"]] == [("mechanisms", "title"), ("agents", "alias")]
    # Same rank (agent name, trial acronym): mechanism, agent, trial, patent order.
    assert [(t.kind, t.field) for t in table["lapatinib"]] == [("agents", "name"), ("trials", "acronym")]


def test_one_entry_per_record_with_its_best_field(project):
    write(project, "data/agents/go-203.yaml", "name: GO-203\naliases: [GO203]\nclass: other\n")
    assert [(t.record_id, t.field) for t in lookup(load(project))["go203"]] == [("go-203", "name")]


# Names and aliases are one-line fields: the check refuses U+2028/U+2029 there (see test_hostile);
# the script's own escaping of them is tested below on the JSON writer it uses.
HOSTILE = "</script><script>alert(1)</script><!-- & -->"


def test_script_keeps_hostile_text_inside_its_string(project):
    write(project, "data/agents/evil-agent.yaml", f"name: {json.dumps(HOSTILE)}\naliases: [{json.dumps(HOSTILE + 'x')}]\nclass: other\n")
    eb = load(project)
    script = index_script(eb)
    text = script.decode("utf-8")
    for bad in ("</script", "<!--", "\u2028", "\u2029", "<", ">"):
        assert bad not in text
    prefix = "window.atlasExactSearch = "
    assert text.startswith(prefix) and text.endswith(";\n")
    data = json.loads(text[len(prefix):-2])
    assert data == index_data(eb)
    labels = [r[1] for r in data["records"]]
    assert HOSTILE in labels
    assert asset_files(eb) == {"search/exact-index.js": script}
    assert json_for_script(["\u2028\u2029</script>"]) == '["\\u2028\\u2029\\u003c/script\\u003e"]'


def test_records_point_at_their_pages(project):
    data = index_data(load(project))
    for url, label, kind in data["records"]:
        assert re.fullmatch(rf"{kind}/[A-Za-z0-9-]+\.html", url), url
    for key, hits in data["keys"].items():
        assert key == normalise(key) and hits
        for position, field, text in hits:
            assert normalise(text) == key
