"""The domain questions have one answer, asked the same way by the pages, the tables and the downloads."""
from __future__ import annotations

import csv
import io

from conftest import replace_in
from macros import domain
from macros.downloads import downloads
from macros.evidence import load
from macros.model import Trial
from macros.site import build_pages


def _trial(**extra) -> Trial:
    return Trial.model_validate({"title": "T", "refs": ["k"], **extra})


def test_an_arm_without_a_role_is_experimental_everywhere(project):
    replace_in(project, "data/trials/NCT00000001.yaml", "    role: experimental\n", "")
    eb = load(project)
    t = eb.trials["NCT00000001"]
    assert domain.arm_role(t.arms[0]) == "experimental"
    assert domain.trial_agents(t, domain.EXPERIMENTAL) == ["chemotherapy", "trastuzumab"]
    assert domain.comparator_labels(t) == ["Chemotherapy"]
    assert domain.median_pfs(t) == 7.4
    row = next(r for r in csv.DictReader(io.StringIO(downloads(eb)["downloads/trials.csv"].decode())) if r["id"] == "NCT00000001")
    assert row["agents"] == "chemotherapy trastuzumab" and row["comparator_agents"] == "chemotherapy"
    table = build_pages(eb)["trials.md"]
    alpha = table.split('data-text="NCT00000001', 1)[0].rsplit("<tr", 1)[1]
    assert 'data-f-agent="chemotherapy trastuzumab"' in alpha


def test_median_pfs_reads_the_experimental_arm_of_the_whole_population():
    t = _trial(arms=[{"label": "B", "role": "comparator"}, {"label": "A"}], outcomes=[
        {"endpoint": "PFS", "subgroup": "s", "unit": "months", "values": {"A": 9, "B": 1}, "refs": ["k"]},
        {"endpoint": "PFS", "unit": "months", "values": {"A": 5.5, "B": 4}, "refs": ["k"]}])
    assert domain.median_pfs(t) == 5.5
    assert domain.key_outcome(t).subgroup == "s" and domain.primary_outcome(t) is None
    assert domain.key_result(t) == "PFS — s: A: 9 months; B: 1 months"


def test_figures_are_formatted_one_way():
    assert domain.format_value(22, "percent") == "22%"
    assert domain.format_value(5.80, "months") == "5.8 months"
    assert domain.format_value("not reached", None) == "not reached"
    o = _trial(outcomes=[{"endpoint": "OS", "values": {"A": 1}, "hr": 0.5, "p": "0.01", "refs": ["k"]}]).outcomes[0]
    assert domain.outcome_figures(o) == "A: 1; HR 0.5; p = 0.01" and domain.outcome_figures(o, "A") == "1"


def test_patent_office_and_year(project):
    eb = load(project)
    p = eb.patents["CN113308542"]
    assert domain.patent_office("CN113308542") == "CN" and domain.patent_year(p) == p.published[:4]
    assert domain.record_label(eb, "patents", "CN113308542") == "CN113308542"
