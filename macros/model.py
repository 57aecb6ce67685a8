"""The evidence base's data model: record kinds, their fields and vocabularies.

This module is the single home of the contract in DESIGN.md. Vocabularies are
declared once here (as ``Literal`` types) and flow into validation, the JSON
Schema (``python -m macros schema``), the trial-table filters and the docs.
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

Text = Annotated[str, Field(min_length=1)]
Markdown = Annotated[str, Field(min_length=1, json_schema_extra={"format": "markdown"})]
RefList = Annotated[list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]], Field(min_length=1)]
OptRefs = list[Annotated[str, Field(pattern=BIBKEY_RE.pattern)]]
IdList = list[Annotated[str, Field(min_length=1)]]


class Strict(BaseModel):
    # A misspelt key must be an error, never silently ignored.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Evidence(Strict):
    claim: Markdown
    model: EvidenceModel | None = None
    n: StrictInt | None = Field(default=None, ge=0)
    direction: Direction | None = None
    figures: list[Text] = []
    refs: RefList


class Strategy(Strict):
    agents: IdList = []
    note: Markdown
    refs: RefList


class Mechanism(Strict):
    title: Text
    category: MechanismCategory
    review_section: Union[Text, list[Text], None] = None
    summary: Markdown
    players: list[Text] = []
    evidence: list[Evidence] = []
    strategies: list[Strategy] = []
    related: IdList = []

    @property
    def sections(self) -> list[str]:
        s = self.review_section
        return [] if s is None else [s] if isinstance(s, str) else list(s)


class Agent(Strict):
    name: Text
    aliases: list[Text] = []
    # ``class`` is a Python keyword; the YAML key stays ``class``.
    agent_class: AgentClass = Field(alias="class")
    targets: list[Text] = []
    status: AgentStatus | None = None
    summary: Markdown | None = None
    refs: OptRefs = []

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


class Arm(Strict):
    label: Text
    role: ArmRole | None = None
    agents: IdList = []
    n: StrictInt | None = Field(default=None, ge=0)


Number = Union[StrictInt, float]


class Outcome(Strict):
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


class Trial(Strict):
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


class Patent(Strict):
    title: Text
    published: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")] | None = None
    assignee: Text | None = None
    claims: Annotated[list[Markdown], Field(min_length=1)]
    mechanism: Markdown
    targets: list[Text] = []
    mechanisms: IdList = []
    agents: IdList = []
    refs: RefList


class GlossaryTerm(Strict):
    term: Text
    expansion: Text
    definition: Markdown | None = None
    refs: OptRefs = []


class TimelineEvent(Strict):
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
