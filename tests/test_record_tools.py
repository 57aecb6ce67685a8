"""`python -m macros new` and `python -m macros import-trial`: the files they write, what the
check then says, and what they refuse."""
from __future__ import annotations

import copy
import json
import socket
from pathlib import Path

import pytest

from conftest import REPO, replace_in, write
from macros.checks import check
from macros.cli import main
from macros.evidence import load
from macros.kinds import RECORD_KINDS
from macros.registry_import import comment, draft_trial, yaml_str
from macros.schema import kind_schema

STUDY = REPO / "tests" / "fixtures" / "ctgov" / "NCT99999999.json"


def errors(root: Path) -> list[str]:
    return [f.format() for f in check(load(root)).errors]


# ---- new ---------------------------------------------------------------------------------------
NEW = [("mechanism", "mechanisms", "her2-mutation"), ("agent", "agents", "pyrotinib"),
       ("trial", "trials", "NCT12345678"), ("patent", "patents", "WO2099123456")]


@pytest.mark.parametrize("singular,kind,rid", NEW)
def test_new_writes_every_field_and_the_check_lists_each_required_one(project, capsys, singular, kind, rid):
    assert main(["--root", str(project), "new", singular, rid]) == 0
    rel = f"data/{kind}/{rid}.yaml"
    assert capsys.readouterr().out.startswith(f"{rel}: fill in")
    text = (project / rel).read_text(encoding="utf-8")
    schema = kind_schema(kind)
    for name in schema["properties"]:
        written = [ln for ln in text.splitlines() if ln.startswith((f"{name}:", f"# {name}:"))]
        assert len(written) == 1, name
        assert written[0].startswith(name if name in schema["required"] else "# ")
    # Until filled in, the check reports every required field, at its own line, and nothing else.
    errs = [e for e in errors(project) if e.startswith(rel)]
    lines = text.splitlines()
    expected = {f"{rel}:{lines.index(next(ln for ln in lines if ln.startswith(f'{n}:'))) + 1}: {n}"
                for n in schema["required"]}
    assert {e.split(": ", 2)[0] + ": " + e.split(": ", 2)[1] for e in errs} == expected, errs


def test_a_filled_in_skeleton_passes_the_check(project):
    assert main(["--root", str(project), "new", "trials", "NCT12345678"]) == 0
    replace_in(project, "data/trials/NCT12345678.yaml",
               'title: ""', "title: A trial",
               "refs: []", "refs: [hasan2025trastuzumab]",
               "# phase:", "phase: II  #")
    assert errors(project) == []
    assert load(project).trials["NCT12345678"].phase == "II"


@pytest.mark.parametrize("args,message", [
    (["trial", "NCT00000001"], "data/trials/NCT00000001.yaml already exists"),
    (["trial", "nct00000001"], "data/trials/NCT00000001.yaml already exists"),  # same file on some disks
    (["agent", "Lapatinib-2"], "is not a valid agent id"),
    (["mechanism", "../outside"], "is not a valid mechanism id"),
    (["patent", "XX123"], "is not a valid patent id"),
    (["glossary", "her2"], "items are added to data/glossary.yaml"),
    (["drug", "x"], "unknown kind 'drug'"),
])
def test_new_refuses(project, capsys, args, message):
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    assert main(["--root", str(project), "new", *args]) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_new_refuses_a_former_id(project, capsys):
    replace_in(project, "data/agents/lapatinib.yaml", "targets:", "former_ids: [tykerb]\ntargets:")
    assert main(["--root", str(project), "new", "agent", "tykerb"]) == 1
    assert "'tykerb' is a former id of data/agents/lapatinib.yaml" in capsys.readouterr().err


# ---- import-trial -----------------------------------------------------------------------------
def study() -> dict:
    return json.loads(STUDY.read_text(encoding="utf-8"))


def test_import_trial_drafts_what_the_registry_states(project, capsys, monkeypatch):
    def no_network(*a, **k):
        raise AssertionError("import-trial opened a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert main(["--root", str(project), "import-trial", str(STUDY)]) == 0
    assert capsys.readouterr().out.startswith("data/trials/NCT99999999.yaml: complete the TODOs")
    text = (project / "data/trials/NCT99999999.yaml").read_text(encoding="utf-8")
    # The draft fails the check until its sources are added, and only for that.
    assert errors(project) == ["data/trials/NCT99999999.yaml:26: refs: list should have at least 1 item after "
                               "validation, not 0"]
    replace_in(project, "data/trials/NCT99999999.yaml", "refs: []", "refs: [hasan2025trastuzumab]")
    assert errors(project) == []
    t = load(project).trials["NCT99999999"]
    assert t.acronym == "EXAMPLE-1"
    assert t.title == "Example Study of Trastuzumab Deruxtecan Versus Lapatinib Plus Capecitabine"
    assert (t.phase, t.status, t.enrollment) == ("II/III", "active", 240)
    assert t.conditions == ["HER2-positive Breast Cancer", "Metastatic Breast Cancer"]
    assert [(a.label, a.role, a.agents) for a in t.arms] == [
        ("T-DXd", "experimental", ["trastuzumab-deruxtecan"]),   # matched through an other name
        ("Lapatinib + capecitabine", "comparator", ["lapatinib"]),
        ("Observation", None, []),                               # no intervention: role left to the editor
    ]
    assert (t.setting, t.mechanisms, t.outcomes, t.summary) == (None, [], [], None)  # not in the registry
    assert '# TODO agent: no agent is named "Capecitabine"' in text
    assert "# role: TODO (the registry's arm type is NO_INTERVENTION)" in text
    assert '# TODO: intervention "Quality-of-life questionnaire" is in no arm' in text
    assert "# official title: A Made-up Randomized Phase 2/3 Study" in text
    assert "enrollment: 240  # registry, estimated" in text


@pytest.mark.parametrize("phases,phase", [
    (["EARLY_PHASE1"], "0"), (["PHASE1"], "I"), (["PHASE2", "PHASE1"], "I/II"), (["PHASE2"], "II"),
    (["PHASE3"], "III"), (["PHASE4"], "IV"), (["NA"], None), ([], None),
])
def test_registry_phases_map_to_the_atlas_vocabulary(phases, phase):
    s = study()
    s["protocolSection"]["designModule"]["phases"] = phases
    _, text = draft_trial(s, {})
    lines = [ln for ln in text.splitlines() if ln.startswith("phase:")]
    assert lines == ([f"phase: {yaml_str(phase)}"] if phase else [])
    if phases == ["NA"]:
        assert "# TODO: phase: the registry says NA, which has no atlas phase" in text


@pytest.mark.parametrize("status,mapped", [
    ("RECRUITING", "recruiting"), ("ACTIVE_NOT_RECRUITING", "active"), ("COMPLETED", "completed"),
    ("TERMINATED", "terminated"), ("UNKNOWN", "unknown"), ("NOT_YET_RECRUITING", None), ("WITHDRAWN", None),
])
def test_registry_status_maps_or_is_left_to_the_editor(status, mapped):
    s = study()
    s["protocolSection"]["statusModule"]["overallStatus"] = status
    _, text = draft_trial(s, {})
    assert [ln for ln in text.splitlines() if ln.startswith("status:")] == ([f"status: {mapped}"] if mapped else [])
    if not mapped:
        assert f"# TODO: status: the registry says {status}" in text


def test_registry_text_cannot_inject_yaml(project):
    s = study()
    ident = s["protocolSection"]["identificationModule"]
    ident["briefTitle"] = 'Evil: title\nrefs: [injected] # "quoted" \u2028 \x00 \\ end'
    ident["officialTitle"] = "Official\nmechanisms: [injected]"
    ident["acronym"] = "yes"
    inter = s["protocolSection"]["armsInterventionsModule"]["interventions"][2]
    inter["name"] = "Cape\nrefs: [injected]"
    s["protocolSection"]["armsInterventionsModule"]["armGroups"][1]["interventionNames"][1] = "Drug: Cape\nrefs: [injected]"
    s["protocolSection"]["conditionsModule"]["conditions"] = ["- not a list item", "{curly}", "0"]
    write(project, "study.json", json.dumps(s))
    assert main(["--root", str(project), "import-trial", str(project / "study.json")]) == 0
    text = (project / "data/trials/NCT99999999.yaml").read_text(encoding="utf-8")
    replace_in(project, "data/trials/NCT99999999.yaml", "refs: []", "refs: [hasan2025trastuzumab]")
    eb = load(project)
    assert [f.format() for f in eb.loaded.findings] == []
    t = eb.trials["NCT99999999"]
    # One line, control characters and line breaks turned into spaces, the rest kept as written.
    assert t.title == 'Evil: title refs: [injected] # "quoted" \\ end'
    assert t.title == comment(ident["briefTitle"])
    assert t.acronym == "yes"
    assert t.conditions == ["- not a list item", "{curly}", "0"]
    assert t.refs == ["hasan2025trastuzumab"] and t.mechanisms == []
    assert "injected" not in " ".join(ln for ln in text.splitlines() if not ln.lstrip().startswith(("#", "title:")))


@pytest.mark.parametrize("change,message", [
    (lambda s: s["protocolSection"]["identificationModule"].update(nctId="../../escape"), "not an NCT id"),
    (lambda s: s["protocolSection"]["identificationModule"].pop("nctId"), "not an NCT id"),
    (lambda s: s.pop("protocolSection"), "no protocolSection"),
    (lambda s: s.update(studies=[copy.deepcopy(s), copy.deepcopy(s)]) or s.pop("protocolSection"), "holds 2 studies"),
])
def test_import_trial_refuses_what_it_cannot_read(project, capsys, change, message):
    s = study()
    change(s)
    write(project, "study.json", json.dumps(s))
    assert main(["--root", str(project), "import-trial", str(project / "study.json")]) == 1
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (project / "data/trials").iterdir()) == ["NCT00000001.yaml", "beta-study.yaml"]


def test_import_trial_reads_a_search_result_with_one_study_and_never_overwrites(project, capsys):
    write(project, "search.json", json.dumps({"studies": [study()]}))
    assert main(["--root", str(project), "import-trial", str(project / "search.json")]) == 0
    first = (project / "data/trials/NCT99999999.yaml").read_bytes()
    assert main(["--root", str(project), "import-trial", str(STUDY)]) == 1
    assert "data/trials/NCT99999999.yaml already exists" in capsys.readouterr().err
    assert (project / "data/trials/NCT99999999.yaml").read_bytes() == first
    write(project, "broken.json", "{not json")
    assert main(["--root", str(project), "import-trial", str(project / "broken.json")]) == 1
    assert "not a readable JSON file" in capsys.readouterr().err


def test_every_record_kind_has_a_new_command():
    assert {k for _, k, _ in NEW} == set(RECORD_KINDS)
