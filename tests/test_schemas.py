"""The JSON Schemas editors use: generated from the model, committed up to date, mapped to the
data folders, accepting every real record and rejecting the faults the check rejects."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURE, REPO, replace_in, write
from macros.checks import check
from macros.cli import main
from macros.evidence import load
from macros.yaml_values import parse_yaml
from macros.field_notes import NOTES, PROVENANCE_NOTES, note
from macros.kinds import LIST_KINDS, RECORD_KINDS
from macros.model import Provenance, Strict
from macros.schema import kind_schema, schema_file_name, schema_files, write_schemas

KINDS = [*RECORD_KINDS, *LIST_KINDS]


def validator(kind: str) -> jsonschema.protocols.Validator:
    schema = kind_schema(kind)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def data_files(root: Path) -> list[tuple[str, Path]]:
    out = []
    for kind in RECORD_KINDS:
        out += [(kind, p) for p in sorted((root / "data" / kind).glob("*.yaml"))]
    out += [(kind, root / "data" / f"{kind}.yaml") for kind in LIST_KINDS if (root / "data" / f"{kind}.yaml").exists()]
    return out


def plain(value):
    """YAML as the atlas reads it: an unquoted date is its ISO string (JSON has no dates)."""
    return json.loads(json.dumps(value, default=lambda d: d.isoformat()))


def read(path: Path):
    return plain(parse_yaml(path.read_text(encoding="utf-8")).value)


def schema_errors(kind: str, path: Path) -> list[str]:
    """Every error, with those inside an anyOf (an optional field's allowed values) spelt out."""
    out = []

    def add(e):
        out.append(f"{'/'.join(map(str, e.absolute_path))}: {e.message}")
        for sub in e.context or ():
            add(sub)

    for e in validator(kind).iter_errors(read(path)):
        add(e)
    return out


def test_committed_schema_files_match_the_model():
    committed = {p.name: p.read_bytes() for p in (REPO / "schemas").glob("*.schema.json")}
    assert committed == schema_files(), "schemas/ is out of date: run `python -m macros schema --write`"


def test_schema_write_creates_and_prunes(tmp_path, capsys):
    write(tmp_path, "schemas/gone.schema.json", "{}")
    assert main(["--root", str(tmp_path), "schema", "--write"]) == 0
    names = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert names == sorted(schema_file_name(k) for k in KINDS)
    assert "schemas/trial.schema.json" in capsys.readouterr().out


def test_editor_settings_map_every_data_folder_to_its_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    expected = {f"./schemas/{schema_file_name(k)}": f"data/{k}/*.yaml" for k in RECORD_KINDS}
    expected |= {f"./schemas/{schema_file_name(k)}": f"data/{k}.yaml" for k in LIST_KINDS}
    assert mapping == expected
    for schema in mapping:
        assert (REPO / schema).is_file(), schema


def test_every_field_has_a_note_and_the_schema_carries_it():
    models: set[type[Strict]] = set()

    def collect(model):
        if model in models:
            return
        models.add(model)
        for f in model.model_fields.values():
            from macros.loading import _inner_model
            inner = _inner_model(f.annotation)
            if inner is not None:
                collect(inner)

    for m in [*RECORD_KINDS.values(), *LIST_KINDS.values()]:
        collect(m)
    fields = {(m.__name__, f.alias or n) for m in models for n, f in m.model_fields.items()}
    assert {f for f in fields if not note(*f)} == set(), "fields without a note in macros/field_notes.py"
    assert set(PROVENANCE_NOTES) == set(Provenance.model_fields), "provenance notes and fields differ"
    assert set(NOTES) - fields == set(), "notes for fields the model does not have"
    trial = kind_schema("trials")
    assert trial["properties"]["phase"]["description"] == NOTES[("Trial", "phase")]
    assert trial["$defs"]["Outcome"]["properties"]["hr"]["description"] == NOTES[("Outcome", "hr")]


@pytest.mark.parametrize("root", [REPO, FIXTURE], ids=["data", "fixture"])
def test_schema_accepts_every_record(root):
    files = data_files(root)
    assert len(files) > (10 if root == REPO else 5)
    problems = {p.relative_to(root).as_posix(): errs for kind, p in files if (errs := schema_errors(kind, p))}
    assert problems == {}


# A sample of faults: (file, old text, new text, what the check says, what the schema says).
FAULTS = [
    ("data/agents/lapatinib.yaml", "targets:", "target:", "target: unknown field", "'target' was unexpected"),
    ("data/trials/NCT00000001.yaml", "phase: III", "phase: 3", "phase: input should be", "3 is not valid"),
    ("data/trials/NCT00000001.yaml", "phase: III", "phase: III/IV", "phase: input should be", "'III/IV' is not one of"),
    ("data/mechanisms/p95her2.yaml", "direction: resistance", "direction: resistant", "evidence[0].direction",
     "'resistant' is not one of"),
    ("data/trials/beta-study.yaml", "enrollment: 25", "enrollment: \"25\"", "enrollment:", "'25' is not valid"),
    ("data/trials/beta-study.yaml", "enrollment: 25", "enrollment: -3", "enrollment:", "-3 is not valid"),
    ("data/trials/beta-study.yaml", "refs: [hasan2025trastuzumab]\nmechanisms", "refs: []\nmechanisms",
     "outcomes[0].refs:", "should be non-empty"),
    ("data/trials/beta-study.yaml", "title: A single-arm study of trastuzumab deruxtecan\n", "",
     "title: missing required field", "'title' is a required property"),
    ("data/trials/beta-study.yaml", "title: A single-arm study of trastuzumab deruxtecan", "title: ''",
     "title:", "should be non-empty"),
    ("data/agents/lapatinib.yaml", "targets:", "former_ids: [Not A Slug]\ntargets:", "former_ids[0]",
     "does not match"),
    ("data/glossary.yaml", "- term:", "- terms:", "terms: unknown field", "'terms' was unexpected"),
]


@pytest.mark.parametrize("rel,old,new,check_says,schema_says", FAULTS, ids=[f[4][:24] for f in FAULTS])
def test_schema_rejects_what_the_check_rejects(project, rel, old, new, check_says, schema_says):
    replace_in(project, rel, old, new)
    kind = rel.split("/")[1] if rel.count("/") == 2 else Path(rel).stem
    errs = [f.format() for f in check(load(project)).errors]
    assert any(check_says in e for e in errs), errs
    found = schema_errors(kind, project / rel)
    assert any(schema_says in e for e in found), found
