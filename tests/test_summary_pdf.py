"""The chart summary: at most two pages for every patient, in English and Spanish, on A4 and Letter, holding the label on
every page, every key point and every safety statement of the result page, and the pictures.

What it must hold is read from the assessment the result page renders (key points and safety statements are worded by
others and change), never written out here.
"""

import itertools
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from cledss.clinical.assess import LABEL, assess
from cledss.clinical.features import AntimalarialStatus, Subtype
from cledss.clinical.visuals import ForestPlot
from cledss.evidence.snapshot import published_snapshot
from cledss.web import paper
from tests.pdf_structure import body_text, comparable, elements, page_texts
from tests.support import patient

COMBINATIONS = list(itertools.product(Subtype, AntimalarialStatus, (False, True)))
# The most a summary can hold for a patient: every other safety feature ticked and every optional input given.
HEAVIEST = {
    "neuropathy": "on", "smoker": "on", "thrombosis_risk": "on",
    "daily_dose_mg": "100", "months_on_thalidomide": "6", "snap_baseline_uv": "20", "snap_now_uv": "9",
}
FEATURES = {
    "neuropathy": True, "smoker": True, "thrombosis_risk": True, "daily_dose_mg": 100, "months_on_thalidomide": 6,
    "snap_baseline_uv": Decimal(20), "snap_now_uv": Decimal(9),
}


def query(subtype, status, pregnant) -> dict:
    return {"subtype": subtype.value, "antimalarial_status": status.value, **HEAVIEST, **({"can_become_pregnant": "on"} if pregnant else {})}


def expected_texts(subtype, status, pregnant, language) -> list[str]:
    """Every key point's lines and every safety statement, as the result page shows them for this patient."""
    with translation.override(language):
        features = patient(subtype.value, status.value, can_become_pregnant=pregnant, **FEATURES)
        assessment = assess(features, published_snapshot(language))
        key_points = [str(point.topic) for point in assessment.key_points]
        key_points += [str(s.summary) for point in assessment.key_points for s in point.statements]
        return [*key_points, *(s.text for s in paper.safety_facts(assessment))]


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=[f"{s}-{a}-{'p' if p else 'np'}" for s, a, p in COMBINATIONS])
def test_every_patients_summary_fits_two_pages_with_the_label_key_points_and_safety_facts(client, seeded, subtype, status, pregnant):
    for language, size in itertools.product(("en", "es"), ("a4", "letter")):
        prefix = "/es" if language == "es" else ""
        response = client.get(f"{prefix}/result/pdf/", {**query(subtype, status, pregnant), "paper": size})
        assert response.status_code == 200
        pages = page_texts(response.content)
        assert len(pages) <= 2, f"{language} {size}: {len(pages)} pages"
        with translation.override(language):
            label = comparable(str(LABEL))
        assert all(label in comparable(page) for page in pages), f"{language} {size}: a page without the label"
        text = comparable(body_text(pages))
        missing = [t for t in expected_texts(subtype, status, pregnant, language) if comparable(t) not in text]
        assert not missing, f"{language} {size} lacks {missing}"


def test_the_safety_facts_are_the_result_pages_safety_section(seeded):
    assessment = assess(patient("dle", "refractory", can_become_pregnant=True), published_snapshot("en"))
    assert paper.safety_facts(assessment) == assessment.section("safety").statements
    assert any(s.boxed for s in paper.safety_facts(assessment))


def test_this_patients_statements_are_the_warnings_outside_the_safety_section(seeded):
    assessment = assess(patient("dle", "refractory", neuropathy=True), published_snapshot("en"))
    chosen = paper.for_this_patient(assessment)
    assert chosen and all(s.tone in paper.FOR_THIS_PATIENT for s in chosen)
    assert not set(chosen) & set(paper.safety_facts(assessment))


def test_the_summary_holds_its_pictures_with_their_alt_text_and_names_the_odds_ratios_outcome(client, seeded):
    response = client.get("/result/pdf/", {"subtype": "dle", "antimalarial_status": "refractory", "daily_dose_mg": "100"})
    alts = [e["alt"] for e in elements(response.content) if e["type"] == "/Figure"]
    assessment = assess(patient("dle", "refractory", daily_dose_mg=100), published_snapshot("en"))
    visuals = [visual for section in assessment.sections for visual in section.visuals]
    # The response and complete-response icon arrays, the subtype's odds ratios, the paraesthesia array, the dose band.
    assert len(alts) == len(visuals) >= 5
    for visual in visuals:
        assert any(comparable(str(visual.description)) in comparable(alt) for alt in alts), visual
    forest = next(v for v in visuals if isinstance(v, ForestPlot))
    assert comparable(str(forest.caption)) in comparable(" ".join(page_texts(response.content)))
    assert str(forest.outcome) in str(forest.caption)


def test_the_summary_lists_the_references_it_cites_and_no_others(client, seeded):
    response = client.get("/result/pdf/", {"subtype": "dle", "antimalarial_status": "refractory", "can_become_pregnant": "on"})
    text = comparable(" ".join(page_texts(response.content)))
    assessment = assess(patient("dle", "refractory", can_become_pregnant=True), published_snapshot("en"))
    cited = paper.summary(assessment, moment=timezone.localtime(), version_entry="")["cited"]
    listed = [s for s in assessment.sources if s.key in cited]
    assert 0 < len(listed) < len(assessment.sources)
    for source in assessment.sources:
        assert (comparable(source.citation) in text) == (source in listed), source.key
