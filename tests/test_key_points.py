"""The answer at a glance: the key points come first and fit on the first screen of a laptop and a phone."""

import pytest

from cledss.clinical.assess import Tone, assess
from tests.conftest import ARTIFACTS
from tests.support import patient

SCLE_PREGNANT = "/result/?subtype=scle&antimalarial_status=refractory&can_become_pregnant=on"


def lines(assessment) -> dict[str, str]:
    return {str(p.topic): " ; ".join(str(s.summary) for s in p.statements) for p in assessment.key_points}


def test_scle_refractory_pregnant_key_points_give_each_answer_in_one_line(snapshot):
    points = lines(assess(patient("scle", "refractory", can_become_pregnant=True), snapshot))
    assert list(points) == ["Fit", "Likely response", "Relapse and remission", "Neurological monitoring", "For this patient"]
    assert points["Fit"] == "Matches the population of Cortés-Hernández et al. 2012"
    assert "58/59 (98%) responded" in points["Likely response"]
    assert "odds ratio 30 (95% CI 5.82 to 154.63), against the study's patients with other subtypes" in points["Relapse and remission"]
    assert "paraesthesia in 11/60 (18%)" in points["Neurological monitoring"]
    assert "birth defects" in points["For this patient"] and "pregnancy prevention programme" in points["For this patient"]


def test_every_key_point_carries_its_certainty_sources_and_the_section_it_summarises(snapshot):
    assessment = assess(patient("dle", "refractory", neuropathy=True, can_become_pregnant=True), snapshot)
    sections = {"applicability", *(s.key for s in assessment.sections)}
    for point in assessment.key_points:
        assert point.anchor in sections
        assert all(s.summary and s.sources and s.certainty for s in point.statements)
    danger = [p for p in assessment.key_points if p.tone == Tone.DANGER]
    assert len(danger) == 2  # pregnancy potential and the existing neuropathy


def test_a_subtype_without_an_estimate_is_told_so_in_its_key_point(snapshot):
    points = lines(assess(patient("tumidus", "refractory"), snapshot))
    assert "no estimate for LE tumidus" in points["Relapse and remission"]
    assert "relapse in 70%" in points["Relapse and remission"]


def test_outside_the_population_the_key_points_give_no_efficacy_figure(snapshot):
    points = lines(assess(patient("scle", "not_tried"), snapshot))
    assert "Likely response" not in points and "Relapse and remission" not in points
    assert points["Fit"].startswith("Outside the population")


def test_the_key_points_come_right_after_the_inputs_and_link_to_their_details(client, seeded):
    html = client.get(SCLE_PREGNANT).content.decode()
    assert html.index('class="inputs-used"') < html.index('class="key-points"') < html.index("<details")
    for anchor in ("applicability", "response", "relapse", "monitoring", "safety"):
        assert f'<a href="#{anchor}"' in html and f'<div id="{anchor}">' in html


@pytest.mark.browser
@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_key_points_are_on_the_first_screen(chromium, live_server, seeded_live, width, height):
    context = chromium.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.goto(live_server.url + SCLE_PREGNANT)
    box = tab.locator(".key-points").bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
    shown = tab.locator(".key-points").inner_text()
    for text in ("Matches the population", "58/59", "odds ratio 30", "Neurological monitoring", "birth defects",
                 "pregnancy prevention programme"):
        assert text in shown
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=ARTIFACTS / f"key-points-{width}x{height}.png")
    context.close()
