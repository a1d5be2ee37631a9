"""The answer at a glance: the fit, this patient's dangers, the boxed warnings, then response, relapse and
monitoring, each a short line; the dangers fit on the first screen of a laptop and a phone."""

from decimal import Decimal

import pytest

from cledss.clinical.assess import Tone, assess
from tests.conftest import ARTIFACTS
from tests.support import patient

SCLE_PREGNANT = "/result/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"
# Every safety box ticked and every optional number given, the longest first screen the form can make.
EVERYTHING = (
    "/result/?subtype=dle&antimalarial_status=refractory&can_become_pregnant=on&neuropathy=on&smoker=on"
    "&thrombosis_risk=on&daily_dose_mg=400&months_on_thalidomide=240&snap_baseline_uv=20&snap_now_uv=9"
)


def lines(assessment) -> dict[str, list[str]]:
    points: dict[str, list[str]] = {}
    for point in assessment.key_points:
        points.setdefault(str(point.topic), []).extend(str(s.summary) for s in point.statements)
    return points


def dangers(assessment) -> list[str]:
    return [str(s.summary) for p in assessment.key_points if p.tone == Tone.DANGER for s in p.statements]


def test_the_key_points_come_in_the_order_a_reader_needs_them(snapshot):
    points = lines(assess(patient("scle", "refractory", can_become_pregnant=True), snapshot))
    assert list(points) == [
        "Fit", "For this patient", "Boxed warnings (label)", "Response in the study", "Relapse and remission",
        "Neurological monitoring",
    ]
    assert points["Fit"] == ["Matches the population of Cortés-Hernández et al. 2012"]
    assert "58/59 (98%) responded" in points["Response in the study"]
    assert any("birth defects" in line and "pregnancy prevention programme" in line for line in points["For this patient"])


@pytest.mark.parametrize("subtype, estimate", [("scle", "long-term remission after stopping: odds ratio 30"), ("dle", "relapse: odds ratio 5.71")])
def test_relapse_gives_the_whole_cohorts_figure_beside_the_subtypes_estimate_with_its_outcome(snapshot, subtype, estimate):
    relapse = lines(assess(patient(subtype, "refractory"), snapshot))["Relapse and remission"]
    assert relapse[0].startswith("relapse in 70%") and "about 5 months" in relapse[0]
    assert estimate in relapse[1] and "against the study's patients with other subtypes" in relapse[1]


def test_a_subtype_without_an_estimate_is_told_so_beside_the_whole_cohorts_relapse(snapshot):
    relapse = lines(assess(patient("tumidus", "refractory"), snapshot))["Relapse and remission"]
    assert relapse[0].startswith("relapse in 70%")
    assert "no estimate for LE tumidus" in relapse[1]


def test_every_patient_gets_the_boxed_warnings_with_the_programmes_rule_for_males(snapshot):
    boxed = lines(assess(patient("scle", "not_tried"), snapshot))["Boxed warnings (label)"]
    text = " ".join(boxed)
    assert "embryo-fetal toxicity" in text and "venous thromboembolism" in text
    assert "apply to males too" in text


def test_each_danger_for_this_patient_is_its_own_line(snapshot):
    assessment = assess(
        patient("dle", "refractory", can_become_pregnant=True, neuropathy=True, thrombosis_risk=True,
                snap_baseline_uv=Decimal(20), snap_now_uv=Decimal(9)),
        snapshot,
    )
    found = dangers(assessment)
    assert len(found) == 4
    assert any("can become pregnant" in line for line in found)
    assert any("thrombosis or carries antiphospholipid antibodies" in line for line in found)
    assert any("already has a peripheral neuropathy" in line for line in found)
    assert any("Sural SNAP fall of 55%" in line for line in found)
    assert all(len(p.statements) == 1 for p in assessment.key_points if p.tone == Tone.DANGER)


def test_a_thrombosis_on_record_is_a_danger_level_key_point(snapshot):
    found = dangers(assess(patient("dle", "refractory", thrombosis_risk=True), snapshot))
    assert found == [
        "This patient has had a thrombosis or carries antiphospholipid antibodies: the label's boxed warning covers "
        "venous thromboembolism"
    ]


def test_a_snap_fall_below_the_criterion_is_no_danger(snapshot):
    assert dangers(assess(patient("scle", "refractory", snap_baseline_uv=Decimal(20), snap_now_uv=Decimal(15)), snapshot)) == []


def test_every_key_point_carries_its_certainty_sources_and_the_section_it_summarises(snapshot):
    assessment = assess(patient("dle", "refractory", neuropathy=True, can_become_pregnant=True), snapshot)
    sections = {"applicability", *(s.key for s in assessment.sections)}
    for point in assessment.key_points:
        assert point.anchor in sections
        assert all(s.summary and s.sources and s.certainty for s in point.statements)


def test_outside_the_population_the_key_points_give_no_efficacy_figure_but_every_safety_point(snapshot):
    points = lines(assess(patient("scle", "not_tried", thrombosis_risk=True), snapshot))
    assert "Response in the study" not in points and "Relapse and remission" not in points
    assert points["Fit"][0].startswith("Outside the population")
    assert "Boxed warnings (label)" in points and "For this patient" in points


def test_the_fit_carries_no_certainty_badge_and_every_other_line_does(client, seeded):
    html = client.get(SCLE_PREGNANT).content.decode()
    key_points = html[html.index('class="key-points"'):html.index("</section>", html.index('class="key-points"'))]
    fit, rest = key_points.split("Fit</a>", 1)[1].split("</li>", 1)
    assert "Certainty" not in fit and "Basis" not in fit
    assert rest.count("<li>") == rest.count("Certainty: ") + rest.count("Basis: ")


def test_the_api_gives_the_fit_no_certainty(client, seeded):
    points = client.get("/api/assessment?subtype=scle&antimalarial_status=refractory").json()["key_points"]
    assert points[0]["topic"] == "Fit" and points[0]["points"][0]["certainty"] is None
    assert all(line["certainty"] for point in points[1:] for line in point["points"])


def test_the_key_points_come_right_after_the_inputs_and_link_to_their_details(client, seeded):
    html = client.get(SCLE_PREGNANT).content.decode()
    assert html.index('class="inputs-used"') < html.index('class="key-points"') < html.index("<details")
    for anchor in ("applicability", "response", "relapse", "monitoring", "safety"):
        assert f'<a href="#{anchor}"' in html and f'<div id="{anchor}">' in html


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_every_danger_point_is_on_the_first_screen_with_the_longest_inputs(chromium, live_server, seeded_live, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(live_server.url + EVERYTHING)
    danger = tab.locator(".key-points .kp-danger")
    assert danger.count() == 4
    for index in range(danger.count()):
        box = danger.nth(index).bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= height, (index, box)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=ARTIFACTS / f"key-points-{width}x{height}.png")
    context.close()
