"""Is the patient inside the population the primary study enrolled? The answer gates efficacy only."""

import pytest

from cledss.clinical.assess import Fit, assess
from cledss.clinical.body_of_evidence import EvidenceSnapshot
from tests.support import patient


def applicability_text(assessment) -> str:
    return " ".join(s.text for s in assessment.applicability.all_statements)


def test_refractory_scle_is_inside_the_studied_population(snapshot):
    assessment = assess(patient("scle", "refractory"), snapshot)
    assert assessment.applicability.fit == Fit.INSIDE
    assert "60 consecutive patients" in str(assessment.applicability.headline)


def test_refractory_patient_sees_what_frances_found_on_blood_levels(snapshot):
    text = applicability_text(assess(patient("dle", "refractory"), snapshot))
    assert "910 ng/mL in complete remission, 692 ng/mL in partial remission and 569 ng/mL" in text
    assert "30/300 (10%)" in text and "Francès et al. 2012" in text


@pytest.mark.parametrize("status", ["not_tried", "responding"])
def test_patient_without_antimalarial_failure_is_outside_and_sees_no_efficacy_figures(snapshot, status):
    assessment = assess(patient("scle", status), snapshot)
    assert assessment.applicability.fit == Fit.OUTSIDE
    assert [s.key for s in assessment.sections] == ["monitoring", "safety", "practical"]
    assert assessment.cohorts == ()
    texts = " ".join(s.text for s in assessment.statements)
    assert "enrolled only patients whose CLE had resisted antimalarials" in texts
    assert "58/59" not in texts and "50/59" not in texts and "odds ratio 30" not in texts


def test_patient_who_has_not_tried_antimalarials_sees_their_pooled_response_by_subtype(snapshot):
    texts = applicability_text(assess(patient("chilblain", "not_tried"), snapshot))
    assert "63% (95% CI 55% to 70%)" in texts
    assert "31% (95% CI 20% to 44%)" in texts


def test_intolerant_patient_is_told_the_figures_may_not_transfer(snapshot):
    assessment = assess(patient("scle", "intolerant"), snapshot)
    assert assessment.applicability.fit == Fit.UNCERTAIN
    assert "could not take them" in applicability_text(assessment)


def test_intolerant_patient_is_not_told_of_thalidomide_added_to_an_antimalarial(snapshot):
    assert "added to an antimalarial" not in applicability_text(assess(patient("scle", "intolerant"), snapshot))
    assert "added to an antimalarial" in applicability_text(assess(patient("scle", "refractory"), snapshot))


@pytest.mark.parametrize("subtype", ["tumidus", "chilblain", "acle", "profundus", "other"])
def test_subtype_the_study_abstract_gives_no_estimate_for_is_flagged_uncertain(snapshot, subtype):
    assessment = assess(patient(subtype, "refractory"), snapshot)
    assert assessment.applicability.fit == Fit.UNCERTAIN
    assert "The abstract of Cortés-Hernández et al. 2012 gives no estimate for" in applicability_text(assessment)


@pytest.mark.parametrize("status", ["refractory", "intolerant", "not_tried", "responding"])
def test_every_patient_is_told_thalidomide_is_off_label_for_cle(snapshot, status):
    statements = assess(patient("scle", status), snapshot).applicability.statements
    off_label = next(s for s in statements if "not licensed for CLE" in s.text)
    assert "multiple myeloma" in off_label.text and "erythema nodosum leprosum" in off_label.text
    assert [source.key for source in off_label.sources] == ["thalidomide-label"]


def test_guideline_statements_are_expert_consensus_not_a_grade_level(snapshot):
    statements = assess(patient(), snapshot).applicability.statements
    guideline = [s for s in statements if s.sources[0].key == "kuhn-2017"]
    assert guideline and all(s.certainty == "consensus" and "expert consensus" in s.text for s in guideline)


@pytest.mark.parametrize("status", ["refractory", "not_tried"])
def test_a_smoker_sees_that_smokers_respond_less_to_antimalarials(snapshot, status):
    statements = assess(patient("scle", status, smoker=True), snapshot).applicability.all_statements
    smoking = next(s for s in statements if "0.53" in s.text)
    assert smoking.text.startswith("This patient smokes.")
    assert smoking.tone == "warning"
    assert "odds ratio 0.53 (95% CI 0.29 to 0.98), against non-smokers" in smoking.text


def test_an_unknown_subtype_or_history_is_neither_inside_nor_outside(snapshot):
    from cledss.clinical.features import PatientFeatures

    assessment = assess(PatientFeatures(subtype=None, antimalarial_status=None), snapshot)
    assert assessment.applicability.fit == Fit.UNKNOWN
    assert [s.key for s in assessment.sections] == ["monitoring", "safety", "practical"]


def test_empty_evidence_base_applies_nothing():
    assessment = assess(patient(), EvidenceSnapshot(version="empty"))
    assert assessment.applicability.fit == Fit.UNKNOWN
    assert assessment.sections == ()
