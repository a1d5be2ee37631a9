"""Is the patient inside the population the primary study enrolled?"""

import pytest

from cledss.clinical.assess import Fit, assess
from cledss.clinical.evidence import EvidenceSnapshot
from tests.support import patient


def test_refractory_scle_is_inside_the_studied_population(snapshot):
    assessment = assess(patient("scle", "refractory"), snapshot)
    assert assessment.applicability.fit == Fit.INSIDE
    assert "60 consecutive patients" in str(assessment.applicability.headline)


def test_refractory_patient_is_reminded_to_check_adherence_and_levels(snapshot):
    texts = [s.text for s in assess(patient("dle", "refractory"), snapshot).applicability.statements]
    assert any("hydroxychloroquine blood levels" in t for t in texts)


@pytest.mark.parametrize("status", ["not_tried", "responding"])
def test_patient_without_antimalarial_failure_is_outside_and_sees_no_study_figures(snapshot, status):
    assessment = assess(patient("scle", status), snapshot)
    assert assessment.applicability.fit == Fit.OUTSIDE
    assert assessment.sections == ()
    texts = " ".join(s.text for s in assessment.statements)
    assert "enrolled only patients whose CLE had resisted antimalarials" in texts
    assert "first-line systemic treatment" in texts
    assert "58/59" not in texts and "odds ratio" not in texts


def test_patient_who_has_not_tried_antimalarials_sees_their_pooled_response_by_subtype(snapshot):
    texts = " ".join(s.text for s in assess(patient("chilblain", "not_tried"), snapshot).statements)
    assert "63% (95% CI 55% to 70%)" in texts
    assert "31% (95% CI 20% to 44%)" in texts


def test_intolerant_patient_is_told_the_figures_may_not_transfer(snapshot):
    assessment = assess(patient("scle", "intolerant"), snapshot)
    assert assessment.applicability.fit == Fit.UNCERTAIN
    assert any("could not take them" in s.text for s in assessment.applicability.statements)


@pytest.mark.parametrize("subtype", ["tumidus", "chilblain", "acle", "profundus", "other"])
def test_subtype_the_study_does_not_report_is_flagged_uncertain(snapshot, subtype):
    assessment = assess(patient(subtype, "refractory"), snapshot)
    assert assessment.applicability.fit == Fit.UNCERTAIN
    assert any("does not report results for" in s.text for s in assessment.applicability.statements)


def test_empty_evidence_base_applies_nothing():
    assessment = assess(patient(), EvidenceSnapshot(version="empty"))
    assert assessment.applicability.fit == Fit.OUTSIDE
    assert assessment.sections == ()
