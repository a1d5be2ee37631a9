from cledss.clinical.assess import Tone, assess
from tests.support import patient


def statements(assessment, key):
    return next(s for s in assessment.sections if s.key == key).statements


def text(assessment, key):
    return " ".join(s.text for s in statements(assessment, key))


def test_neuropathy_incidence_confirmation_and_resolution_are_shown(snapshot):
    monitoring = text(assess(patient(), snapshot), "monitoring")
    assert "11/60 (18%)" in monitoring
    assert "sensory polyneuropathy in 5/60" in monitoring
    assert "median 12 months (range 6 to 18 months)" in monitoring
    assert "every 3 to 6 months" in monitoring


def test_existing_neuropathy_gets_the_strongest_warning_first(snapshot):
    first = statements(assess(patient(neuropathy=True), snapshot), "monitoring")[0]
    assert first.tone == Tone.DANGER
    assert "already has peripheral neuropathy" in first.text
    assert first.sources


def test_patient_who_can_become_pregnant_sees_pregnancy_prevention_as_a_danger(snapshot):
    safety = statements(assess(patient(can_become_pregnant=True), snapshot), "safety")
    pregnancy = next(s for s in safety if "pregnancy prevention programme" in s.text)
    assert pregnancy.tone == Tone.DANGER
    assert "This patient can become pregnant" in pregnancy.text
    assert "4 weeks before" in pregnancy.text
    assert pregnancy.sources[0].key == "thalidomide-label"


def test_pregnancy_programme_is_still_mentioned_without_the_warning(snapshot):
    safety = statements(assess(patient(can_become_pregnant=False), snapshot), "safety")
    pregnancy = next(s for s in safety if "pregnancy prevention programme" in s.text)
    assert pregnancy.tone == Tone.INFO


def test_smoker_sees_the_two_ischaemic_events_in_heavy_smokers(snapshot):
    safety = statements(assess(patient(smoker=True), snapshot), "safety")
    events = next(s for s in safety if "ischaemic" in s.text)
    assert events.tone == Tone.WARNING
    assert "This patient smokes" in events.text
    assert "2/60" in events.text
    assert "heavy smokers" in events.text


def test_thrombosis_history_raises_the_thromboembolism_points(snapshot):
    safety = statements(assess(patient(thrombosis_risk=True), snapshot), "safety")
    assert any(s.tone == Tone.WARNING and "antiphospholipid" in s.text for s in safety)
    assert any("boxed warning" in s.text and s.tone == Tone.WARNING for s in safety)
