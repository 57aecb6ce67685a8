"""Reading ``data/`` into model objects, keeping the line of every key.

ruamel.yaml keeps line numbers; pydantic validates the shape. Every record is
either loaded or reported as a Finding, never dropped silently.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from .findings import Finding, field_path
from .kinds import KIND_SINGULAR, LIST_KINDS, RECORD_KINDS, id_problem
from .model import Strict


@dataclass
class Located:
    """Where a record (or list item) came from, with a way to find the line of any field."""

    path: str
    node: Any  # the ruamel node; mappings and sequences carry line numbers
    base_loc: tuple = ()

    def line(self, loc: tuple = ()) -> int:
        return line_of(self.node, loc)


def line_of(node: Any, loc: tuple) -> int:
    """1-based line of the key or item at ``loc``; a missing key points at its parent mapping."""
    line = node.lc.line if hasattr(node, "lc") else 0
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0]
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0]
            node = node[part]
        else:
            break
    return line + 1


def plain(node: Any) -> Any:
    """ruamel's commented types -> plain Python (pydantic's strict mode wants exact types)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, (dt.date, dt.datetime)):
        # An unquoted 2021-08-27 is a YAML date; the model keeps ISO strings.
        return node.isoformat()
    return str(node)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.allow_duplicate_keys = False
    return y


def read_yaml(path: Path, rel: str) -> tuple[Any, list[Finding]]:
    """Parse one YAML file; problems come back as findings, never as exceptions."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Finding(rel, line, "file", "not valid UTF-8")]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, [Finding(rel, 1, "file", "empty file")]
    try:
        return _yaml().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(str(exc.problem or exc.context or "").split())
        return None, [Finding(rel, line, "file", f"YAML does not parse: {problem}")]
    except Exception as exc:  # ruamel raises a few non-marked errors (e.g. duplicate keys)
        return None, [Finding(rel, 1, "file", f"YAML does not parse: {' '.join(str(exc).split())}")]


_MESSAGES = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field",
}


def validation_findings(exc: ValidationError, model: type[Strict], located: Located) -> list[Finding]:
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        # Union members add their type name to loc ("str", "list[str]"); drop those.
        loc = tuple(p for p in loc if isinstance(p, int) or not _is_type_tag(p))
        kind = err["type"]
        if kind == "missing":
            line = located.line(loc[:-1])
        else:
            line = located.line(loc)
        msg = _MESSAGES.get(kind) or err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            if allowed:
                msg += f" (allowed: {', '.join(allowed)})"
        name = field_path(located.base_loc + loc) or "record"
        out.append(Finding(located.path, line, name, msg[0].lower() + msg[1:]))
    # A union failure reports once per member; keep one line per field and message.
    return sorted(set(out))


def _is_type_tag(part: object) -> bool:
    s = str(part)
    return s in {"str", "int", "float", "bool", "none"} or "[" in s or s.startswith(("constrained-", "function-"))


def _allowed_fields(model: type[Strict], loc: tuple) -> list[str]:
    """The field names allowed at ``loc`` inside ``model`` (for 'unknown field' hints)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fld = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if fld is None:
            return []
        current = _inner_model(fld.annotation)
        if current is None:
            return []
    return sorted(f.alias or n for n, f in current.model_fields.items())


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


@dataclass
class Loaded:
    """Everything read from data/: records by kind and id, list kinds, where each came from."""

    records: dict[str, dict[str, Strict]] = field(default_factory=lambda: {k: {} for k in RECORD_KINDS})
    lists: dict[str, list[Strict]] = field(default_factory=lambda: {k: [] for k in LIST_KINDS})
    where: dict[tuple[str, str], Located] = field(default_factory=dict)
    list_where: dict[str, list[Located]] = field(default_factory=lambda: {k: [] for k in LIST_KINDS})
    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0


def load_data(root: Path) -> Loaded:
    data = root / "data"
    out = Loaded()
    seen_ci: dict[tuple[str, str], str] = {}
    for kind, model in RECORD_KINDS.items():
        folder = data / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            rel = path.relative_to(root).as_posix()
            if path.is_dir() or path.name.startswith("."):
                continue
            out.files_checked += 1
            if path.suffix != ".yaml":
                out.findings.append(Finding(rel, 1, "file", "record files end in .yaml"))
                continue
            rid = path.stem
            problem = id_problem(kind, rid)
            if problem:
                out.findings.append(Finding(rel, 1, "id", f"{rid!r}: {problem}"))
                continue
            other = seen_ci.get((kind, rid.lower()))
            if other:
                out.findings.append(Finding(rel, 1, "id", f"{rid!r} differs from {other!r} only in case"))
                continue
            seen_ci[(kind, rid.lower())] = rid
            node, problems = read_yaml(path, rel)
            out.findings += problems
            if problems:
                continue
            if not isinstance(node, CommentedMap):
                out.findings.append(Finding(rel, 1, "file", f"a {KIND_SINGULAR[kind]} file holds a mapping of fields, not {_shape(node)}"))
                continue
            located = Located(rel, node)
            record = _validated(model, located, out.findings)
            if record is not None:
                out.records[kind][rid] = record
                out.where[(kind, rid)] = located
    for kind, model in LIST_KINDS.items():
        path = data / f"{kind}.yaml"
        if not path.exists():
            continue
        rel = path.relative_to(root).as_posix()
        out.files_checked += 1
        node, problems = read_yaml(path, rel)
        out.findings += problems
        if problems:
            continue
        if not isinstance(node, CommentedSeq):
            out.findings.append(Finding(rel, 1, "file", f"{kind}.yaml holds a list of items, not {_shape(node)}"))
            continue
        for i, item in enumerate(node):
            located = Located(rel, node, ())
            if not isinstance(item, CommentedMap):
                out.findings.append(Finding(rel, located.line((i,)), f"[{i}]", f"an item is a mapping of fields, not {_shape(item)}"))
                continue
            item_loc = Located(rel, item, (i,))
            record = _validated(model, item_loc, out.findings)
            if record is not None:
                out.lists[kind].append(record)
                out.list_where[kind].append(item_loc)
    return out


def _validated(model: type[Strict], located: Located, findings: list[Finding]) -> Strict | None:
    """The model object for a located mapping, or None with its problems added to ``findings``."""
    try:
        return model.model_validate(plain(located.node))
    except ValidationError as exc:
        findings.extend(validation_findings(exc, model, located))
        return None


def _shape(node: Any) -> str:
    if isinstance(node, list):
        return "a list"
    if isinstance(node, dict):
        return "a mapping"
    return f"a single value ({type(node).__name__})"
