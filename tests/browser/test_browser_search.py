"""Material's search from file:// (through the vendored iframe-worker shim) finds records by name,
alias, NCT id and patent number; the queries are taken from the site's own data downloads."""
from __future__ import annotations

import json
import re

import pytest

from .helpers import first_nct, load_json, pick_alias_agent, search_finds


def _query(site_dir, kind: str) -> tuple[str, str]:
    if kind in ("agent name", "agent alias"):
        agents = load_json(site_dir, "agents.json")
        aid, alias = pick_alias_agent(agents)
        return (agents[aid]["name"] if kind == "agent name" else alias), f"agents/{aid}.html"
    if kind == "NCT id":
        nct = first_nct(load_json(site_dir, "trials.json"))
        return nct, f"trials/{nct}.html"
    if kind == "patent number":
        pid = sorted(load_json(site_dir, "patents.json"))[0]
        return pid, f"patents/{pid}.html"
    raise ValueError(kind)


@pytest.mark.parametrize("kind", ["agent name", "agent alias", "NCT id", "patent number"])
def test_search_finds_record(web, site_dir, kind):
    query, expected = _query(site_dir, kind)
    assert (site_dir / expected).is_file(), f"{expected} is not in the site"
    web.open("index.html")
    found, pages, meta = search_finds(web, query, expected)
    assert found, f"searching {query!r} ({kind}): {expected} not among the results ({meta}): {pages}"
    web.rec.assert_clean()


def _search_index(site_dir) -> dict:
    path = site_dir / "search" / "search_index.json"
    assert path.is_file(), f"{path} missing"
    return json.loads(path.read_text(encoding="utf-8"))


def test_every_alias_is_a_search_word_of_its_agent_page(site_dir):
    """Each alias must be its own word(s) in the agent page's search entry, not glued to the
    neighbouring text (the search index drops tags, so <dt>/<dd> need whitespace between them)."""
    index = _search_index(site_dir)
    sep = re.compile(index["config"]["separator"])
    words: dict[str, set[str]] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text = re.sub(r"<[^>]+>", " ", f"{doc['title']} {doc['text']}")
        words.setdefault(page, set()).update(w.lower() for w in sep.split(text) if w)
    missing = []
    for aid, agent in sorted(load_json(site_dir, "agents.json").items()):
        have = words.get(f"agents/{aid}.html", set())
        for alias in agent.get("aliases") or []:
            lost = [w for w in sep.split(alias) if w and w.lower() not in have]
            if lost:
                missing.append(f"agents/{aid}.html: alias {alias!r} (word(s) {lost} not in the index)")
    assert not missing, f"{len(missing)} alias(es) cannot be found by search:\n" + "\n".join(missing)
