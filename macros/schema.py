"""JSON Schema of the record kinds, generated from the model (vocabularies included)."""
from __future__ import annotations

from .kinds import LIST_KINDS, RECORD_KINDS


def json_schema() -> dict:
    out = {kind: model.model_json_schema(by_alias=True) for kind, model in RECORD_KINDS.items()}
    for kind, model in LIST_KINDS.items():
        out[kind] = {"type": "array", "items": model.model_json_schema(by_alias=True)}
    return out
