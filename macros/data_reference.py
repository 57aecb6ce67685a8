"""The "Data reference" page: every kind of data file, its fields, types, required fields and
allowed values, each kind with a real example from ``data/``.

Generated from the same JSON Schema as ``python -m macros schema`` (itself generated from
``macros.model``), so the page, the schema and the check cannot disagree.
"""
from __future__ import annotations

from .evidence import EvidenceBase
from .field_notes import KIND_NOTES, note
from .links import INDEX_PAGES
from .markup import escape
from .kinds import KIND_SINGULAR, LIST_KINDS, RECORD_KINDS
from .model import BIBKEY_RE
from .page import PageWriter
from .schema import SCHEMA_DIR, kind_schema, schema_file_name
from .sections import front_matter, plain_table

PAGE = INDEX_PAGES["data-reference"]

ID_RULES = {
    "mechanisms": "a lowercase slug <code>[a-z0-9][a-z0-9-]*</code>, e.g. <code>p95her2</code>",
    "agents": "a lowercase slug, e.g. <code>trastuzumab-deruxtecan</code>",
    "trials": ("the registry id, <code>NCT</code> and 8 digits (<code>NCT01808573</code>); a lowercase slug "
               "when no source gives one (<code>panacea</code>)"),
    "patents": ("the publication number as printed (<code>CN113308542</code>, <code>WO2021080983</code>); "
                "the office is read from its prefix"),
}
TITLES = {"mechanisms": "Mechanisms", "agents": "Agents", "trials": "Trials", "patents": "Patents",
          "glossary": "Glossary", "timeline": "Timeline"}


# ---- types, in words ---------------------------------------------------------------------
def describe_type(prop: dict, plural: bool = False) -> str:
    """A JSON Schema property in words: ``list of texts (at least one)``, ``whole number ≥ 0``…"""
    def word(singular: str, many: str) -> str:
        return many if plural else singular

    if "anyOf" in prop:
        parts = [describe_type(p, plural) for p in prop["anyOf"] if p.get("type") != "null"]
        if word("number", "numbers") in parts:  # an integer is a number too
            parts = [p for p in parts if not p.startswith("whole")]
        return " or ".join(dict.fromkeys(parts))
    if "$ref" in prop:
        return word(f"{prop['$ref'].rsplit('/', 1)[1]} item", f"{prop['$ref'].rsplit('/', 1)[1]} items") + \
            " (fields below)"
    kind = prop.get("type")
    if "enum" in prop:
        return word("one of", "values among")
    if kind == "string":
        if prop.get("format") == "markdown":
            return word("Markdown text", "Markdown texts") + " (may cite with [@key])"
        pattern = prop.get("pattern")
        if pattern == BIBKEY_RE.pattern:
            return word("BibTeX key", "BibTeX keys")
        if pattern and pattern.startswith("^[0-9]{4}-"):
            return word("date YYYY-MM-DD", "dates YYYY-MM-DD")
        if pattern:
            return word("id", "ids")
        return word("text", "texts")
    if kind == "integer":
        return word("whole number", "whole numbers") + (" ≥ 0" if prop.get("minimum") == 0 else "")
    if kind == "number":
        return word("number", "numbers")
    if kind == "boolean":
        return "true or false"
    if kind == "array":
        inner = describe_type(prop.get("items", {}), plural=True)
        least = " (at least one)" if prop.get("minItems") else ""
        return f"list of {inner}{least}"
    if kind == "object":
        return f"mapping of name → {describe_type(prop.get('additionalProperties', {}))}"
    return "any value"


def allowed_values(prop: dict) -> list[str]:
    for p in [prop, *prop.get("anyOf", []), prop.get("items", {})]:
        if "enum" in p:
            return [str(v) for v in p["enum"]]
    return []


def type_and_values(prop: dict, code=lambda v: v) -> str:
    """The type in words, followed by the allowed values when there is a vocabulary."""
    values = allowed_values(prop)
    words = describe_type(prop)
    return f"{words}: {', '.join(code(v) for v in values)}" if values else words


def field_rows(model: dict) -> list[list[str]]:
    required = set(model.get("required", []))
    rows = []
    for name, prop in model.get("properties", {}).items():
        rows.append([
            f"<code>{escape(name)}</code>",
            "required" if name in required else "",
            escape(describe_type(prop)) + (": " + ", ".join(f"<code>{escape(v)}</code>" for v in allowed_values(prop))
                                           if allowed_values(prop) else ""),
            escape(note(model["title"], name) or ""),
        ])
    return rows


def _fields_table(model: dict) -> str:
    table = plain_table(["Field", "Required", "Type", "What it holds"], field_rows(model),
                        cls="atlas-plain atlas-fields", row_headers=True)
    return f'<div class="atlas-table">{table}</div>'



# ---- examples ------------------------------------------------------------------------------
def _paths(value: object, prefix: str = "") -> set[str]:
    out = {prefix} if prefix else set()
    if isinstance(value, dict):
        for k, v in value.items():
            out |= _paths(v, f"{prefix}.{k}")
    elif isinstance(value, list):
        for v in value:
            out |= _paths(v, prefix + "[]")
    return out


def example_text(eb: EvidenceBase, kind: str) -> tuple[str, str] | None:
    """(file, YAML text) of a real example of ``kind``: the record (or list item) that uses the
    most distinct fields, the shortest of those, then the first id. None when there is none."""
    def fields(record) -> int:
        return len(_paths(record.model_dump(mode="json", by_alias=True, exclude_defaults=True)))

    candidates = []
    if kind in RECORD_KINDS:
        for rid, record in eb.loaded.records[kind].items():
            where = eb.loaded.where.get((kind, rid))
            if where is None:  # made in memory, not read from a file: nothing to show
                continue
            path = where.path
            text = (eb.root / path).read_text(encoding="utf-8")
            candidates.append((-fields(record), len(text), path, text))
    else:
        items = eb.loaded.list_where.get(kind, [])
        if items:
            lines = (eb.root / items[0].path).read_text(encoding="utf-8").splitlines()
            starts = [it.line() - 1 for it in items] + [len(lines)]
            for i, (it, record) in enumerate(zip(items, eb.loaded.lists[kind])):
                chunk = lines[starts[i]:starts[i + 1]]
                while chunk and (not chunk[-1].strip() or chunk[-1].lstrip().startswith("#")):
                    chunk.pop()
                text = "\n".join(chunk) + "\n"
                candidates.append((-fields(record), len(text), f"{it.path}, item {i + 1}", text))
    if not candidates:
        return None
    _, _, where, text = min(candidates)
    return where, text


# ---- the page ------------------------------------------------------------------------------
def data_reference_page(w: PageWriter) -> str:
    eb = w.eb
    kinds = [*RECORD_KINDS, *LIST_KINDS]
    out = [front_matter(), "# Data reference", "",
           "<p>Every file under <code>data/</code> is checked against the rules on this page by "
           "<code>python -m macros check</code> and by the build. The page is generated from the data model, "
           "like the JSON Schemas that editors use to flag mistakes while typing, so the three always agree.</p>",
           ""]
    files = []
    for kind in kinds:
        where = f"data/{kind}/&lt;id&gt;.yaml" if kind in RECORD_KINDS else f"data/{kind}.yaml"
        schema = f"{SCHEMA_DIR}/{schema_file_name(kind)}"
        files.append([w.link(PAGE, escape(TITLES[kind]), anchor=f"kind-{kind}"), f"<code>{where}</code>",
                      w.link(schema, escape(schema_file_name(kind)))])
    out += ["## Files", "", plain_table(["Kind", "File", "JSON Schema"], files, row_headers=True), "",
            "<p>A record's id is its file name and is never written inside the file. Text is plain; fields marked "
            "Markdown may use emphasis, lists and links (no HTML) and cite with <code>[@key]</code> or "
            "<code>[@a; @b]</code>. Every key in <code>refs</code> and every citation must be an entry of "
            "<code>references.bib</code>. A field the sources do not give is left out, never guessed.</p>", ""]
    out += ["## Checks beyond the shape", "", "<ul>",
            "<li>Every id a record names (an arm's agents, a trial's mechanisms, a strategy's agents, "
            "related mechanisms) is an existing record.</li>",
            "<li>Arm labels are unique within a trial, and outcome values are keyed by them.</li>",
            "<li>An outcome has at least one of <code>values</code>, <code>hr</code>, <code>p</code>.</li>",
            "<li>Two ids that differ only in case are an error.</li>",
            "<li>A former id is a valid id, is no live record's id and is claimed by one record only.</li>",
            "</ul>", ""]
    for kind in kinds:
        schema = kind_schema(kind)
        model = schema if kind in RECORD_KINDS else schema["items"]
        defs = schema.get("$defs", {})
        out += [f"## {TITLES[kind]} {{#kind-{kind}}}", "", f"<p>{escape(KIND_NOTES[kind])}</p>", ""]
        if kind in RECORD_KINDS:
            out += [f"<p>One file per {KIND_SINGULAR[kind]}: <code>data/{kind}/&lt;id&gt;.yaml</code>, "
                    f"where the id is {ID_RULES[kind]}. Create one with "
                    f"<code>python -m macros new {KIND_SINGULAR[kind]} &lt;id&gt;</code>.</p>", ""]
        else:
            out += [f"<p>One file, <code>data/{kind}.yaml</code>, holding a list of items with these fields.</p>", ""]
        out += [_fields_table(model), ""]
        for name, sub in defs.items():
            out += [f"### {name} items {{#kind-{kind}-{name.lower()}}}", "", _fields_table(sub), ""]
        example = example_text(eb, kind)
        if example:
            where, text = example
            out += [f"### Example {{#kind-{kind}-example}}", "",
                    f"<p>From <code>{escape(where)}</code>:</p>", "",
                    f'<pre class="atlas-example"><code>{escape(text)}</code></pre>', ""]
    return "\n".join(out)
