"""Before calling CLE refractory: what studies report on why antimalarials fail, shown as findings."""

import pytest

from tests.support import page_text


def refractoriness(client, **params) -> str:
    html = client.get("/result/", {"subtype": "scle", **params}).content.decode()
    if 'id="refractoriness"' not in html:
        return ""
    return page_text(type("R", (), {"content": html.split('id="refractoriness"')[1].split("</details>")[0].encode()}))


@pytest.mark.parametrize("status", ["refractory", "intolerant"])
def test_a_refractory_or_intolerant_page_shows_blood_levels_and_a_raised_dose(client, seeded, status):
    text = refractoriness(client, antimalarial_status=status)
    assert "910 ng/mL in complete remission, 692 ng/mL in partial remission and 569 ng/mL" in text
    assert "30/300 (10%)" in text and "Francès et al. 2012" in text
    assert "26/32 (81%)" in text and "Chasset et al. 2016" in text


def test_a_smokers_refractory_page_highlights_the_smoking_odds_ratio(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory", "smoker": "on"}).content.decode()
    part = html.split('id="refractoriness"')[1]
    item = next(li for li in part.split("<li")[1:] if "0.53" in li)
    assert item.startswith(' class="s-warning">This patient smokes.')
    assert "Chasset et al. 2015" in item


@pytest.mark.parametrize("status", ["not_tried", "responding"])
def test_a_patient_not_called_refractory_gets_no_such_subsection(client, seeded, status):
    assert refractoriness(client, antimalarial_status=status) == ""


def test_the_subtypes_own_antimalarial_response_is_given_where_the_meta_analysis_has_one(client, seeded):
    text = page_text(client.get("/result/", {"subtype": "acle", "antimalarial_status": "refractory"}))
    assert "91% (95% CI 87% to 93%)" in text
