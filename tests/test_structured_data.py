"""Descriptions and schema.org JSON-LD, checked without building a site.

The JSON-LD is validated offline against a vendored subset of the schema.org vocabulary
(tests/vendor/schemaorg-30.0): every node's type exists, every property is defined for that type or
one of its supertypes, and every value fits one of the property's ranges.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
import yaml

from conftest import FIXTURE, REPO, write
from macros.descriptions import LIMIT, first_paragraph, page_description, record_description, shorten
from macros.evidence import load
from macros.json_script import json_for_script
from macros.sections import add_front_matter, front_matter
from macros.site import BUNDLE_NAME, build_pages, doc_page_meta, record_of
from macros.structured_data import dataset_data, record_data, script_text

VOCAB = json.loads((REPO / "tests/vendor/schemaorg-30.0/vocabulary-subset.json").read_text(encoding="utf-8"))
SCHEMA = "https://schema.org/"
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
EXPECTED_TYPE = {"trials": "MedicalTrial", "agents": "Drug", "mechanisms": "MedicalEntity", "patents": "CreativeWork"}


def ancestors(t: str) -> set[str]:
    out, todo = set(), [t]
    while todo:
        x = todo.pop()
        if x not in out:
            out.add(x)
            todo += VOCAB["types"].get(x, []) + VOCAB["datatypes"].get(x, [])
    return out


def value_fits(value, ranges: list[str]) -> str | None:
    """None when ``value`` fits one of ``ranges``, else why not."""
    rs = set(ranges)
    if isinstance(value, dict):
        t = value.get("@type")
        return None if t and ancestors(t) & rs else f"a {t} where {sorted(rs)} is expected"
    if isinstance(value, bool):
        return None if "Boolean" in rs else "a Boolean is not in the range"
    if isinstance(value, (int, float)):
        return None if "Number" in rs else "a number is not in the range"
    if isinstance(value, str):
        if value.startswith(SCHEMA) and value[len(SCHEMA):] in {m for t in rs for m in VOCAB["members"].get(t, [])}:
            return None
        if "Text" in rs:
            return None
        if "URL" in rs and re.match(r"^(https?://|[A-Za-z0-9._~%/-]+$)", value):
            return None
        if rs & {"Date", "DateTime"} and DATE_RE.match(value):
            return None
        return f"text {value!r} where {sorted(rs)} is expected"
    return f"unexpected value {value!r}"


def schema_problems(node: dict, where: str = "") -> list[str]:
    problems = []
    t = node.get("@type")
    if t not in VOCAB["types"]:
        return [f"{where}: unknown type {t!r}"]
    kinds = ancestors(t)
    for prop, value in node.items():
        if prop.startswith("@"):
            if prop == "@context" and value != "https://schema.org":
                problems.append(f"{where}: @context {value!r}")
            continue
        spec = VOCAB["properties"].get(prop)
        if spec is None or not kinds & set(spec["domains"]):
            problems.append(f"{where}: {t} has no property {prop!r}")
            continue
        for v in value if isinstance(value, list) else [value]:
            why = value_fits(v, spec["ranges"])
            if why:
                problems.append(f"{where}.{prop}: {why}")
            if isinstance(v, dict):
                problems += schema_problems(v, f"{where}.{prop}")
    return problems


@pytest.fixture(scope="module", params=["fixture", "real"])
def eb(request):
    return load(FIXTURE if request.param == "fixture" else REPO)


def test_validator_rejects_what_schema_org_does_not_define():
    assert schema_problems({"@type": "MedicalTrial", "phase": "III"})  # removed from schema.org after 5.0
    assert schema_problems({"@type": "Drug", "healthCondition": {"@type": "MedicalCondition", "name": "x"}})
    assert schema_problems({"@type": "MedicalTrial", "studySubject": [{"@type": "Person", "name": "x"}]})
    assert schema_problems({"@type": "MedicalTrial", "status": "https://schema.org/Finished"}) == []  # Text is in range
    assert schema_problems({"@type": "CreativeWork", "datePublished": "last year"})
    assert schema_problems({"@type": "Patent", "name": "x"})
    assert not schema_problems({"@type": "MedicalTrial", "name": "x", "healthCondition": [{"@type": "MedicalCondition", "name": "y"}]})


def test_every_record_has_valid_json_ld_of_its_kind(eb):
    problems, seen = [], set()
    for kind, records in eb.loaded.records.items():
        for rid in records:
            data = record_data(eb, kind, rid)
            assert data["@type"] == EXPECTED_TYPE[kind], f"{kind}/{rid}"
            assert data["@context"] == "https://schema.org"
            problems += schema_problems(data, f"{kind}/{rid}")
            assert json.loads(script_text(data)) == data
            seen.add(kind)
    assert seen == set(EXPECTED_TYPE)
    assert not problems, "\n".join(problems[:40])


def test_trial_json_ld_carries_id_status_conditions_and_drugs(eb):
    for tid, t in eb.trials.items():
        d = record_data(eb, "trials", tid)
        assert d["name"] == t.title
        if tid.startswith("NCT"):
            assert d["identifier"] == {"@type": "PropertyValue", "propertyID": "ClinicalTrials.gov", "value": tid}
        else:
            assert "identifier" not in d
        if t.phase:
            assert f"Phase {t.phase} " in d["disambiguatingDescription"]
        if t.status in ("recruiting", "active", "completed", "terminated"):
            assert d["status"].startswith("https://schema.org/")
            assert d["status"][len("https://schema.org/"):] in VOCAB["members"]["MedicalStudyStatus"]
        else:
            assert "status" not in d
        assert [c["name"] for c in d.get("healthCondition", [])] == list(t.conditions)
        agents = {a for arm in t.arms for a in arm.agents if a in eb.agents}
        assert {s["name"] for s in d.get("studySubject", [])} == {eb.agents[a].name for a in agents}
        assert all(s["@type"] == "Drug" for s in d.get("studySubject", []))


def test_agent_json_ld_names_aliases(eb):
    for aid, a in eb.agents.items():
        d = record_data(eb, "agents", aid)
        assert d["name"] == a.name
        assert d.get("alternateName", []) == list(a.aliases)


def test_dataset_names_the_review_and_the_licence(eb):
    d = dataset_data(eb, "index.md", "Atlas", "About it", f"{BUNDLE_NAME}.zip")
    assert not schema_problems(d, "dataset")
    assert d["license"] == "https://creativecommons.org/licenses/by/4.0/"
    review = eb.bib.get("hasan2025trastuzumab")
    assert d["isBasedOn"]["url"] == f"https://doi.org/{review.doi}"
    assert d["citation"] == d["isBasedOn"]
    assert d["isBasedOn"]["author"][0]["familyName"] == "Hasan"
    urls = [x["contentUrl"] for x in d["distribution"]]
    assert "downloads/atlas.json" in urls and f"downloads/{BUNDLE_NAME}.zip" in urls


def test_home_page_alone_gets_the_dataset_and_front_matter_json_ld_is_replaced(eb):
    home = doc_page_meta(eb, "index.md", "# Home\n\nFirst words here.\n", {}, "Atlas", "About")
    assert json.loads(home["json_ld"])["@type"] == "Dataset"
    other = doc_page_meta(eb, "overview/x.md", "# X\n\nText.\n", {"json_ld": "</script><script>alert(1)//"}, "Atlas", "About")
    assert other["json_ld"] is None and other["description"] == "Text."


# ---- descriptions -----------------------------------------------------------------------------
def test_shorten_cuts_at_a_word_boundary_within_the_limit():
    text = " ".join(["resistance"] * 40)
    short = shorten(text)
    assert len(short) <= LIMIT and short.endswith("\u2026")
    assert short[:-1] == " ".join(["resistance"] * (len(short[:-1].split())))
    assert len(short) > LIMIT - 15
    assert shorten("Short enough.") == "Short enough."
    assert shorten("x" * 400).endswith("\u2026") and len(shorten("x" * 400)) == LIMIT


def test_record_descriptions_are_plain_short_and_distinct(eb):
    seen: dict[str, str] = {}
    for kind, records in eb.loaded.records.items():
        for rid in records:
            text = record_description(eb, kind, rid)
            assert text and len(text) <= LIMIT, f"{kind}/{rid}: {text!r}"
            assert not re.search(r"\[@|<|>|\*\*|`|\]\(", text), f"{kind}/{rid}: markup left in {text!r}"
            assert " ." not in text and " ," not in text, f"{kind}/{rid}: a removed citation left a gap: {text!r}"
            assert text not in seen, f"{kind}/{rid} and {seen.get(text)} share the description {text!r}"
            seen[text] = f"{kind}/{rid}"


def test_description_comes_from_the_summary_without_citations(project):
    write(project, "data/agents/test-agent.yaml",
          "name: Test agent\nclass: other\nsummary: \"A **bold** claim [@scaltriti2007expression]. See [the paper](https://example.org) and `code`.\"\n")
    eb = load(project)
    assert record_description(eb, "agents", "test-agent") == "Test agent: A bold claim. See the paper and code."
    write(project, "data/agents/plain-agent.yaml", "name: Plain agent\naliases: [PA-1]\nclass: small-molecule\ntargets: [HER2]\n")
    text = record_description(load(project), "agents", "plain-agent")
    assert text.startswith("Plain agent (also PA-1): small molecule, targeting HER2.")


def test_first_paragraph_skips_headings_lists_tables_code_and_html():
    page = ("---\ntitle: x\n---\n# Title\n\n<div class=\"x\">\nblock\n</div>\n\n| a | b |\n| - | - |\n\n"
            "- item\n\n```\ncode\n```\n\nThe *first* real paragraph [@key], with a [link](x.md).\n\nSecond.\n")
    assert first_paragraph(page) == "The first real paragraph, with a link."
    assert first_paragraph("# Only a heading\n") == ""
    assert page_description("# T\n\nBody.\n", {"description": "Given <b>here</b>"}) == "Given <b>here</b>"


def test_generated_pages_front_matter_round_trips_through_yaml(eb):
    pages = build_pages(eb)
    descriptions = {}
    for page, markdown in pages.items():
        assert markdown.startswith("---\n")
        block = markdown[4:markdown.index("\n---\n", 3)]
        meta = yaml.safe_load(block)
        assert meta["render_macros"] is False
        assert meta["description"], f"{page} has no description"
        assert meta["description"] not in descriptions, f"{page} and {descriptions.get(meta['description'])} share a description"
        descriptions[meta["description"]] = page
        if record_of(eb, page):
            assert json.loads(meta["json_ld"])["@type"] in EXPECTED_TYPE.values()
        else:
            assert "json_ld" not in meta


HOSTILE = ("</script><script>alert(1)</script><!--<script> & \u2028\u2029 \"quoted\" 'single' \\ "
           "\n---\nkey: value\n{{ config }} {% raw %} [@evil] ]]> <![CDATA[")


def test_front_matter_keeps_hostile_text_as_one_value():
    markdown = add_front_matter(front_matter() + "# Page\n", {"description": HOSTILE, "json_ld": json_for_script({"x": HOSTILE})})
    end = markdown.index("\n---\n", 3)
    assert markdown[end + 5:] == "# Page\n"
    meta = yaml.safe_load(markdown[4:end])
    assert meta == {"render_macros": False, "description": HOSTILE, "json_ld": json_for_script({"x": HOSTILE})}
    assert markdown[:end].isascii()


class ScriptBodies(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.bodies, self.open = [], False

    def handle_starttag(self, tag, attrs):
        self.open = tag == "script"
        if self.open:
            self.bodies.append("")

    def handle_endtag(self, tag):
        self.open = False

    def handle_data(self, data):
        if self.open:
            self.bodies[-1] += data


def test_json_ld_cannot_close_its_script_element():
    data = {"@type": "Drug", "name": HOSTILE, "alternateName": [HOSTILE, "</SCRIPT >", "<!--", "]]>"]}
    text = script_text(data)
    for bad in ("<", ">", "&", "\u2028", "\u2029"):
        assert bad not in text
    assert json.loads(text) == data
    parser = ScriptBodies()
    parser.feed(f'<head><script type="application/ld+json">{text}</script><script>after()</script></head>')
    assert parser.bodies == [text, "after()"]
