"""A seeded generator of synthetic evidence bases that follow the data contract (the Data reference page).

    generate(root, scale=1.0, seed=13) -> counts

At scale 1 it writes 30 mechanisms, 40 agents, 25 trials, 12 patents, 231 BibTeX entries,
40 glossary terms and 20 timeline events (close to the real atlas, with fewer agents and
glossary terms); scale 10 writes ten times as much. Records cite the bibliography inline and
in ``refs``, trials report outcomes per arm, mechanisms list strategies with agents and related
mechanisms, patents name mechanisms and agents, and the prose uses glossary terms (so that
tooltips cost what they cost). About a quarter of the BibTeX entries carry LaTeX (accents,
braces, en dashes), like the real bibliography.

The text is filler made of neutral words: it is a load for the build, not content. The same
seed and scale give byte-identical files. ``project(dest, scale)`` makes a buildable MkDocs
project around it (the repository's config, core, theme overrides and hand-written pages,
with synthetic overview chapters that cite the synthetic bibliography).
"""
from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import get_args

import yaml

REPO = Path(__file__).resolve().parents[2]

BASE_COUNTS = {"mechanisms": 30, "agents": 40, "trials": 25, "patents": 12, "references": 231,
               "glossary": 40, "timeline": 20}
# The hand-written home page cites the review by this key.
REVIEW_KEY = "hasan2025trastuzumab"

WORDS = (
    "signal receptor pathway tumour cell growth dimer kinase ligand binding response therapy "
    "antibody expression level marker model line xenograft cohort patient study arm dose phase "
    "loss gain variant domain membrane surface nucleus protein factor loop feedback activation "
    "inhibition resistance sensitivity survival progression response rate sample tissue biopsy "
    "serum plasma trial agent target branch route switch escape mutation copy number fusion "
    "cleavage shedding fragment isoform partner complex network module circuit stress hypoxia "
    "stroma matrix niche vessel immune effector ligand shedding uptake efflux transport cycle "
    "checkpoint arrest repair damage cluster panel screen assay readout outcome interval follow "
    "month week year median mean ratio hazard estimate subgroup carrier baseline after before "
    "during within across between under over higher lower stronger weaker earlier later"
).split()
SURNAMES = ("Adler Baptiste Chen Dahl Eriksen Fonseca Garcia Haddad Ito Jansen Kowalski Laine "
            "Moreau Nakamura Okafor Petrov Quinn Rossi Singh Tanaka Ueda Varga Weber Xu Yilmaz Zhou").split()
# LaTeX spellings of names and title words, as BibTeX files carry them.
LATEX_NAMES = ("M{\\\"u}ller", "Garc{\\'\\i}a", "Oca{\\~n}a", "J{\\o}rgensen", "Ba{\\c{c}}", "Ng{\\^o}")
JOURNALS = ("Journal of Synthetic Oncology", "Synthetic Cancer Research", "Annals of Filler Medicine",
            "Placeholder Reports", "Benchmark Biology")
ASSIGNEES = ("Synthetic Therapeutics", "Filler University", "Placeholder Institute", "Benchmark Biotech")
OFFICES = ("CN", "WO", "US", "EP")


def _categories() -> dict[str, tuple]:
    from macros import model

    return {
        "category": get_args(model.MechanismCategory), "evidence_model": get_args(model.EvidenceModel),
        "direction": get_args(model.Direction), "agent_class": get_args(model.AgentClass),
        "agent_status": get_args(model.AgentStatus), "phase": model.PHASE_ORDER,
        "setting": get_args(model.Setting), "trial_status": get_args(model.TrialStatus),
        "endpoint": get_args(model.Endpoint),
    }


def counts_at(scale: float) -> dict[str, int]:
    return {k: max(1, round(n * scale)) for k, n in BASE_COUNTS.items()}


class _Writer:
    def __init__(self, rng: random.Random, counts: dict[str, int]):
        self.rng = rng
        self.counts = counts
        self.voc = _categories()
        self.keys: list[str] = []
        self.terms: list[str] = []
        self.cited: set[str] = set()

    # ---- text ----------------------------------------------------------------------------
    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(lo, hi)))

    def cite(self, n: int = 1) -> str:
        keys = self.rng.sample(self.keys, min(n, len(self.keys)))
        self.cited.update(keys)
        return "[" + "; ".join(f"@{k}" for k in keys) + "]"

    def refs(self, lo: int = 1, hi: int = 2) -> list[str]:
        keys = sorted(self.rng.sample(self.keys, min(self.rng.randint(lo, hi), len(self.keys))))
        self.cited.update(keys)
        return keys

    def prose(self, sentences: int) -> str:
        out = []
        for _ in range(sentences):
            s = self.words(8, 18)
            if self.terms and self.rng.random() < 0.6:
                words = s.split()
                words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(self.terms))
                s = " ".join(words)
            s = s[0].upper() + s[1:]
            if self.rng.random() < 0.5:
                s += " " + self.cite(self.rng.randint(1, 2))
            out.append(s + ".")
        return " ".join(out)

    def title(self, lo: int = 4, hi: int = 9) -> str:
        t = self.words(lo, hi)
        return t[0].upper() + t[1:]

    def pick(self, vocab: str):
        return self.rng.choice(self.voc[vocab])


def _unique(rng: random.Random, make, n: int) -> list[str]:
    seen: list[str] = []
    taken = set()
    while len(seen) < n:
        v = make()
        if v.lower() not in taken:
            taken.add(v.lower())
            seen.append(v)
    return seen


def _bibtex(w: _Writer, key: str, num: int) -> str:
    rng = w.rng
    latex = rng.random() < 0.25
    authors = [f"{rng.choice(SURNAMES)}, {rng.choice('ABCDEFGHJKLMNPRST')}." for _ in range(rng.randint(1, 3))]
    if latex:
        authors[0] = f"{rng.choice(LATEX_NAMES)}, {rng.choice('ABCDEFG')}."
    if rng.random() < 0.7:
        authors.append("others")
    title = w.title(5, 14)
    if rng.random() < 0.5:
        title += " in {HER2}-positive disease"
    if latex and rng.random() < 0.5:
        title += " with {TNF$\\alpha$} and {NF-$\\kappa$B}"
    first = rng.randint(1, 900)
    fields = [("author", " and ".join(authors)), ("title", title), ("journal", rng.choice(JOURNALS)),
              ("year", str(rng.randint(1985, 2024))), ("volume", str(rng.randint(1, 120))),
              ("number", str(rng.randint(1, 12))), ("pages", f"{first}--{first + rng.randint(3, 20)}"),
              ("reviewnum", str(num))]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@article{{{key},\n{body}\n}}\n"


def generate(root: Path, scale: float = 1.0, seed: int = 13) -> dict[str, int]:
    """Write data/, references.bib and docs/overview/ for one synthetic evidence base under ``root``."""
    rng = random.Random(f"{seed}:{scale}")
    counts = counts_at(scale)
    w = _Writer(rng, counts)
    data = root / "data"
    for kind in ("mechanisms", "agents", "trials", "patents"):
        (data / kind).mkdir(parents=True, exist_ok=True)

    # Bibliography: the review itself (cited by the home page) plus numbered entries.
    w.keys = [REVIEW_KEY] + _unique(rng, lambda: f"{rng.choice(SURNAMES).lower()}{rng.randint(1985, 2024)}"
                                    f"{rng.choice(WORDS)}{rng.randint(0, 99)}", counts["references"] - 1)
    review = ("@article{" + REVIEW_KEY + ",\n  author = {Hasan, G. and others},\n"
              "  title = {Trastuzumab Resistance, a Potential Roadblock to the Most Successful Therapy for Breast Cancer},\n"
              "  journal = {Preprints.org},\n  year = {2025},\n  doi = {10.20944/preprints202502.1188.v1}\n}\n")
    bib = ["% Synthetic bibliography for the build benchmark.\n", review]
    bib += [_bibtex(w, key, i) for i, key in enumerate(w.keys[1:], 1)]
    (root / "references.bib").write_text("\n".join(bib), encoding="utf-8")

    # Glossary terms first, so that prose can use them. One term has two meanings (no tooltip).
    letters = "ABCDEFGHKLMNPRSTVXZ"
    w.terms = _unique(rng, lambda: "".join(rng.choice(letters) for _ in range(rng.randint(2, 4)))
                      + rng.choice(("", "", str(rng.randint(1, 9)))), counts["glossary"])
    glossary = []
    for i, term in enumerate(w.terms):
        item = {"term": term, "expansion": w.words(2, 5)}
        if rng.random() < 0.8:
            item["definition"] = w.prose(1)
        if rng.random() < 0.3:
            item["refs"] = w.refs(1, 1)
        glossary.append(item)
        if i == 0:
            glossary.append({"term": term, "expansion": w.words(2, 4)})

    mech_ids = _unique(rng, lambda: f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{rng.randint(1, 999)}", counts["mechanisms"])
    agent_ids = _unique(rng, lambda: f"{rng.choice(WORDS)}{rng.choice(('mab', 'nib', 'lisib', 'ciclib', 'tecan'))}"
                        f"-{rng.randint(1, 999)}", counts["agents"])
    trial_ids = _unique(rng, lambda: (f"NCT{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.85
                                      else f"{rng.choice(WORDS)}-study-{rng.randint(1, 999)}"), counts["trials"])
    patent_ids = _unique(rng, lambda: f"{rng.choice(OFFICES)}{rng.randint(10**8, 10**9 - 1)}", counts["patents"])

    for mid in mech_ids:
        rec = {"title": w.title(), "category": w.pick("category"),
               "review_section": f"{rng.randint(2, 5)}.{rng.randint(1, 9)}", "summary": w.prose(rng.randint(4, 8)),
               "players": sorted({rng.choice(w.terms) for _ in range(rng.randint(2, 5))}), "evidence": [],
               "strategies": []}
        for _ in range(rng.randint(3, 8)):
            refs = w.refs()
            ev = {"claim": w.prose(rng.randint(1, 3)) + f" [@{refs[0]}].", "model": w.pick("evidence_model"),
                  "direction": w.pick("direction"), "refs": refs}
            if rng.random() < 0.4:
                ev["n"] = rng.randint(10, 2000)
            if rng.random() < 0.3:
                ev["figures"] = [f"ORR {rng.randint(5, 40)}% vs {rng.randint(41, 90)}%"]
            rec["evidence"].append(ev)
        for _ in range(rng.randint(1, 3)):
            rec["strategies"].append({"agents": sorted(rng.sample(agent_ids, min(len(agent_ids), rng.randint(1, 2)))),
                                      "note": w.prose(rng.randint(1, 3)), "refs": w.refs()})
        others = [m for m in mech_ids if m != mid]
        if others:
            rec["related"] = sorted(rng.sample(others, min(len(others), rng.randint(1, 2))))
        _dump(data / "mechanisms" / f"{mid}.yaml", rec)

    for aid in agent_ids:
        rec = {"name": aid.replace("-", " ").capitalize(), "class": w.pick("agent_class")}
        if rng.random() < 0.5:
            rec["aliases"] = [f"SX-{rng.randint(100, 9999)}" for _ in range(rng.randint(1, 2))]
        rec["targets"] = [rng.choice(w.terms)]
        rec["status"] = w.pick("agent_status")
        rec["summary"] = w.prose(rng.randint(1, 4))
        rec["refs"] = w.refs()
        rec["review_section"] = "3"  # provenance: every statement has its section (no rng draw, same seeds)
        _dump(data / "agents" / f"{aid}.yaml", rec)

    for tid in trial_ids:
        exp_agents = sorted(rng.sample(agent_ids, min(len(agent_ids), rng.randint(1, 2))))
        comp_agent = rng.choice(agent_ids)
        arms = [{"label": "Experimental " + rng.choice(WORDS), "role": "experimental", "agents": exp_agents,
                 "n": rng.randint(10, 600)},
                {"label": "Control " + rng.choice(WORDS), "role": "comparator", "agents": [comp_agent],
                 "n": rng.randint(10, 600)}]
        rec = {}
        if rng.random() < 0.6:
            rec["acronym"] = rng.choice(WORDS).upper() + f"-{rng.randint(1, 99)}"
        rec["title"] = w.title(6, 14)
        if rng.random() < 0.9:
            rec["phase"] = w.pick("phase")
        rec["setting"] = w.pick("setting")
        rec["status"] = w.pick("trial_status")
        rec["enrollment"] = arms[0]["n"] + arms[1]["n"]
        rec["conditions"] = ["HER2-positive " + w.words(1, 3)]
        rec["arms"] = arms
        rec["outcomes"] = []
        for i in range(rng.randint(1, 3)):
            o = {"endpoint": w.pick("endpoint"), "measure": "median", "unit": "months", "primary": i == 0,
                 "values": {arms[0]["label"]: round(rng.uniform(3, 30), 1), arms[1]["label"]: round(rng.uniform(2, 20), 1)},
                 "refs": w.refs(1, 1)}
            if rng.random() < 0.5:
                o["hr"] = round(rng.uniform(0.3, 1.2), 2)
                o["p"] = rng.choice(("<0.001", "0.02", "0.31"))
            rec["outcomes"].append(o)
        rec["mechanisms"] = sorted(rng.sample(mech_ids, min(len(mech_ids), rng.randint(1, 2))))
        rec["summary"] = w.prose(rng.randint(2, 4))
        if rng.random() < 0.3:
            rec["notes"] = w.prose(rng.randint(1, 3))
        rec["refs"] = w.refs()
        rec["review_section"] = "7"
        _dump(data / "trials" / f"{tid}.yaml", rec)

    for pid in patent_ids:
        rec = {"title": w.title(), "published": f"{rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
               "assignee": rng.choice(ASSIGNEES), "claims": [w.prose(1) for _ in range(rng.randint(2, 4))],
               "mechanism": w.prose(rng.randint(1, 2)), "targets": [rng.choice(w.terms)],
               "mechanisms": sorted(rng.sample(mech_ids, 1)), "agents": sorted(rng.sample(agent_ids, 1)),
               "refs": w.refs(1, 1), "review_section": "6"}
        _dump(data / "patents" / f"{pid}.yaml", rec)

    _dump(data / "glossary.yaml", glossary)
    timeline = []
    for _ in range(counts["timeline"]):
        y = rng.randint(1980, 2024)
        date = rng.choice((str(y), f"{y}-{rng.randint(1, 12):02d}", f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"))
        item = {"date": date, "event": w.prose(1)}
        if rng.random() < 0.5:
            item["refs"] = w.refs(1, 1)
        timeline.append(item)
    _dump(data / "timeline.yaml", timeline)
    for rel, text in _overview_pages(w).items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(text, encoding="utf-8")
    return counts


def _overview_pages(w: _Writer) -> dict[str, str]:
    """The five overview chapters the nav lists, as filler prose citing the synthetic bibliography."""
    names = ("why-trastuzumab", "how-resistance-arises", "overcoming-resistance", "patents-and-trials", "open-questions")
    # The review sections each chapter covers (front matter), so that every record's section has one.
    sections = {"why-trastuzumab": '["1"]', "how-resistance-arises": '["2"]', "overcoming-resistance": '["3", "4", "5"]',
                "patents-and-trials": '["6", "7"]', "open-questions": '["8"]'}
    pages = {}
    for name in names:
        parts = [f"---\nreview_sections: {sections[name]}\n---\n", f"# {w.title(3, 6)}\n"]
        for _ in range(4):
            parts.append(f"## {w.title(2, 5)}\n")
            parts.append(w.prose(6) + "\n")
        pages[f"overview/{name}.md"] = "\n".join(parts)
    # Every entry is cited somewhere, so that the check has no warning to print.
    uncited = [k for k in w.keys if k not in w.cited]
    if uncited:
        share = -(-len(uncited) // len(names))
        for i, name in enumerate(names):
            keys = uncited[i * share:(i + 1) * share]
            if keys:
                pages[f"overview/{name}.md"] += "\n## Further reading\n\n" + " ".join(f"[@{k}]" for k in keys) + "\n"
    return pages


def _dump(path: Path, obj) -> None:
    path.write_text(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")


def project(dest: Path, scale: float = 1.0, seed: int = 13) -> tuple[Path, dict[str, int]]:
    """A buildable atlas project under ``dest`` with a synthetic evidence base; returns (root, counts)."""
    root = Path(dest)
    root.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "macros", "overrides"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(src, root / name)
    docs = root / "docs"
    docs.mkdir()
    for path in sorted((REPO / "docs").iterdir()):
        if path.name == "overview":
            continue
        (shutil.copytree if path.is_dir() else shutil.copy)(path, docs / path.name)
    return root, generate(root, scale, seed)
