"""``python -m macros new <kind> <id>``: a new record file with every field of its kind.

Required fields are written with an empty value (``""`` or ``[]``) that the check rejects, so
a skeleton cannot be published until it is filled in; optional fields are written as comments
to uncomment when a source gives them. Each line says what the field holds and which values
are allowed, from the same schema as the data reference page.
"""
from __future__ import annotations

from pathlib import Path

from .data_reference import type_and_values
from .field_notes import note
from .kinds import KIND_SINGULAR, RECORD_KINDS, id_problem
from .schema import kind_schema

SINGULAR_TO_KIND = {v: k for k, v in KIND_SINGULAR.items()}


class NewRecordError(Exception):
    """Why a record cannot be created (shown to the user as is)."""


def kind_of(name: str) -> str:
    """``trial`` or ``trials`` -> ``trials``."""
    if name in RECORD_KINDS:
        return name
    if name in SINGULAR_TO_KIND:
        return SINGULAR_TO_KIND[name]
    if name in ("glossary", "timeline"):
        raise NewRecordError(f"{name} items are added to data/{name}.yaml, not as files of their own")
    raise NewRecordError(f"unknown kind {name!r}: one of {', '.join(KIND_SINGULAR.values())}")


def _hint(model: dict, name: str, prop: dict, defs: dict) -> str:
    words = type_and_values(prop).replace(" (fields below)", "")
    ref = prop.get("items", {}).get("$ref") if isinstance(prop.get("items"), dict) else None
    if ref:
        sub = defs[ref.rsplit("/", 1)[1]]
        fields = [f"{n} (required)" if n in sub.get("required", []) else n for n in sub["properties"]]
        words += " — each with " + ", ".join(fields)
    text = note(model["title"], name)
    return f"{words}. {text}" if text else words


def skeleton(kind: str, record_id: str) -> str:
    """The YAML text of a new, empty record of ``kind``."""
    schema = kind_schema(kind)
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    singular = KIND_SINGULAR[kind]
    lines = [f"# New {singular} {record_id}. Fill in every empty value: until then `python -m macros check`",
             "# reports each one as an error. Uncomment the optional fields a source gives; delete the others.",
             "# Never guess a value. Fields and allowed values: the Data reference page of the site.", ""]
    for name, prop in schema["properties"].items():
        hint = _hint(schema, name, prop, defs)
        if name in required:
            empty = "[]" if prop.get("type") == "array" else '""'
            lines.append(f"{name}: {empty}  # required: {hint}")
        else:
            lines.append(f"# {name}:  # {hint}")
    return "\n".join(lines) + "\n"


def new_record(root: Path, kind_name: str, record_id: str) -> Path:
    """Write ``data/<kind>/<id>.yaml`` from the skeleton; refuse a bad id or an existing record."""
    from .evidence import load

    kind = kind_of(kind_name)
    problem = id_problem(kind, record_id)
    if problem:
        raise NewRecordError(f"{record_id!r} is not a valid {KIND_SINGULAR[kind]} id: {problem}")
    folder = Path(root) / "data" / kind
    path = folder / f"{record_id}.yaml"
    existing = {p.stem.lower(): p for p in folder.glob("*.yaml")} if folder.is_dir() else {}
    if record_id.lower() in existing:
        raise NewRecordError(f"{existing[record_id.lower()].relative_to(root).as_posix()} already exists")
    eb = load(Path(root))
    for rid, rec in eb.loaded.records[kind].items():
        if record_id.lower() in (f.lower() for f in getattr(rec, "former_ids", ())):
            raise NewRecordError(f"{record_id!r} is a former id of data/{kind}/{rid}.yaml (its old pages redirect "
                                 "there); choose another id")
    folder.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as f:
        f.write(skeleton(kind, record_id))
    return path
