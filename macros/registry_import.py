"""``python -m macros import-trial FILE.json``: a trial record drafted from a ClinicalTrials.gov
study saved as JSON (API v2: the study's ``protocolSection``).

Only what the registry states is carried over, mapped to the atlas's vocabularies: id, title,
acronym, phase, status, enrollment, conditions and arms. An intervention becomes an agent id
when its name or one of its other names is an agent's name, alias or id; the others, and every
value with no atlas equivalent, are left as ``TODO`` comments for the editor. ``refs`` is left
empty, so the draft fails the check until its sources are added. Nothing is fetched: the editor
saves the JSON from the registry (the study page's download, or
``https://clinicaltrials.gov/api/v2/studies/<NCT id>``).
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from .model import NCT_RE, Agent

# Registry phase lists -> atlas phase. "Early Phase 1" is the registry's name for phase 0.
PHASES = {
    ("EARLY_PHASE1",): "0", ("PHASE1",): "I", ("PHASE1", "PHASE2"): "I/II", ("PHASE2",): "II",
    ("PHASE2", "PHASE3"): "II/III", ("PHASE3",): "III", ("PHASE4",): "IV",
}
STATUSES = {
    "RECRUITING": "recruiting", "ENROLLING_BY_INVITATION": "recruiting", "ACTIVE_NOT_RECRUITING": "active",
    "COMPLETED": "completed", "TERMINATED": "terminated", "UNKNOWN": "unknown",
}
ARM_ROLES = {
    "EXPERIMENTAL": "experimental", "ACTIVE_COMPARATOR": "comparator", "PLACEBO_COMPARATOR": "comparator",
    "SHAM_COMPARATOR": "comparator",
}
_PLAIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.()/+'&-]*[A-Za-z0-9.)]$|^[A-Za-z]$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


class ImportError_(Exception):
    """Why a file cannot be imported (shown to the user as is)."""


# ---- YAML output -----------------------------------------------------------------------------
def yaml_str(value: str) -> str:
    """A string as a YAML scalar that reads back as exactly that string, on one line."""
    if _PLAIN_RE.match(value) and ": " not in value and " #" not in value and value.lower() not in _YAML_WORDS:
        return value
    out = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    # Characters YAML does not allow raw (or that break lines) are written as escapes.
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" if ord(c) < 0x10000
                   else f"\\U{ord(c):08x}" for c in out)


def comment(text: str) -> str:
    """Registry text inside a comment: one line, nothing that could end the comment."""
    return " ".join("".join(c if c.isprintable() else " " for c in str(text)).split())


# ---- reading the study --------------------------------------------------------------------
def _get(node: Any, *path: str, kind: type = object) -> Any:
    """``node[path…]`` when every step is a mapping and the value is a ``kind`` (a bool is no int)."""
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if not isinstance(node, kind) or (isinstance(node, bool) and kind is not bool and kind is not object):
        return None
    # Registry text goes into one-line fields, which hold no line breaks or control characters.
    return comment(node) if isinstance(node, str) else node


def _texts(value: Any) -> list[str]:
    return [comment(v) for v in value if isinstance(v, str) and comment(v)] if isinstance(value, list) else []


def read_study(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportError_(f"{path}: not a readable JSON file ({exc})") from None
    if isinstance(data, dict) and "studies" in data and "protocolSection" not in data:
        studies = data["studies"] if isinstance(data["studies"], list) else []
        if len(studies) != 1:
            raise ImportError_(f"{path}: holds {len(studies)} studies; save one study at a time")
        data = studies[0]
    if not isinstance(data, dict) or not isinstance(data.get("protocolSection"), dict):
        raise ImportError_(f"{path}: no protocolSection: not a ClinicalTrials.gov API v2 study")
    return data


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().replace("®", "").replace("™", "").split())


def agent_index(agents: dict[str, Agent]) -> dict[str, str]:
    """Lower-cased name, alias and id -> agent id (a name shared by two agents matches neither)."""
    index: dict[str, set[str]] = {}
    for aid, a in agents.items():
        for name in [aid, a.name, *a.aliases]:
            index.setdefault(_key(name), set()).add(aid)
    return {k: next(iter(v)) for k, v in index.items() if len(v) == 1}


def match_agent(names: list[str], index: dict[str, str]) -> str | None:
    for name in names:
        found = index.get(_key(name))
        if found:
            return found
    return None


# ---- the draft ---------------------------------------------------------------------------------
def draft_trial(study: dict, agents: dict[str, Agent]) -> tuple[str, str]:
    """(NCT id, YAML text of the draft record)."""
    ps = study["protocolSection"]
    nct = _get(ps, "identificationModule", "nctId", kind=str)
    if not nct or not NCT_RE.match(nct):
        raise ImportError_(f"identificationModule.nctId is {nct!r}, not an NCT id (NCT and 8 digits)")
    lines = [f"# Drafted from the ClinicalTrials.gov record {nct} by `python -m macros import-trial`.",
             "# Complete it from the sources: every TODO below, refs, and what the registry does not hold",
             "# (setting, mechanisms, outcomes with their sources, a summary in your own words).",
             "# `python -m macros check` reports what is still missing. Never guess a value.", ""]
    todo: list[str] = []

    ident = ps.get("identificationModule") or {}
    acronym = _get(ident, "acronym", kind=str)
    if acronym and acronym.strip():
        lines.append(f"acronym: {yaml_str(acronym.strip())}")
    brief, official = _get(ident, "briefTitle", kind=str), _get(ident, "officialTitle", kind=str)
    title = (brief or official or "").strip()
    if title:
        lines.append(f"title: {yaml_str(title)}")
        if official and official.strip() and official.strip() != title:
            lines.append(f"# official title: {comment(official)}")
    else:
        lines.append('title: ""  # TODO: the registry record has no title')

    phases = tuple(sorted(_texts(_get(ps, "designModule", "phases", kind=list))))
    if phases in PHASES:
        lines.append(f"phase: {yaml_str(PHASES[phases])}")
    elif phases:
        todo.append(f"phase: the registry says {comment(', '.join(phases))}, which has no atlas phase; "
                    "set it only if a source states one")

    status = _get(ps, "statusModule", "overallStatus", kind=str)
    if status in STATUSES:
        lines.append(f"status: {STATUSES[status]}")
    elif status:
        todo.append(f"status: the registry says {comment(status)}, which has no atlas status")

    count = _get(ps, "designModule", "enrollmentInfo", "count", kind=int)
    if count is not None and count >= 0:
        kind_ = _get(ps, "designModule", "enrollmentInfo", "type", kind=str)
        note = f"  # registry, {comment(kind_).lower()}" if kind_ else "  # registry"
        lines.append(f"enrollment: {count}{note}; check it against the primary source")

    conditions = _texts(_get(ps, "conditionsModule", "conditions", kind=list))
    if conditions:
        lines.append("conditions:")
        lines += [f"  - {yaml_str(c)}" for c in conditions]

    lines += _arms(ps.get("armsInterventionsModule"), agents, todo)
    lines.append("# mechanisms: []  # TODO: ids of the resistance mechanisms the study addresses")
    lines.append("refs: []  # TODO: BibTeX keys of the sources (entries of references.bib)")
    if todo:
        lines.append("")
        lines += [f"# TODO: {t}" for t in todo]
    return nct, "\n".join(lines) + "\n"


def _arms(module: Any, agents: dict[str, Agent], todo: list[str]) -> list[str]:
    groups = _get(module, "armGroups", kind=list) or []
    interventions = [i for i in _get(module, "interventions", kind=list) or [] if isinstance(i, dict)]
    index = agent_index(agents)
    by_name: dict[str, dict] = {}
    for i in interventions:
        name = _get(i, "name", kind=str)
        if name:
            by_name[_key(name)] = i
            itype = _get(i, "type", kind=str)
            if itype:  # armGroups name interventions as "Drug: Trastuzumab"
                by_name[_key(f"{itype.replace('_', ' ')}: {name}")] = i
    used: set[int] = set()
    out, seen = [], set()
    for g in groups:
        label = (_get(g, "label", kind=str) or "").strip()
        if not label or label in seen:
            continue
        seen.add(label)
        out.append(f"  - label: {yaml_str(label)}")
        gtype = _get(g, "type", kind=str)
        if gtype in ARM_ROLES:
            out.append(f"    role: {ARM_ROLES[gtype]}")
        elif gtype:
            out.append(f"    # role: TODO (the registry's arm type is {comment(gtype)})")
        ids, missing = [], []
        for ref in _texts(_get(g, "interventionNames", kind=list)):
            inter = by_name.get(_key(ref))
            names = [ref.split(": ", 1)[-1]]
            if inter:
                used.add(id(inter))
                names = [_get(inter, "name", kind=str) or names[0], *_texts(inter.get("otherNames"))]
            aid = match_agent(names, index)
            if aid is None:
                missing.append(names[0])
            elif aid not in ids:
                ids.append(aid)
        if ids:
            out.append(f"    agents: [{', '.join(ids)}]")
        for name in missing:
            out.append(f"    # TODO agent: no agent is named {json.dumps(comment(name), ensure_ascii=False)}; "
                       "add data/agents/<id>.yaml or use an existing id")
    if out:
        out.insert(0, "arms:")
    for inter in interventions:
        name = _get(inter, "name", kind=str)
        if name and id(inter) not in used:
            aid = match_agent([name, *_texts(inter.get("otherNames"))], index)
            shown = json.dumps(comment(name), ensure_ascii=False)
            todo.append(f"intervention {shown} is in no arm" + (f" (agent {aid})" if aid else ", and no agent is named so"))
    return out


def import_trial(root: Path, source: Path) -> Path:
    """Write ``data/trials/<NCT id>.yaml`` drafted from ``source``; refuse to overwrite a record."""
    from .evidence import load

    study = read_study(source)
    eb = load(Path(root))
    nct, text = draft_trial(study, eb.agents)
    folder = Path(root) / "data" / "trials"
    existing = {p.stem.lower() for p in folder.glob("*.yaml")} if folder.is_dir() else set()
    if nct.lower() in existing:
        raise ImportError_(f"data/trials/{nct}.yaml already exists: edit it instead")
    for tid, t in eb.trials.items():
        if nct in t.former_ids:
            raise ImportError_(f"{nct} is a former id of data/trials/{tid}.yaml: edit that record instead")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{nct}.yaml"
    with path.open("x", encoding="utf-8") as f:
        f.write(text)
    return path
