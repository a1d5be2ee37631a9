from cledss.clinical.assess import assess
from tests.support import patient


def section(assessment, key):
    return " ".join(s.text for s in next(s for s in assessment.sections if s.key == key).statements)


def test_scle_patient_sees_response_with_wilson_interval_and_onset(snapshot):
    text = section(assess(patient("scle"), snapshot), "response")
    assert "58/59 (98%)" in text
    assert "95% CI 91.0% to 99.7%" in text
    assert "50/59 (85%)" in text
    assert "about 2 weeks" in text


def test_low_certainty_response_is_worded_with_may(snapshot):
    assert "may bring a clinical response" in section(assess(patient("scle"), snapshot), "response")


def test_scle_patient_sees_remission_odds_ratio(snapshot):
    text = section(assess(patient("scle"), snapshot), "relapse")
    assert "70% of patients relapsed, usually about 5 months after" in text
    assert "odds ratio 30 (95% CI 5.82 to 154.63)" in text
    assert "long-term remission" in text


def test_dle_patient_sees_relapse_odds_ratio(snapshot):
    text = section(assess(patient("dle"), snapshot), "relapse")
    assert "odds ratio 5.71 (95% CI 1.36 to 24.06)" in text
    assert "5.82" not in text


def test_tumidus_patient_is_told_there_is_no_subtype_specific_estimate(snapshot):
    text = section(assess(patient("tumidus"), snapshot), "relapse")
    assert "gives no subtype-specific estimate" in text
    assert "odds ratio" not in text


def test_relapse_with_maintenance_is_set_against_withdrawal(snapshot):
    text = section(assess(patient("scle"), snapshot), "relapse")
    assert "71% (95% CI 65% to 77%) after thalidomide was withdrawn" in text
    assert "34% (95% CI 25% to 44%) when a maintenance dose was kept" in text


def test_very_low_certainty_subtype_estimate_says_may_and_very_uncertain(snapshot):
    text = section(assess(patient("dle"), snapshot), "relapse")
    assert "Discoid LE (DLE) may be associated with relapse" in text
    assert "The evidence is very uncertain." in text


def test_low_certainty_relapse_is_worded_with_may(snapshot):
    assert "Relapse may be common after thalidomide" in section(assess(patient("scle"), snapshot), "relapse")
