from cledss.clinical.assess import assess
from tests.support import patient


def section(assessment, key):
    return " ".join(s.text for s in assessment.section(key).statements)


def test_scle_patient_sees_response_with_wilson_interval_and_onset(snapshot):
    text = section(assess(patient("scle"), snapshot), "response")
    assert "58/59 (98%)" in text
    assert "95% CI 91.0% to 99.7%" in text
    assert "50/59 (85%)" in text
    assert "noticeable already 2 weeks after starting" in text


def test_low_certainty_response_is_worded_with_may(snapshot):
    assert "Thalidomide may result in a clinical response" in section(assess(patient("scle"), snapshot), "response")


def test_very_low_certainty_pooled_response_says_the_evidence_is_very_uncertain(snapshot):
    text = section(assess(patient("scle"), snapshot), "response")
    assert (
        "Pooled across studies, thalidomide may result in a response in 90% (95% CI 85% to 94%) of patients with "
        "CLE (Chasset et al. 2018 (meta-analysis)), but the evidence is very uncertain." in text
    )


def test_scle_patient_sees_remission_odds_ratio_with_its_comparator(snapshot):
    text = section(assess(patient("scle"), snapshot), "relapse")
    assert "70% of patients like those in Cortés-Hernández et al. 2012, usually about 5 months after" in text
    assert (
        "long-term remission after thalidomide is stopped: odds ratio 30 (95% CI 5.82 to 154.63), against the "
        "study's patients with other subtypes" in text
    )


def test_dle_patient_sees_relapse_odds_ratio_only(snapshot):
    text = section(assess(patient("dle"), snapshot), "relapse")
    assert "odds ratio 5.71 (95% CI 1.36 to 24.06), against the study's patients with other subtypes" in text
    assert "5.82" not in text and "odds ratio 30" not in text


def test_tumidus_patient_is_told_there_is_no_subtype_estimate_and_sees_no_odds_ratio(snapshot):
    assessment = assess(patient("tumidus"), snapshot)
    text = section(assessment, "relapse")
    assert "gives no estimate of relapse or remission for LE tumidus" in text
    assert "odds ratio" not in " ".join(s.text for s in assessment.statements if "0.53" not in s.text)


def test_pooled_relapse_figures_are_not_set_against_each_other(snapshot):
    text = section(assess(patient("scle"), snapshot), "relapse")
    assert "relapse may follow withdrawal of thalidomide in 71% (95% CI 65% to 77%)" in text
    assert "Pooled across another set of studies, relapse may occur on a maintenance dose in 34% (95% CI 25% to 44%)" in text
    assert "come from different sets of studies, so they do not compare" in text
    assert "against 34%" not in text


def test_very_low_certainty_subtype_estimate_says_may_and_very_uncertain(snapshot):
    text = section(assess(patient("dle"), snapshot), "relapse")
    assert "Discoid LE (DLE) may be associated with relapse" in text
    assert "but the evidence is very uncertain." in text


def test_low_certainty_relapse_is_worded_with_may(snapshot):
    assert "Relapse may follow in 70%" in section(assess(patient("scle"), snapshot), "relapse")
