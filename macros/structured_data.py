"""Structured data: what a page is about, as schema.org JSON-LD built from the evidence base.

Types (schema.org 30.0):
- trial pages: ``MedicalTrial``; its NCT id as ``identifier``, its conditions as ``healthCondition``
  (``MedicalCondition``), the agents of its arms as ``studySubject`` (``Drug``), its status as a
  ``MedicalStudyStatus`` member. schema.org no longer has a ``phase`` property (removed after
  release 5.0), so phase and setting are stated in ``disambiguatingDescription``.
- agent pages: ``Drug``; aliases as ``alternateName``, the class as ``drugClass``, the trials that use
  it as ``study``. Every agent is typed ``Drug``: the data has no field that would set apart the few
  comparators that are not substances (radiotherapy), and the atlas does not guess.
- mechanism pages: ``MedicalEntity``. schema.org has no type for a biological mechanism or pathway;
  ``MedicalCause`` would assert a cause of a named condition that the data does not declare, so the
  general type that is true of every mechanism is used, with the trials addressing it as ``study``.
- patent pages: ``CreativeWork`` (schema.org has no patent type) with the publication number as
  ``identifier`` and the mechanisms and agents it concerns as ``about``.
- the home page: the whole atlas as a ``Dataset``, licensed CC BY 4.0, based on (``isBasedOn``) and
  citing (``citation``) the review, with the data downloads as ``distribution``.

Objects are plain dicts serialised by ``json_for_script``: no JSON is ever assembled by hand, and the
text is escaped for the ``<script>`` element that carries it. URLs to other pages are relative to
the page, so they hold hosted and offline alike.
"""
from __future__ import annotations

from .agents import CLASS_LABELS
from .bibliography import Reference
from .descriptions import record_description
from .downloads import DOWNLOAD_DIR, download_names
from .evidence import EvidenceBase
from .json_script import json_for_script
from .links import href, record_page
from .model import NCT_RE
from .domain import record_exists, record_label
from .trials import registry_url

CONTEXT = "https://schema.org"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
# The review the atlas is drawn from: its BibTeX key in references.bib.
SOURCE_REVIEW = "hasan2025trastuzumab"
STUDY_STATUS = {"recruiting": "Recruiting", "active": "ActiveNotRecruiting", "completed": "Completed",
                "terminated": "Terminated"}  # "unknown" has no member and is left out
FORMATS = {".json": "application/json", ".csv": "text/csv", ".bib": "application/x-bibtex", ".zip": "application/zip"}


def _ref(eb: EvidenceBase, page: str, kind: str, rid: str, schema_type: str) -> dict:
    """A reference to another record's page: type, name and URL."""
    return {"@type": schema_type, "name": record_label(eb, kind, rid), "url": href(page, record_page(kind, rid))}


def _base(eb: EvidenceBase, kind: str, rid: str, schema_type: str) -> tuple[str, dict]:
    page = record_page(kind, rid)
    return page, {"@context": CONTEXT, "@type": schema_type, "name": record_label(eb, kind, rid),
                  "url": href(page, page), "description": record_description(eb, kind, rid)}


def trial_data(eb: EvidenceBase, tid: str) -> dict:
    t = eb.trials[tid]
    page, d = _base(eb, "trials", tid, "MedicalTrial")
    d["name"] = t.title
    if t.acronym:
        d["alternateName"] = t.acronym
    if NCT_RE.match(tid):
        d["identifier"] = {"@type": "PropertyValue", "propertyID": "ClinicalTrials.gov", "value": tid}
        d["sameAs"] = registry_url(tid)
    facts = [f"Phase {t.phase} clinical trial" if t.phase else "Clinical trial"]
    if t.setting:
        facts.append(f"{t.setting} setting")
    d["disambiguatingDescription"] = ", ".join(facts)
    if t.status in STUDY_STATUS:
        d["status"] = f"{CONTEXT}/{STUDY_STATUS[t.status]}"
    if t.conditions:
        d["healthCondition"] = [{"@type": "MedicalCondition", "name": c} for c in t.conditions]
    agents = list(dict.fromkeys(a for arm in t.arms for a in arm.agents if record_exists(eb, "agents", a)))
    if agents:
        d["studySubject"] = [_ref(eb, page, "agents", a, "Drug") for a in agents]
    return d


def agent_data(eb: EvidenceBase, aid: str) -> dict:
    a = eb.agents[aid]
    page, d = _base(eb, "agents", aid, "Drug")
    if a.aliases:
        d["alternateName"] = list(a.aliases)
    if a.agent_class not in ("other", "placebo"):
        d["drugClass"] = {"@type": "DrugClass", "name": CLASS_LABELS[a.agent_class]}
    trials = eb.links.of("agents", aid, "trials")
    if trials:
        d["study"] = [_trial_ref(eb, page, tid) for tid in trials]
    return d


def mechanism_data(eb: EvidenceBase, mid: str) -> dict:
    page, d = _base(eb, "mechanisms", mid, "MedicalEntity")
    trials = eb.links.of("mechanisms", mid, "trials")
    if trials:
        d["study"] = [_trial_ref(eb, page, tid) for tid in trials]
    return d


def patent_data(eb: EvidenceBase, pid: str) -> dict:
    p = eb.patents[pid]
    page, d = _base(eb, "patents", pid, "CreativeWork")
    d["name"] = p.display_title
    d["identifier"] = pid
    if p.published:
        d["datePublished"] = p.published
    about = [_ref(eb, page, "mechanisms", m, "MedicalEntity") for m in p.mechanisms if record_exists(eb, "mechanisms", m)]
    about += [_ref(eb, page, "agents", a, "Drug") for a in p.agents if record_exists(eb, "agents", a)]
    if about:
        d["about"] = about
    return d


def _trial_ref(eb: EvidenceBase, page: str, tid: str) -> dict:
    ref = _ref(eb, page, "trials", tid, "MedicalTrial")
    ref["name"] = eb.trials[tid].title
    return ref


RECORD_DATA = {"trials": trial_data, "agents": agent_data, "mechanisms": mechanism_data, "patents": patent_data}


def record_data(eb: EvidenceBase, kind: str, rid: str) -> dict:
    return RECORD_DATA[kind](eb, rid)


# ---- the whole atlas -------------------------------------------------------------------------
def _person(name: str) -> dict:
    family, _, given = name.partition(",")
    if given.strip():
        return {"@type": "Person", "familyName": family.strip(), "givenName": given.strip()}
    return {"@type": "Person", "name": name.strip()}


def article_data(ref: Reference) -> dict:
    """A BibTeX entry as a ``ScholarlyArticle`` with the fields it gives."""
    d: dict = {"@type": "ScholarlyArticle"}
    if ref.text.get("title"):
        d["name"] = ref.text["title"]
    authors = [_person(a) for a in ref.authors if a != "et al."]
    if authors:
        d["author"] = authors
    if ref.year:
        d["datePublished"] = ref.year
    if ref.doi:
        d["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": ref.doi}
        d["url"] = f"https://doi.org/{ref.doi}"
    elif ref.url:
        d["url"] = ref.url
    return d


def dataset_data(eb: EvidenceBase, page: str, name: str, description: str, bundle: str | None = None) -> dict:
    """The atlas as a ``Dataset``: licence, source review, and its downloads (URLs relative to ``page``)."""
    d: dict = {"@context": CONTEXT, "@type": "Dataset", "name": name, "description": description,
               "url": href(page, page), "license": LICENCE_URL, "isAccessibleForFree": True}
    review = eb.bib.get(SOURCE_REVIEW)
    if review is not None:
        d["isBasedOn"] = article_data(review)
        d["citation"] = article_data(review)
    files = download_names(eb) + ([f"{DOWNLOAD_DIR}/{bundle}"] if bundle else [])
    d["distribution"] = [{"@type": "DataDownload", "contentUrl": href(page, f),
                          "encodingFormat": FORMATS.get(f[f.rfind("."):], "application/octet-stream")}
                         for f in files]
    return d


def script_text(data: dict) -> str:
    """The body of a ``<script type="application/ld+json">`` element."""
    return json_for_script(data)
