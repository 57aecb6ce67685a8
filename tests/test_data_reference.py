"""The Data reference page: generated from the model, it covers every field of every kind, its
type, whether it is required and its allowed values, and shows an example that validates."""
from __future__ import annotations

import html
import json
import re

import jsonschema
import pytest

from conftest import FIXTURE, REPO
from macros.data_reference import PAGE, data_reference_page, describe_type, example_text
from macros.evidence import load
from macros.yaml_values import parse_yaml
from macros.kinds import LIST_KINDS, RECORD_KINDS
from macros.page import PageWriter
from macros.schema import kind_schema
from macros.site import build_pages

KINDS = [*RECORD_KINDS, *LIST_KINDS]


def plain(value):
    """YAML as the atlas reads it: an unquoted date is its ISO string."""
    return json.loads(json.dumps(value, default=lambda d: d.isoformat()))


@pytest.fixture(scope="module")
def real():
    return load(REPO)


def sections(page: str) -> dict[str, str]:
    """Kind -> the page's text from its ``## … {#kind-…}`` heading to the next such heading."""
    parts = re.split(r"^## .*\{#kind-([a-z]+)\}$", page, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def tables(section: str) -> dict[str, list[list[str]]]:
    """Table title (the kind, or a nested model's name) -> rows of cell texts."""
    out = {}
    for title, body in re.findall(r"(?:^### (\w+) items.*?$|^)\n*(?:<div class=\"atlas-table\">)?(<table.*?</table>)", section, flags=re.M | re.S):
        rows = re.findall(r"<tr>\n(.*?)\n</tr>", body, flags=re.S)
        out[title or "fields"] = [[html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
                                  for r in rows]
    return out


def test_the_page_is_built_with_the_site(real):
    pages = build_pages(real)
    assert PAGE in pages and pages[PAGE].startswith("---\nrender_macros: false\n")


def test_every_field_of_every_kind_is_listed_with_type_required_and_values(real):
    page = data_reference_page(PageWriter(real, PAGE))
    by_kind = sections(page)
    assert list(by_kind) == KINDS
    for kind in KINDS:
        schema = kind_schema(kind)
        model = schema if kind in RECORD_KINDS else schema["items"]
        found = tables(by_kind[kind])
        for title, m in [("fields", model), *schema.get("$defs", {}).items()]:
            rows = {r[0]: r for r in found[title]}
            assert list(rows) == list(m["properties"]), f"{kind} {title}"
            for name, prop in m["properties"].items():
                _, required, type_text, note = rows[name]
                assert required == ("required" if name in m.get("required", []) else ""), f"{kind}.{name}"
                assert note, f"{kind}.{name} has no description"
                enum = next((p["enum"] for p in [prop, *prop.get("anyOf", []), prop.get("items", {})] if "enum" in p), [])
                if enum:
                    assert type_text == "one of: " + ", ".join(enum), f"{kind}.{name}"
                else:
                    assert type_text == describe_type(prop), f"{kind}.{name}"


def test_vocabulary_and_type_in_words():
    trial = kind_schema("trials")
    assert describe_type(trial["properties"]["refs"]) == "list of BibTeX keys (at least one)"
    assert describe_type(trial["properties"]["enrollment"]) == "whole number ≥ 0"
    assert describe_type(trial["properties"]["arms"]) == "list of Arm items (fields below)"
    assert describe_type(trial["$defs"]["Outcome"]["properties"]["hr"]) == "number"
    assert describe_type(trial["$defs"]["Outcome"]["properties"]["values"]) == "mapping of name → number or text"
    assert describe_type(kind_schema("mechanisms")["properties"]["review_section"]) == "text or list of texts"


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["data", "fixture"])
def test_every_kind_has_an_example_that_validates(root):
    eb = load(root)
    for kind in KINDS:
        found = example_text(eb, kind)
        assert found is not None, kind
        where, text = found
        assert where.startswith(f"data/{kind}")
        value = plain(parse_yaml(text).value)
        schema = kind_schema(kind)
        jsonschema.validators.validator_for(schema)(schema).validate(value)
        if kind in RECORD_KINDS:
            RECORD_KINDS[kind].model_validate(value)
        else:
            assert isinstance(value, list) and len(value) == 1
            LIST_KINDS[kind].model_validate(value[0])


def test_example_is_shown_escaped(real):
    page = data_reference_page(PageWriter(real, PAGE))
    where, text = example_text(real, "trials")
    assert f'<pre class="atlas-example"><code>{html.escape(text)}</code></pre>' in page
    assert f"From <code>{html.escape(where)}</code>" in page


def test_schema_links_point_at_the_published_files(real):
    page = data_reference_page(PageWriter(real, PAGE))
    for kind in KINDS:
        name = "trial" if kind == "trials" else kind[:-1] if kind in RECORD_KINDS else kind
        assert f'<a href="../schemas/{name}.schema.json">' in page
