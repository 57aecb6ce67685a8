"""The evidence base's data model: record kinds, their fields and vocabularies.

This module is the single home of the data contract. Vocabularies are
declared once here (as ``Literal`` types) and flow into validation, the JSON
Schema (``python -m macros schema``), the trial-table filters and the Data
reference page (``data_reference``).
"""
from __future__ import annotations

import re
from typing import Annotated, Literal, Union, get_args

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

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
DATE_RE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")

# Former ids of a renamed record (each keeps its old URL working through a redirect page).
SlugIds = list[Annotated[str, Field(pattern=SLUG_RE.pattern)]]
TrialIds = list[Annotated[str, Field(pattern=f"^(?:{NCT_RE.pattern[1:-1]}|{SLUG_RE.pattern[1:-1]})$")]]
PatentIds = list[Annotated[str, Field(pattern=PATENT_RE.pattern)]]

Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[str, Field(min_length=1, json_schema_extra={"format": "markdown"})]
RefList = Annotated[list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]], Field(min_length=1)]
OptRefs = list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]]
IdList = list[Annotated[str, Field(min_length=1)]]


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
    claim: Markdown
    model: EvidenceModel | None = None
    n: StrictInt | None = Field(default=None, ge=0)
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
    n: StrictInt | None = Field(default=None, ge=0)


Number = Union[StrictInt, float]


class Outcome(Provenance):
    endpoint: Endpoint
    measure: Text | None = None
    timepoint: Text | None = None
    subgroup: Text | None = None
    primary: StrictBool = False
    unit: Text | None = None
    values: dict[str, Union[Number, Text]] = {}
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
    enrollment: StrictInt | None = Field(default=None, ge=0)
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
    published: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
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
    # YAML reads a bare 1998 as an int; the loader quotes nothing, so accept both and normalise.
    date: Union[Text, StrictInt]
    event: Markdown
    refs: OptRefs = []

    @field_validator("date")
    @classmethod
    def _date_shape(cls, v: object) -> str:
        v = str(v)
        if not DATE_RE.match(v):
            raise ValueError("date must be YYYY, YYYY-MM or YYYY-MM-DD")
        return v


# Fields holding Markdown (which may cite inline with [@key]).
MARKDOWN_FIELDS = frozenset({"summary", "claim", "note", "notes", "mechanism", "claims", "definition", "event"})
