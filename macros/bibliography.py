"""references.bib: parsing with bibtexparser, reporting what it could not keep, and display text.

bibtexparser keeps going past broken or duplicate entries and parks them in
``failed_blocks``; each one becomes a Finding here so that nothing is lost.
LaTeX (accents, Greek letters, en dashes, braces) is decoded with pylatexenc,
only for the fields that are shown, and cached per entry.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel

from .findings import Finding
from .model import BIBKEY_RE, control_problem
from .sources import MAX_BIBTEX_BYTES, decode_utf8, read_bytes

# What pylatexenc would change: commands, groups, ties, math, comments, alignment, and the
# ligatures -- `` '' ?` !`. Text without any of them comes out of it as it went in.
_LATEX_SYNTAX_RE = re.compile(r"[\\{}~$%&]|--|''|[`?!]`")
# LaTeX beyond groups and dashes (most page ranges and protected capitals need only those two).
_LATEX_BEYOND_BRACES_RE = re.compile(r"[\\~$%&]|''|[`?!]`")
_BRACE_RE = re.compile(r"[{}]")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_FIELD_START_RE = re.compile(r"^\s*,?\s*([A-Za-z][\w-]*)\s*=", re.M)
MAX_FIELD = 10_000  # characters in one field value (the longest real one is under 300)
_MONTHS = dict(zip("jan feb mar apr may jun jul aug sep oct nov dec".split(),
                   "January February March April May June July August September October November December".split()))
_BARE_RE = re.compile(r"[^\s#{}\"]+")
_DELIMITER_RE = re.compile(r'[{}"]')
_NEXT_FIELD_RE = re.compile(r"([A-Za-z][\w-]*)\s*=")
_NAME_RE = re.compile(r"[A-Za-z][\w:+./-]*")
URL_RE = re.compile(r"^https?://[^\s\"'<>]+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def latex_decoder():
    """pylatexenc's decoder and its table of known macros, made (and imported) on first use: the
    check decodes nothing. The parser would build the table afresh for every field unless given it."""
    from pylatexenc.latex2text import LatexNodes2Text
    from pylatexenc.latexwalker import get_default_latex_context_db

    return LatexNodes2Text(math_mode="text", strict_latex_spaces=True), get_default_latex_context_db()


@lru_cache(maxsize=1 << 17)  # names recur across entries (authors, journals): decode each once
def latex_to_text(value: str) -> str:
    """BibTeX field text -> display text. pylatexenc decodes what needs it (about 1 ms a field);
    plain text, and text with only braces and dashes, take a short path with the same result."""
    if not _LATEX_SYNTAX_RE.search(value):  # most fields: no LaTeX, nothing to decode
        return " ".join(value.split())
    if not _LATEX_BEYOND_BRACES_RE.search(value):
        # Only groups and dash ligatures: drop the braces, join dashes within each group (as pylatexenc does).
        text = "".join(part.replace("---", "\u2014").replace("--", "\u2013") for part in _BRACE_RE.split(value))
        return " ".join(text.split())
    try:
        decoder, context = latex_decoder()
        text = decoder.latex_to_text(value, latex_context=context)
    except Exception:  # pylatexenc is lenient; keep the raw value if it ever gives up
        text = value
    return " ".join(text.split())


class DecodedFields(Mapping[str, str]):
    """An entry's fields as display text, each decoded from LaTeX when first asked for: a page
    shows a few fields of many entries, and the author list is decoded name by name anyway."""

    def __init__(self, raw: dict[str, str]):
        self._raw = raw
        self._decoded: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._decoded:
            self._decoded[name] = latex_to_text(self._raw[name])
        return self._decoded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@dataclass
class Reference:
    """One BibTeX entry, with its raw fields and the display form of each."""

    key: str
    entry_type: str
    raw: dict[str, str]
    line: int  # 1-based line of the @type{key, line

    @cached_property
    def text(self) -> "DecodedFields":
        return DecodedFields({k: v for k, v in self.raw.items() if k not in ("url", "doi", "pmid")})

    @cached_property
    def authors(self) -> list[str]:
        raw = self.raw.get("author", "")
        names = [n.strip() for n in re.split(r"\s+and\s+", raw) if n.strip()]
        return [("et al." if n.lower() == "others" else latex_to_text(n)) for n in names]

    @property
    def reviewnums(self) -> list[int]:
        return [int(n) for n in re.findall(r"\d+", self.raw.get("reviewnum", ""))]

    @property
    def year(self) -> str:
        return self.text.get("year", "")

    @property
    def url(self) -> str | None:
        """A link target only when it is plainly http(s); anything else is never linked."""
        u = self.raw.get("url", "").strip()
        return u if URL_RE.match(u) else None

    @property
    def doi(self) -> str | None:
        d = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", self.raw.get("doi", "").strip(), flags=re.I)
        return d if DOI_RE.match(d) else None

    @property
    def pmid(self) -> str | None:
        p = self.raw.get("pmid", "").strip()
        return p if p.isdigit() else None

    def short(self) -> str:
        """``Slamon et al., 2001`` — for backlink lists and titles."""
        if not self.authors:
            label = self.text.get("number") or self.text.get("title") or self.key
            label = label if len(label) <= 40 else label[:40].rsplit(" ", 1)[0] + "…"
            return f"{label}, {self.year}" if self.year else label
        first = self.authors[0].split(",")[0]
        more = " et al." if len(self.authors) > 1 else ""
        return f"{first}{more}, {self.year}" if self.year else f"{first}{more}"


@dataclass
class Bibliography:
    path: str
    references: dict[str, Reference] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def get(self, key: str) -> Reference | None:
        return self.references.get(key)

    def __len__(self) -> int:
        return len(self.references)


def load_bibliography(root: Path, name: str = "references.bib") -> Bibliography:
    path = root / name
    bib = Bibliography(name)
    if not path.exists() and not path.is_symlink():
        bib.findings.append(Finding(name, 1, "file", "references.bib is missing"))
        return bib
    data, problem = read_bytes(root, path, MAX_BIBTEX_BYTES)
    if problem:
        bib.findings.append(Finding(name, 1, "file", problem))
        return bib
    text, bad_line, problem = decode_utf8(data)
    if text is None:
        bib.findings.append(Finding(name, bad_line, "file", problem or "not valid UTF-8"))
        return bib
    # Windows line ends are line ends; a lone carriage return is reported as a control character.
    text = text.replace("\r\n", "\n")
    # No middleware: values come as written, and are resolved here (@string, '#', months).
    library = bibtexparser.parse_string(text, parse_stack=[])
    strings: dict[str, str] = {}
    for block in library.strings:
        value, problem = resolve_value(str(block.value), strings)
        if problem:
            bib.findings.append(Finding(name, (block.start_line or 0) + 1, f"@string {block.key}", problem))
        else:
            strings[block.key.lower()] = value  # type: ignore[assignment]
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            first = next((e for e in library.entries if e.key == block.key), None)
            where = f" (first at line {first.start_line + 1})" if first else ""
            bib.findings.append(Finding(name, line, "key", f"duplicate entry key {block.key!r}{where}"))
        elif isinstance(block, bibmodel.DuplicateFieldKeyBlock):
            entry = block.ignore_error_block
            key = getattr(entry, "key", "?")
            bib.findings.append(Finding(name, line, f"{key}", f"entry has a field twice: {_first_line(block.error)}"))
        else:
            bib.findings.append(Finding(name, line, "entry", f"entry does not parse: {_first_line(block.error)}"))
    # Text that is neither an entry nor a comment line is usually a half-written entry.
    for block in library.blocks:
        if isinstance(block, bibmodel.ImplicitComment):
            text = block.comment
            if "@" in text or _FIELD_START_RE.search(text):
                bib.findings.append(Finding(name, (block.start_line or 0) + 1, "entry",
                                            "entry text outside any entry (an entry closed early by an extra brace?)"))
    seen_ci: dict[str, str] = {}
    by_num: dict[int, str] = {}
    for entry in library.entries:
        line = entry.start_line + 1
        key = entry.key
        if not BIBKEY_RE.match(key):
            bib.findings.append(Finding(name, line, "key", f"{key!r}: keys use letters, digits and _:.+- only"))
            continue
        if key.lower() in seen_ci:
            bib.findings.append(Finding(name, line, "key", f"{key!r} differs from {seen_ci[key.lower()]!r} only in case"))
            continue
        seen_ci[key.lower()] = key
        raw: dict[str, str] = {}
        bad: set[str] = set()
        for f in entry.fields:
            value, problem = resolve_value(str(f.value), strings)
            problem = problem or control_problem(value or "") or (
                f"too long: {len(value or '')} characters (at most {MAX_FIELD})" if len(value or "") > MAX_FIELD else None)
            if problem:
                # The entry stays (so that citing it raises no second error); the field is left out.
                bad.add(f.key.lower())
                field_line = (f.start_line + 1) if getattr(f, "start_line", None) is not None else line
                bib.findings.append(Finding(name, field_line, f"{key}.{f.key.lower()}", problem))
            else:
                raw[f.key.lower()] = value  # type: ignore[assignment]
        ref = Reference(key, entry.entry_type.lower(), raw, line)
        if "title" not in bad and not raw.get("title", "").strip() and not (
                ref.entry_type == "patent" and raw.get("number", "").strip()):
            bib.findings.append(Finding(name, line, f"{key}.title", "missing title"))
        if "reviewnum" in raw:
            if not re.fullmatch(r"\s*\d+(\s*,\s*\d+)*\s*", raw["reviewnum"]):
                bib.findings.append(Finding(name, line, f"{key}.reviewnum", "a number or a comma-separated list of numbers"))
            for n in ref.reviewnums:
                if n in by_num:
                    bib.findings.append(Finding(name, line, f"{key}.reviewnum", f"review number {n} is also on {by_num[n]!r}"))
                by_num[n] = key
        for fname in ("url", "doi"):
            if fname in raw and (ref.url if fname == "url" else ref.doi) is None:
                bib.findings.append(Finding(name, line, f"{key}.{fname}", f"not a usable {fname} (http(s) URL or bare 10.x DOI); it is shown but not linked", "warning"))
        bib.references[key] = ref
    if not library.entries and text.strip():
        bib.findings.append(Finding(name, 1, "file", "no BibTeX entry in this file (is it a BibTeX file?)"))
    return bib


def resolve_value(raw: str, strings: dict[str, str]) -> tuple[str | None, str | None]:
    """A BibTeX field value as written (``{...}``, ``"..."``, a number, an @string name, joined
    by ``#``) -> (its text, None), or (None, why it is not a value)."""
    parts: list[str] = []
    pos, n = 0, len(raw)
    while True:
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            return None, "a value is missing after '#'" if parts else "empty value"
        c = raw[pos]
        if c in "{\"":
            end = _delimited_end(raw, pos)
            if end is None:
                return None, "unbalanced braces or quotes"
            parts.append(raw[pos + 1:end - 1])
            pos = end
        else:
            m = _BARE_RE.match(raw, pos)
            if not m:
                return None, f"unexpected {c!r}"
            word = m.group(0)
            if word.isdigit():
                parts.append(word)
            elif _NAME_RE.fullmatch(word):
                if word.lower() in strings:
                    parts.append(strings[word.lower()])
                elif word.lower() in _MONTHS:
                    parts.append(_MONTHS[word.lower()])
                else:
                    return None, f"undefined @string macro {word!r} (write text in braces: {{{word}}})"
            else:
                return None, f"{word!r} is neither text in braces or quotes, a number nor an @string name"
            pos = m.end()
        while pos < n and raw[pos].isspace():
            pos += 1
        if pos >= n:
            return "".join(parts), None
        if raw[pos] != "#":
            follow = _NEXT_FIELD_RE.match(raw, pos)
            if follow:
                return None, f"a comma is missing before the field {follow.group(1)!r}, which became part of this value"
            return None, f"text after the value: {raw[pos:pos + 20]!r} (join parts with '#')"
        pos += 1


def _delimited_end(raw: str, start: int) -> int | None:
    """End offset of the ``{...}`` or ``"..."`` opening at ``start`` (braces nest; a quote ends a
    quoted value only outside braces)."""
    depth = 0
    quote = raw[start] == '"'
    for m in _DELIMITER_RE.finditer(raw, start + (1 if quote else 0)):
        c = m.group(0)
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0 and not quote:
                return m.end()
        elif quote and depth == 0:
            return m.end()
    return None


def _first_line(text: object) -> str:
    return " ".join(str(text or "").strip().splitlines()[:1]).strip() or "syntax error"
