"""Records that failed to load: known to exist, yet invalid, so that the check reports them once.

A record file that does not parse or does not validate is reported by the loader.
Everything that depends on it must not report it again: a link to its id is not a
"no mechanism 'x'" error, and the BibTeX keys its text names are not "not cited".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .evidence import EvidenceBase
from .findings import errors
from .kinds import LIST_KINDS, RECORD_KINDS
from .sources import MAX_YAML_BYTES, read_bytes


@dataclass
class KnownInvalid:
    """Ids (by kind) of record files with errors, and the BibTeX keys named in any data file with errors."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in RECORD_KINDS})
    keys: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)

    def has(self, kind: str, record_id: str) -> bool:
        return record_id in self.ids.get(kind, ())


def known_invalid(eb: EvidenceBase) -> KnownInvalid:
    out = KnownInvalid()
    list_files = {f"data/{kind}.yaml" for kind in LIST_KINDS}
    for f in errors(eb.loaded.findings):
        parts = PurePosixPath(f.path).parts
        if len(parts) == 3 and parts[0] == "data" and parts[1] in RECORD_KINDS and f.path.endswith(".yaml"):
            rid = parts[2][: -len(".yaml")]
            if rid not in eb.loaded.records[parts[1]]:
                out.ids[parts[1]].add(rid)
                out.paths.add(f.path)
        elif f.path in list_files:
            out.paths.add(f.path)
    if out.paths and eb.bib.references:
        texts = []
        for rel in sorted(out.paths):
            # Read as safely as the loader did: the file may be a pipe, a device or a link outside.
            data, _ = read_bytes(eb.root, eb.root / rel, MAX_YAML_BYTES)
            if data is not None:
                texts.append(data.decode("utf-8", errors="replace"))
        text = "\n".join(texts)
        for key in eb.bib.references:
            if key in text and re.search(rf"(?<![\w:.+-]){re.escape(key)}(?![\w+-])", text):
                out.keys.add(key)
    return out
