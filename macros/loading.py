"""Reading ``data/`` into model objects, keeping the line of every key.

``yaml_values`` turns each file into plain values and lines; pydantic validates the shape.
Every file in ``data/`` is either a record, a list file or an expected folder, or it is
reported; every record is either loaded or reported as a Finding, never dropped silently.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .findings import Finding, field_path
from .kinds import KIND_SINGULAR, LIST_KINDS, RECORD_KINDS, id_problem
from .links import INDEX_PAGES, record_page
from .model import Strict
from .sources import MAX_YAML_BYTES, decode_utf8, kind_of, read_bytes
from .yaml_values import YamlProblem, parse_yaml


@dataclass
class Located:
    """Where a record (or list item) came from, with a way to find the line of any field."""

    path: str
    node: Any  # the plain values of the record or item
    base_loc: tuple = ()  # where the item sits in its file ((i,) for the i-th list item)
    lines: dict = field(default_factory=dict)  # (key or index, ...) -> line, for the whole file

    def line(self, loc: tuple = ()) -> int:
        """1-based line of the key or item at ``loc``; a missing key points at its parent mapping."""
        full = self.base_loc + tuple(loc)
        line = self.lines.get(self.base_loc, self.lines.get((), 1))
        for k in range(len(self.base_loc) + 1, len(full) + 1):
            found = self.lines.get(full[:k])
            if found is None:
                break
            line = found
        return line


def read_yaml(path: Path, rel: str, root: Path | None = None) -> tuple[Any, dict, list[Finding]]:
    """Parse one YAML file into (values, lines); problems come back as findings, never as exceptions."""
    data, problem = read_bytes(root or path.parent, path, MAX_YAML_BYTES)
    if problem:
        return None, {}, [Finding(rel, 1, "file", problem)]
    text, bad_line, problem = decode_utf8(data)
    if problem:
        return None, {}, [Finding(rel, bad_line, "file", problem)]
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        return None, {}, [Finding(rel, 1, "file", "empty file")]
    try:
        parsed = parse_yaml(text)
    except YamlProblem as exc:
        return None, {}, [Finding(rel, exc.line, "file", exc.message)]
    return parsed.value, parsed.lines, []


_MESSAGES = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field",
}


def validation_findings(exc: ValidationError, model: type[Strict], located: Located) -> list[Finding]:
    out = []
    errs = []
    for err in exc.errors():
        # Union members add their type name to loc ("str", "list[str]"); drop those.
        errs.append((tuple(p for p in err["loc"] if isinstance(p, int) or not _is_type_tag(p)), err))
    # A union reports once per member: where a field has a specific complaint (a value error, a
    # limit), the members' plain "should be a valid <type>" complaints add nothing.
    specific = {loc for loc, err in errs if not err["type"].endswith("_type")}
    for loc, err in errs:
        if loc in specific and err["type"].endswith("_type"):
            continue
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


EXPECTED_IN_DATA = sorted([f"{k}/" for k in RECORD_KINDS] + [f"{k}.yaml" for k in LIST_KINDS])
_GENERATED_PAGES = set(INDEX_PAGES.values())


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _unexpected(rel: str, name: str, what: str) -> Finding:
    """A file or folder in data/ that the atlas would not read: always an error, never skipped."""
    close = difflib.get_close_matches(name, [e.rstrip("/") for e in EXPECTED_IN_DATA], n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]}{'/' if close[0] in RECORD_KINDS else ''}?" if close else ""
    return Finding(rel, 1, "file", f"{what} is not read: data/ holds only {', '.join(EXPECTED_IN_DATA)}{hint}")


def load_data(root: Path) -> Loaded:
    data = root / "data"
    out = Loaded()
    if not data.is_dir():
        return out
    folders: dict[str, Path] = {}
    list_files: dict[str, Path] = {}
    for entry in _entries(data):
        path = Path(entry.path)
        rel = path.relative_to(root).as_posix()
        kind, problem = kind_of(root, path)
        name = entry.name
        if problem:
            out.findings.append(Finding(rel, 1, "file", problem))
        elif name in RECORD_KINDS and kind == "folder" and not entry.is_symlink():
            folders[name] = path
        elif name.endswith(".yaml") and name[:-5] in LIST_KINDS and kind == "file":
            list_files[name[:-5]] = path
        elif entry.is_symlink() and kind == "folder":
            out.findings.append(Finding(rel, 1, "file", "a symbolic link to a folder is not read; make it a real folder"))
        elif name in RECORD_KINDS:
            out.findings.append(Finding(rel, 1, "file", f"data/{name} must be a folder of record files, not a file"))
        elif name.endswith(".yaml") and name[:-5] in LIST_KINDS:
            out.findings.append(Finding(rel, 1, "file", "is a folder, not a file"))
        else:
            out.findings.append(_unexpected(rel, name, "a folder" if kind == "folder" else "this file"))
    seen_ci: dict[tuple[str, str], str] = {}
    for kind, model in RECORD_KINDS.items():
        folder = folders.get(kind)
        if folder is None:
            continue
        for entry in _entries(folder):
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            what, problem = kind_of(root, path)
            if problem:
                out.findings.append(Finding(rel, 1, "file", problem))
                continue
            if what == "folder":
                out.findings.append(Finding(rel, 1, "file", f"a folder inside data/{kind}/ is not read: "
                                                            f"record files sit directly in data/{kind}/"))
                continue
            out.files_checked += 1
            if path.suffix != ".yaml":
                out.findings.append(Finding(rel, 1, "file", "record files end in .yaml"))
                continue
            rid = path.stem
            problem = id_problem(kind, rid) or _id_collision(root, kind, rid)
            if problem:
                out.findings.append(Finding(rel, 1, "id", f"{rid!r}: {problem}"))
                continue
            other = seen_ci.get((kind, rid.lower()))
            if other:
                out.findings.append(Finding(rel, 1, "id", f"{rid!r} differs from {other!r} only in case"))
                continue
            seen_ci[(kind, rid.lower())] = rid
            value, lines, problems = read_yaml(path, rel, root)
            out.findings += problems
            if problems:
                continue
            if not isinstance(value, dict):
                out.findings.append(Finding(rel, 1, "file", f"a {KIND_SINGULAR[kind]} file holds a mapping of fields, not {_shape(value)}"))
                continue
            located = Located(rel, value, (), lines)
            record = _validated(model, located, out.findings)
            if record is not None:
                out.records[kind][rid] = record
                out.where[(kind, rid)] = located
    for kind, model in LIST_KINDS.items():
        path = list_files.get(kind)
        if path is None:
            continue
        rel = path.relative_to(root).as_posix()
        out.files_checked += 1
        value, lines, problems = read_yaml(path, rel, root)
        out.findings += problems
        if problems:
            continue
        if not isinstance(value, list):
            out.findings.append(Finding(rel, 1, "file", f"{kind}.yaml holds a list of items, not {_shape(value)}"))
            continue
        for i, item in enumerate(value):
            item_loc = Located(rel, item, (i,), lines)
            if not isinstance(item, dict):
                out.findings.append(Finding(rel, item_loc.line(), f"[{i}]", f"an item is a mapping of fields, not {_shape(item)}"))
                continue
            record = _validated(model, item_loc, out.findings)
            if record is not None:
                out.lists[kind].append(record)
                out.list_where[kind].append(item_loc)
    return out


def _id_collision(root: Path, kind: str, rid: str) -> str | None:
    """Why a record's page would collide with another page (an index page, a hand-written page), or None."""
    page = record_page(kind, rid)
    if page in _GENERATED_PAGES:
        return f"this id is taken by the page {page} (the list of all {kind}); choose another id"
    if (root / "docs" / page).exists():
        return f"the hand-written page docs/{page} has this record's page name; rename one of them"
    return None


def _validated(model: type[Strict], located: Located, findings: list[Finding]) -> Strict | None:
    """The model object for a located mapping, or None with its problems added to ``findings``."""
    try:
        return model.model_validate(located.node)
    except ValidationError as exc:
        findings.extend(validation_findings(exc, model, located))
        return None


def _shape(node: Any) -> str:
    if isinstance(node, list):
        return "a list"
    if isinstance(node, dict):
        return "a mapping"
    return f"a single value ({type(node).__name__})"
