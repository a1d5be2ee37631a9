"""Practical issues as the studies and the label report them: no recommendation."""

from cledss.clinical.assess import assess
from tests.support import patient


def test_the_doses_studies_used_and_what_patients_noticed_are_reported(snapshot):
    text = " ".join(s.text for s in assess(patient("scle", "not_tried"), snapshot).section("practical").statements)
    assert "Cortés-Hernández et al. gave thalidomide 100 mg/day." in text
    assert "maintenance dose of 50 to 25 mg/day" in text
    assert "100 mg daily (16 patients), 50 mg daily (17) and 50 mg on alternate days (15)" in text
    assert "Drowsiness: 40.9%" in text and "Amenorrhoea among the women treated: 5/14" in text


def test_practical_issues_reach_every_patient_with_their_sources(snapshot):
    for status in ("refractory", "not_tried"):
        section = assess(patient("tumidus", status), snapshot).section("practical")
        assert section.statements and all(s.sources for s in section.statements)
