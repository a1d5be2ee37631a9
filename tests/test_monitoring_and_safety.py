"""Neuropathy and the label's safety facts, for every patient, with conflicts shown as conflicts."""

import re
from html import unescape

import pytest

from cledss.clinical.assess import Tone, assess
from tests.support import patient, pdf_pages


def statements(assessment, key):
    return assessment.section(key).statements


def text(assessment, key):
    return " ".join(s.text for s in assessment.section(key).all_statements)


def test_neuropathy_incidence_confirmation_and_resolution_are_shown(snapshot):
    monitoring = text(assess(patient(), snapshot), "monitoring")
    assert "11/60 (18%)" in monitoring
    assert "confirmed a sensory polyneuropathy in 5 of the 11" in monitoring
    assert "cannot be set beside cohorts that tested every patient" in monitoring
    assert "symptoms resolved in 12 months (range 6 to 18 months) after thalidomide was withdrawn" in monitoring
    assert "within" not in monitoring and "median 12 months" not in monitoring
    assert "every 3 to 6 months" in monitoring


def test_daily_dose_relative_risks_name_their_comparator(snapshot):
    monitoring = text(assess(patient(), snapshot), "monitoring")
    assert "relative risk 8.2, against a daily dose of 50 mg or less (Bastuji-Garin et al. 2002)" in monitoring
    assert "relative risk 20.2, against a daily dose of 50 mg or less" in monitoring
    assert "saw no neuropathy at a daily dose of 25 mg or less" in monitoring


def test_cumulative_dose_evidence_is_shown_as_a_conflict_with_both_sides_sourced(snapshot):
    conflicts = assess(patient(), snapshot).section("monitoring").conflicts
    cumulative = next(c for c in conflicts if str(c.question) == "Cumulative dose")
    assert [s.sources[0].key for s in cumulative.found] == ["yuki-2021"]
    assert "Yuki et al. found that the cumulative dose predicted neuropathy (p = 0.023)." in cumulative.found[0].text
    assert sorted(s.sources[0].key for s in cumulative.not_found) == ["briani-2005", "cuadrado-2005"]
    assert all("no association" in s.text or "no correlation" in s.text for s in cumulative.not_found)


def test_the_resolution_is_quoted_as_observed_with_a_reason_about_the_study_not_nerve_testing(snapshot):
    [resolution] = [s for s in statements(assess(patient(), snapshot), "monitoring") if "resolved in" in s.text]
    assert resolution.text.startswith("In Cortés-Hernández et al. 2012, neurological symptoms resolved in 12 months")
    reasons = (resolution.certainty_reason, *(source.certainty_reason for source in resolution.sources))
    assert not any("nerve conduction" in reason for reason in reasons)


def test_yukis_duration_coasting_and_irreversibility_findings_are_reported(snapshot):
    monitoring = text(assess(patient(), snapshot), "monitoring")
    assert "treatment for 6 months or more predicted neuropathy (p = 0.025)" in monitoring
    assert "1 to 3 months after thalidomide was stopped (coasting)" in monitoring
    assert "may not reverse in 25% of those who develop it (Yuki et al. 2021)" in monitoring


def test_existing_neuropathy_gets_the_strongest_warning_first(snapshot):
    first = statements(assess(patient(neuropathy=True), snapshot), "monitoring")[0]
    assert first.tone == Tone.DANGER
    assert first.text.startswith("This patient already has a peripheral neuropathy.")
    assert first.certainty == "regulatory"


def test_patient_who_can_become_pregnant_sees_the_birth_defect_risk_as_a_danger(snapshot):
    first = statements(assess(patient(can_become_pregnant=True), snapshot), "safety")[0]
    assert first.tone == Tone.DANGER
    assert first.text.startswith("This patient can become pregnant. Thalidomide causes severe, life-threatening birth defects")
    assert "pregnancy prevention programme" in first.text
    assert first.sources[0].key == "thalidomide-label"


def test_birth_defects_and_the_programme_reach_a_patient_who_cannot_become_pregnant(snapshot):
    safety = statements(assess(patient(can_become_pregnant=False), snapshot), "safety")
    assert safety[0].tone == Tone.WARNING and "birth defects" in safety[0].text
    assert any("two reliable methods of contraception" in s.text for s in safety)
    assert any("males to use a condom" in s.text for s in safety)


def test_smoker_sees_the_two_ischaemic_events_in_heavy_smokers(snapshot):
    safety = statements(assess(patient(smoker=True), snapshot), "safety")
    events = next(s for s in safety if "ischaemic" in s.text)
    assert events.tone == Tone.WARNING
    assert events.text.startswith("This patient smokes.")
    assert "2/60" in events.text
    assert "heavy smokers" in events.text


def test_thrombosis_history_is_set_against_what_the_study_describes(snapshot):
    safety = statements(assess(patient(thrombosis_risk=True), snapshot), "safety")
    history = next(s for s in safety if "does not describe patients like this one" in s.text)
    assert history.text.startswith("This patient has had a thrombosis")
    assert "had no antiphospholipid antibodies" in history.text
    assert history.tone == Tone.WARNING
    assert [source.key for source in history.sources] == ["cortes-hernandez-2012"]
    # For this patient the label's boxed warning on thromboembolism is danger-level, and says why first.
    boxed = next(s for s in safety if "boxed warning also covers venous thromboembolism" in s.text)
    assert boxed.tone == Tone.DANGER and boxed.text.startswith("This patient has had a thrombosis")


def test_the_monitoring_section_on_the_page_carries_the_corrected_neuropathy_evidence(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    section = html.split('id="monitoring-heading"')[1].split("</section>")[0]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert "Bastuji-Garin et al. 2002" in text and "PMID 12445187" in text
    assert "relative risk 8.2" in text and "relative risk 20.2" in text
    assert "Yuki et al. found that the cumulative dose predicted neuropathy (p = 0.023)" in text
    assert "Conflicting evidence: Cumulative dose" in text
    assert "5 of the 11" in text


@pytest.mark.parametrize("path", ["/result/", "/result/full-evidence/pdf/", "/api/assessment", "/fhir/Bundle/evidence"])
def test_median_12_months_appears_nowhere(client, made_pdf, path):
    response = (made_pdf if path.endswith("pdf/") else client.get)(path, {"subtype": "scle", "antimalarial_status": "refractory"})
    text = " ".join(pdf_pages(response)) if path.endswith("pdf/") else response.content.decode()
    assert "12 months" in text.replace("12 mo", "12 months") or path.startswith("/fhir")
    assert "median 12" not in text.lower() and "median of 12" not in text.lower()
