"""What each field of the data model means, in a sentence, for editors.

The model (``macros.model``) says what a field may hold; these notes say what it is for. The
data reference page and the published JSON Schemas (shown by editors on hover) both read
them. Every field of every model has a note: a test fails when a new field has none.
Keys are (model class name, field name as written in YAML).
"""
from __future__ import annotations

KIND_NOTES = {
    "mechanisms": "A way in which tumours escape trastuzumab, with the evidence for it and the strategies against it.",
    "agents": "A drug, antibody, vaccine, cell therapy or comparator (chemotherapy, placebo) that records link to.",
    "trials": "A clinical study: its design, its arms and the results the sources report.",
    "patents": "A patent publication about overcoming or detecting resistance.",
    "glossary": "An abbreviation or term, expanded and defined; terms with one meaning become tooltips.",
    "timeline": "A dated event in the history of trastuzumab and HER2-targeted therapy.",
}

FORMER_IDS = ("Ids this record had before it was renamed. Each old page becomes a redirect to this one, "
              "so old links keep working. A former id must not be a live record's id.")

NOTES: dict[tuple[str, str], str] = {
    # mechanisms
    ("Mechanism", "title"): "The mechanism's name as shown in headings and links.",
    ("Mechanism", "category"): "The family of mechanisms it belongs to; the mechanism index is grouped by it.",
    ("Mechanism", "review_section"): "The section(s) of the review that discuss it, e.g. \"2.1\" or [\"2.5.2\", \"5\"].",
    ("Mechanism", "summary"): "What the mechanism is and how it blunts trastuzumab, in the atlas's own words.",
    ("Mechanism", "players"): "Genes, proteins or cells involved, as short names (HER2, p95HER2, PTEN).",
    ("Mechanism", "evidence"): "Findings for (or against) the mechanism, one item per finding.",
    ("Mechanism", "strategies"): "Ways proposed to overcome it; this is where agents are linked to mechanisms.",
    ("Mechanism", "related"): "Ids of related mechanisms; the link is shown on both pages.",
    ("Mechanism", "former_ids"): FORMER_IDS,
    ("Evidence", "id"): ("A lowercase slug naming the item, unique within the record (e.g. berns-2007); needed only "
                         "when a hand-written page quotes the item's n or figures with evidence_value."),
    ("Evidence", "claim"): "The finding, in one or two sentences.",
    ("Evidence", "model"): "What the finding was observed in.",
    ("Evidence", "n"): "Number of subjects or samples, when the source gives it.",
    ("Evidence", "direction"): ("resistance: the finding supports the mechanism causing resistance; "
                                "sensitivity: blocking it restores response; neutral: neither."),
    ("Evidence", "figures"): "Key numbers as short strings with their units, e.g. \"ORR 11% vs >51%\".",
    ("Evidence", "refs"): "The sources of this finding.",
    ("Strategy", "agents"): "Ids of the agents the strategy uses.",
    ("Strategy", "note"): "What the strategy does and what is known about it.",
    ("Strategy", "refs"): "The sources of this strategy.",
    # agents
    ("Agent", "name"): "The name shown in headings and links (the generic name for a drug).",
    ("Agent", "aliases"): "Brand names and development codes (e.g. DS-8201), so that search finds them.",
    ("Agent", "class"): "What kind of agent it is.",
    ("Agent", "targets"): "What it acts on, as short names (HER2, PI3K, PD-L1).",
    ("Agent", "status"): "How far it has come, as the sources report it.",
    ("Agent", "summary"): "What the agent is and how it is used against resistance.",
    ("Agent", "refs"): "Sources about the agent itself.",
    ("Agent", "former_ids"): FORMER_IDS,
    # trials
    ("Trial", "acronym"): "The study's short name (CLEOPATRA), shown before its registry id.",
    ("Trial", "title"): "The study's title, as registered or published.",
    ("Trial", "phase"): "The phase, when a source states it; left out otherwise (shown as \"not stated\").",
    ("Trial", "setting"): "The disease setting the study enrolled.",
    ("Trial", "status"): "Recruitment status, as the sources report it.",
    ("Trial", "enrollment"): "Number of participants, as reported by the primary source; other counts go in notes.",
    ("Trial", "conditions"): "The conditions studied, as short phrases.",
    ("Trial", "arms"): "The study's arms (groups), one item per arm.",
    ("Trial", "outcomes"): "Reported results, one item per endpoint, time point and subgroup.",
    ("Trial", "mechanisms"): "Ids of the resistance mechanisms the study addresses.",
    ("Trial", "summary"): "What the study tested and found, in the atlas's own words.",
    ("Trial", "notes"): "Where sources disagree or a figure needs context: what each source says.",
    ("Trial", "refs"): "The sources of this record.",
    ("Trial", "former_ids"): FORMER_IDS,
    ("Arm", "label"): "The arm's name; outcome values are keyed by it, so it must be unique in the trial.",
    ("Arm", "role"): "Whether the arm is experimental or the comparator.",
    ("Arm", "agents"): "Ids of the agents given in this arm.",
    ("Arm", "n"): "Participants in this arm, when reported.",
    ("Outcome", "endpoint"): "What was measured (PFS, OS, ORR...); use other and say what in measure.",
    ("Outcome", "measure"): "How it is summarised: median, rate, landmark...",
    ("Outcome", "timepoint"): "When it was measured, e.g. \"1 year\".",
    ("Outcome", "subgroup"): "The subgroup the result is for, e.g. \"CD16A-158F carriers\".",
    ("Outcome", "primary"): "true when this is the study's primary endpoint.",
    ("Outcome", "unit"): "Unit of the values: months, weeks, percent...",
    ("Outcome", "values"): ("Result per arm: arm label -> number, or -> text as reported when the source qualifies "
                            "it (\">51\", \"not reached\")."),
    ("Outcome", "hr"): "Hazard ratio, as a number.",
    ("Outcome", "p"): "p value as reported, as text (e.g. \"<0.001\").",
    ("Outcome", "refs"): "The sources of this result.",
    # patents
    ("Patent", "title"): "The title as published.",
    ("Patent", "published"): "Publication date (YYYY-MM-DD), when the source gives it.",
    ("Patent", "assignee"): "The applicant or owner, when the source gives it.",
    ("Patent", "claims"): "What the patent claims, one short Markdown item per claim or group of claims.",
    ("Patent", "mechanism"): "The molecular mechanism the patent relies on.",
    ("Patent", "targets"): "Molecular targets, as short names.",
    ("Patent", "mechanisms"): "Ids of the resistance mechanisms it addresses.",
    ("Patent", "agents"): "Ids of the agents it concerns.",
    ("Patent", "refs"): "The sources of this record.",
    ("Patent", "former_ids"): FORMER_IDS,
    # glossary and timeline
    ("GlossaryTerm", "term"): "The abbreviation or term as it appears in text (ADCC).",
    ("GlossaryTerm", "expansion"): "What it stands for (antibody-dependent cellular cytotoxicity).",
    ("GlossaryTerm", "definition"): "A short explanation, when the expansion alone is not enough.",
    ("GlossaryTerm", "refs"): "Sources for the definition.",
    ("TimelineEvent", "date"): "YYYY, YYYY-MM or YYYY-MM-DD.",
    ("TimelineEvent", "event"): "What happened, in a sentence.",
    ("TimelineEvent", "refs"): "The sources of this event.",
    ("TimelineEvent", "id"): ("A stable slug naming the event (e.g. fda-approval-1998), so that a change to its wording "
                             "reads as a change, not as one event removed and another added."),
    ("Patent", "subject"): ("When the source gives no title: a short subject written by the atlas, shown as "
                            "\"untitled in the review: <subject>\". Give exactly one of title and subject."),
    ("Recitation", "review_refs"): "The review's own reference numbers for this statement ([] when it cites none).",
    ("Recitation", "reason"): "Why the atlas cites other sources than the review does here.",
}

# Provenance fields are shared by every statement-bearing model; one note serves them all.
PROVENANCE_NOTES = {
    "review_section": ("The review section this statement comes from, e.g. \"2.3\"; an item inherits its record's "
                       "section unless it gives its own."),
    "outside_review": "true when the statement comes from a source outside the review (then give no review_section).",
    "recites": ("A declared re-citation: the atlas cites other sources than the review for this statement. "
                "Gives the review's own reference numbers and the reason."),
}


def note(model_name: str, field: str) -> str | None:
    return NOTES.get((model_name, field)) or PROVENANCE_NOTES.get(field)
