"""JSON Schema of the record kinds, generated from the model (vocabularies included).

``json_schema()`` is every kind in one document (``python -m macros schema``). For editors,
``schema_files()`` is one file per kind (``trial.schema.json``…), with each field's note from
``field_notes`` as its description: ``python -m macros schema --write`` keeps them in
``schemas/`` (mapped to the data folders by ``.vscode/settings.json``), and the build
publishes the same files under ``schemas/`` in the site.
"""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from .field_notes import KIND_NOTES, note
from .kinds import KIND_SINGULAR, LIST_KINDS, RECORD_KINDS

SCHEMA_DIR = "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema() -> dict:
    out = {kind: model.model_json_schema(by_alias=True) for kind, model in RECORD_KINDS.items()}
    for kind, model in LIST_KINDS.items():
        out[kind] = {"type": "array", "items": model.model_json_schema(by_alias=True)}
    return out


def schema_file_name(kind: str) -> str:
    """``trials`` -> ``trial.schema.json``; ``glossary`` -> ``glossary.schema.json``."""
    return f"{KIND_SINGULAR.get(kind, kind)}.schema.json"


def _describe(schema: dict) -> dict:
    """Add each field's note as its description (top level and every nested model)."""
    for model in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in model.get("properties", {}).items():
            text = note(model["title"], name)
            if text:
                prop["description"] = text
    return schema


def kind_schema(kind: str) -> dict:
    """The JSON Schema of one data file of ``kind``: a record, or for glossary/timeline a list of items."""
    return copy.deepcopy(_kind_schema(kind))


@lru_cache(maxsize=None)
def _kind_schema(kind: str) -> dict:
    # Derived from the model alone, which a process does not change; pydantic's JSON Schema
    # generation is slow enough to matter to a build, which asks for each kind twice (the data
    # reference page and the published schema files).
    if kind in RECORD_KINDS:
        body = _describe(RECORD_KINDS[kind].model_json_schema(by_alias=True))
        where = f"data/{kind}/<id>.yaml"
    else:
        item = _describe(LIST_KINDS[kind].model_json_schema(by_alias=True))
        defs = item.pop("$defs", None)
        body = {"type": "array", "items": item}
        if defs:
            body["$defs"] = defs
        where = f"data/{kind}.yaml"
    return {"$schema": DIALECT, "title": f"Trastuzumab Resistance Atlas: {where}",
            "description": KIND_NOTES[kind], **body}


def schema_files() -> dict[str, bytes]:
    """``{file name: JSON}`` for every kind, serialised the same way every time."""
    return dict(_schema_files())


@lru_cache(maxsize=1)
def _schema_files() -> tuple[tuple[str, bytes], ...]:
    # Derived from the model alone, which a process does not change: made once, asked for by the
    # build and by the link check.
    return tuple((schema_file_name(kind), (json.dumps(kind_schema(kind), indent=2, sort_keys=True, ensure_ascii=False)
                                           + "\n").encode("utf-8"))
                 for kind in [*RECORD_KINDS, *LIST_KINDS])


def write_schemas(root: Path) -> list[Path]:
    """Write ``schemas/*.schema.json`` under ``root``; remove schema files of kinds that are gone."""
    folder = Path(root) / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    files = schema_files()
    for stale in folder.glob("*.schema.json"):
        if stale.name not in files:
            stale.unlink()
    written = []
    for name, data in files.items():
        path = folder / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        written.append(path)
    return written
