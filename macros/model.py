"""The evidence base's data model: record kinds, their fields and vocabularies.

This module is the single home of the data contract. Vocabularies are
declared once here (as ``Literal`` types) and flow into validation, the JSON
Schema (``python -m macros schema``), the trial-table filters and the Data
reference page (``data_reference``).
"""
from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Annotated, Literal, Union, get_args

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, PlainValidator, StrictBool, StrictInt,
                      WithJsonSchema, model_validator)

MechanismCategory = Literal[
    "target-alteration", "receptor-crosstalk", "immune-evasion", "downstream-signalling",
    "cell-cycle", "alternative-receptor", "stem-cell", "microenvironment", "non-coding-rna", "other",
]
EvidenceModel = Literal["cell-line", "xenograft", "organoid", "animal", "patients", "clinical-trial", "review"]
Direction = Literal["resistance", "sensitivity", "neutral"]
AgentClass = Literal[
    "monoclonal-antibody", "antibody-drug-conjugate", "tyrosine-kinase-inhibitor", "pi3k-inhibitor",
    "akt-inhibitor", "mtor-inhibitor", "cdk-inhibitor", "checkpoint-inhibitor", "vaccine", "cell-therapy",
    "peptide-inhibitor", "small-molecule", "hormone-therapy", "chemotherapy", "placebo", "other",
]
AgentStatus = Literal["approved", "investigational", "preclinical", "withdrawn"]
# Listed in their natural order: the trial table sorts phases by this index.
Phase = Literal["0", "I", "Ib", "I/II", "Ib/II", "II", "II/III", "III", "IV"]
Setting = Literal["early", "neoadjuvant", "adjuvant", "metastatic", "advanced"]
TrialStatus = Literal["recruiting", "active", "completed", "terminated", "unknown"]
ArmRole = Literal["experimental", "comparator"]
Endpoint = Literal["PFS", "OS", "ORR", "pCR", "DFS", "EFS", "CBR", "DCR", "ILD", "other"]

PHASE_ORDER: tuple[str, ...] = get_args(Phase)

# Ids are file stems, so they must never be able to name a path outside their folder.
SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NCT_RE = re.compile(r"^NCT[0-9]{8}$")
PATENT_RE = re.compile(r"^(CN|WO|US|EP)[0-9]{5,12}[A-Z0-9]{0,2}$")
PATENT_OFFICES = {"CN": "China (CNIPA)", "WO": "WIPO (PCT)", "US": "United States (USPTO)", "EP": "Europe (EPO)"}
BIBKEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_:.+-]*$")
DATE_RE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")

# Former ids of a renamed record (each keeps its old URL working through a redirect page).
SlugIds = list[Annotated[str, Field(pattern=SLUG_RE.pattern)]]
TrialIds = list[Annotated[str, Field(pattern=f"^(?:{NCT_RE.pattern[1:-1]}|{SLUG_RE.pattern[1:-1]})$")]]
PatentIds = list[Annotated[str, Field(pattern=PATENT_RE.pattern)]]


# ---- plain text ---------------------------------------------------------------------------
# Limits a contributor reaches only by mistake; they keep every field cheap to render.
MAX_TEXT = 500            # characters in a one-line field (a title, a name, a label)
MAX_MARKDOWN = 10_000     # characters in a Markdown field (the longest real summary is ~1,500)
# C0 and C1 control characters except tab and newline (DEL included), lone surrogates (which
# no UTF-8 file can hold, and no renderer can encode) and private-use characters (no agreed
# meaning; the renderer uses two of them as its own markers).
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")
# Breaks a one-line field must not hold (newline, Unicode line and paragraph separators).
_LINE_BREAK_RE = re.compile(r"[\n\u2028\u2029]")


def _visible(text: str) -> bool:
    """True when ``text`` has a character that shows: not only spaces or zero-width characters."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me")
               for c in text)


def _char_name(c: str) -> str:
    return f"U+{ord(c):04X}"


def control_problem(text: str) -> str | None:
    """Why ``text`` holds a character that no contributor text may hold, or None."""
    m = _CONTROL_RE.search(text)
    if m:
        if "\ud800" <= m.group(0) <= "\udfff":
            return f"character {_char_name(m.group(0))} (a lone surrogate) is not allowed"
        if "\ue000" <= m.group(0) <= "\uf8ff":
            return f"private-use character {_char_name(m.group(0))} is not allowed"
        return f"control character {_char_name(m.group(0))} is not allowed (only newline and tab)"
    return None


def text_problem(text: str, one_line: bool, limit: int) -> str | None:
    """Why ``text`` is not acceptable contributor text, or None."""
    problem = control_problem(text)
    if problem:
        return problem
    if one_line:
        m = _LINE_BREAK_RE.search(text)
        if m:
            return f"line break {_char_name(m.group(0))} is not allowed in a one-line field"
    if len(text) > limit:
        return f"too long: {len(text)} characters (at most {limit})"
    if not _visible(text):
        return "empty: only spaces or invisible characters"
    return None


def _one_line(text: str) -> str:
    problem = text_problem(text, True, MAX_TEXT)
    if problem:
        raise ValueError(problem)
    return text


def _markdown(text: str) -> str:
    problem = text_problem(text, False, MAX_MARKDOWN) or markdown_problem(text)
    if problem:
        raise ValueError(problem)
    return text


# Nested lists and block quotes recurse in the Markdown renderer; many "[" make its link
# patterns slow. Both are capped far above what prose needs.
MAX_NESTING = 16
MAX_BRACKETS = 300
_NESTING_RE = re.compile(r"[ \t]*(?:(?:>|(?:[*+-]|[0-9]{1,9}[.)])(?=[ \t]|$))[ \t]*)*")


def markdown_problem(text: str) -> str | None:
    """Why a Markdown field would be too costly to render, or None."""
    brackets = text.count("[")
    if brackets > MAX_BRACKETS:
        return f"too many '[' ({brackets}; at most {MAX_BRACKETS})"
    for line in text.split("\n"):
        m = _NESTING_RE.match(line)
        if m.end() == 0:
            continue
        prefix = m.group(0).expandtabs(4)
        depth = (len(prefix) - len(prefix.lstrip(" "))) // 2 + sum(1 for c in prefix if c in ">*+-.)")
        if depth > MAX_NESTING:
            return f"nested too deep (lists or quotes more than {MAX_NESTING} levels)"
    from .citations import MAX_CITATIONS, parse_citations

    groups, problems = parse_citations(text)
    if problems:
        return problems[0]
    n = sum(len(g.items) for g in groups)
    if n > MAX_CITATIONS:
        return f"too many citations ({n}; at most {MAX_CITATIONS})"
    return None


Text = Annotated[str, AfterValidator(_one_line), Field(min_length=1, max_length=MAX_TEXT)]
Markdown = Annotated[str, AfterValidator(_markdown),
                     Field(min_length=1, max_length=MAX_MARKDOWN, json_schema_extra={"format": "markdown"})]
RefList = Annotated[list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]], Field(min_length=1)]
OptRefs = list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]]
IdList = list[Text]

# Numbers: finite, and no larger than a float holds exactly (JSON readers in browsers).
MAX_INT = 2**53 - 1
Count = Annotated[StrictInt, Field(ge=0, le=MAX_INT)]


def _number(v: object) -> int | float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("input should be a number")
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError("input should be a finite number (not .nan or .inf)")
    if abs(v) > MAX_INT:
        raise ValueError(f"number too large (at most {MAX_INT:,} either way)")
    return v


def _number_or_text(v: object) -> int | float | str:
    return _one_line(v) if isinstance(v, str) else _number(v)


Number = Annotated[Union[int, float], PlainValidator(_number), WithJsonSchema({"type": "number"})]
NumberOrText = Annotated[Union[int, float, str], PlainValidator(_number_or_text),
                         WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string", "minLength": 1}]})]


def _date(v: object) -> str:
    """A timeline date: YYYY (a bare YAML number is accepted), YYYY-MM or YYYY-MM-DD, in the calendar."""
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
    problem = date_problem(str(v))
    if problem:
        raise ValueError(problem)
    return str(v)


PartialDate = Annotated[Union[str, int], PlainValidator(_date),
                        WithJsonSchema({"type": ["string", "integer"], "pattern": f"^{DATE_RE.pattern}$"})]


def date_problem(value: str) -> str | None:
    """Why ``value`` is not a real date written YYYY, YYYY-MM or YYYY-MM-DD, or None."""
    if not DATE_RE.fullmatch(value) or not value.isascii():
        return "date must be YYYY, YYYY-MM or YYYY-MM-DD"
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0] or 1, parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return f"{value} is not a date in the calendar"
    if parts[0] == 0:
        return "year 0000 is not a date in the calendar"
    return None


def _full_date(value: str) -> str:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("date must be YYYY-MM-DD")
    problem = date_problem(value)
    if problem:
        raise ValueError(problem)
    return value


class Strict(BaseModel):
    # A misspelt key must be an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---- provenance: where a statement comes from in the review ----------------------------
# A review section number as printed ("2.5.1") or several; a record's value is the default for
# its items, and an item's own value overrides it.
ReviewSection = Union[Text, list[Text], None]


class Recitation(Strict):
    """The atlas cites other sources than the review does for this statement, and says why.

    ``review_refs`` are the review's own reference numbers for the statement (``[]`` when the
    review cites nothing there); the check warns when they equal the review numbers of the keys
    the statement cites (the declaration is stale) and when ``reason`` is missing.
    """

    review_refs: list[Annotated[StrictInt, Field(ge=1)]]
    reason: Text | None = None


class Provenance(Strict):
    """Fields shared by every statement-bearing object: its review section, or a mark that it comes
    from outside the review, and a declared re-citation."""

    review_section: ReviewSection = None
    outside_review: StrictBool = False
    recites: Recitation | None = None

    @property
    def sections(self) -> list[str]:
        s = self.review_section
        return [] if s is None else [s] if isinstance(s, str) else list(s)

    @model_validator(mode="after")
    def _one_origin(self):
        if self.outside_review and self.review_section is not None:
            raise ValueError("give review_section or outside_review: true, not both")
        if self.outside_review and self.recites is not None:
            raise ValueError("a statement from outside the review cannot re-cite the review (drop recites)")
        return self


class Evidence(Provenance):
    # Optional: a slug naming the item within its record, so that a page can quote its n or figures.
    id: Annotated[str, Field(pattern=SLUG_RE.pattern)] | None = None
    claim: Markdown
    model: EvidenceModel | None = None
    n: Count | None = None
    direction: Direction | None = None
    figures: list[Text] = []
    refs: RefList


class Strategy(Provenance):
    agents: IdList = []
    note: Markdown
    refs: RefList


class Mechanism(Provenance):
    title: Text
    category: MechanismCategory
    summary: Markdown
    players: list[Text] = []
    evidence: list[Evidence] = []
    strategies: list[Strategy] = []
    related: IdList = []
    former_ids: SlugIds = []


class Agent(Provenance):
    name: Text
    aliases: list[Text] = []
    # ``class`` is a Python keyword; the YAML key stays ``class``.
    agent_class: AgentClass = Field(alias="class")
    targets: list[Text] = []
    status: AgentStatus | None = None
    summary: Markdown | None = None
    refs: OptRefs = []
    former_ids: SlugIds = []

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class Arm(Strict):
    label: Text
    role: ArmRole | None = None
    agents: IdList = []
    n: Count | None = None


class Outcome(Provenance):
    endpoint: Endpoint
    measure: Text | None = None
    timepoint: Text | None = None
    subgroup: Text | None = None
    primary: StrictBool = False
    unit: Text | None = None
    values: dict[Text, NumberOrText] = {}
    hr: Number | None = None
    p: Text | None = None
    refs: RefList

    @model_validator(mode="after")
    def _has_a_result(self) -> "Outcome":
        if not self.values and self.hr is None and self.p is None:
            raise ValueError("an outcome needs at least one of values, hr, p")
        return self


class Trial(Provenance):
    acronym: Text | None = None
    title: Text
    # Required by the original contract, optional since some studies' phase is given by no source.
    phase: Phase | None = None
    setting: Setting | None = None
    status: TrialStatus | None = None
    enrollment: Count | None = None
    conditions: list[Text] = []
    arms: list[Arm] = []
    outcomes: list[Outcome] = []
    mechanisms: IdList = []
    summary: Markdown | None = None
    notes: Markdown | None = None
    refs: RefList
    former_ids: TrialIds = []


class Patent(Provenance):
    # As published; when the source gives none, ``subject`` (written by the atlas) stands in.
    title: Text | None = None
    subject: Text | None = None
    published: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), AfterValidator(_full_date)] | None = None
    assignee: Text | None = None
    claims: Annotated[list[Markdown], Field(min_length=1)]
    mechanism: Markdown
    targets: list[Text] = []
    mechanisms: IdList = []
    agents: IdList = []
    refs: RefList
    former_ids: PatentIds = []

    @model_validator(mode="after")
    def _title_or_subject(self) -> "Patent":
        if (self.title is None) == (self.subject is None):
            raise ValueError("give exactly one of title (as published) and subject (when the source gives no title)")
        return self

    @property
    def display_title(self) -> str:
        return self.title if self.title is not None else f"untitled in the review: {self.subject}"


class GlossaryTerm(Strict):
    term: Text
    expansion: Text
    definition: Markdown | None = None
    refs: OptRefs = []


class TimelineEvent(Strict):
    # A stable identity (a slug), so that editing an event's wording or date reads as a change.
    id: Annotated[str, Field(pattern=SLUG_RE.pattern)] | None = None
    # YAML reads a bare 1998 as an int; accept both and normalise to text.
    date: PartialDate
    event: Markdown
    refs: OptRefs = []


# Fields holding Markdown (which may cite inline with [@key]).
MARKDOWN_FIELDS = frozenset({"summary", "claim", "note", "notes", "mechanism", "claims", "definition", "event"})
