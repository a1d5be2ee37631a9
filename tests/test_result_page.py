"""The result page through the Django test client, on the seed evidence."""

import re

import pytest

from tests.support import page_text

LABEL = "Informational, not a prescribing tool"


@pytest.fixture
def result(client, seeded):
    def get(**params):
        params = {"subtype": "scle", "antimalarial_status": "refractory", **params}
        response = client.get("/result/", params)
        assert response.status_code == 200
        return page_text(response)

    return get


def test_form_page_asks_for_features_and_no_identifier(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert LABEL in page_text(response)
    asked = set(re.findall(r'<input[^>]* name="([^"]+)"', html))
    assert asked == {
        "subtype", "antimalarial_status", "can_become_pregnant", "neuropathy", "smoker", "thrombosis_risk",
        "daily_dose_mg", "months_on_thalidomide", "snap_baseline_uv", "snap_now_uv",
    }
    assert 'method="get"' in html


def test_scle_refractory_page_shows_every_headline_figure_with_its_source(result):
    text = result()
    for figure in [
        "58/59 (98%)",
        "50/59 (85%)",
        "noticeable already 2 weeks",
        "70% of patients like those in Cortés-Hernández et al. 2012, usually about 5 months after thalidomide was "
        "stopped or its dose reduced",
        "odds ratio 30 (95% CI 5.82 to 154.63), against the study's patients with other subtypes",
        "11/60 (18%)",
        "sensory polyneuropathy in 5 of the 11",
        "12 months (range 6 to 18 months)",
    ]:
        assert figure in text
    assert "median 12 months" not in text
    assert "PMID 21999437" in text
    assert "DOI 10.1111/j.1365-2133.2011.10693.x" in text
    assert "Certainty: low" in text and "Certainty: very low" in text


def test_sources_link_to_pubmed_and_doi(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/21999437/"' in html
    assert 'href="https://doi.org/10.1111/j.1365-2133.2011.10693.x"' in html


def test_page_names_the_inputs_used_and_the_evidence_version(result):
    text = result(smoker="on")
    assert "Inputs used CLE subtype Subacute CLE (SCLE) Antimalarial treatment Refractory after an adequate trial" in text
    assert "Smokes Yes" in text
    assert "Evidence version v1 (sha " in text


def test_dle_patient_sees_relapse_odds_ratio(result):
    text = result(subtype="dle")
    assert (
        "Discoid LE (DLE) may be associated with relapse: odds ratio 5.71 (95% CI 1.36 to 24.06), against the study's "
        "patients with other subtypes (Cortés-Hernández et al. 2012), but the evidence is very uncertain." in text
    )
    assert "Subacute CLE (SCLE) may be associated with" not in text and "5.82" not in text


@pytest.mark.parametrize("subtype", ["tumidus", "chilblain"])
def test_tumidus_and_chilblain_are_told_the_study_has_no_subtype_estimate_and_see_no_odds_ratio(result, subtype):
    text = result(subtype=subtype)
    assert "gives no estimate of relapse or remission for" in text
    assert "The abstract of Cortés-Hernández et al. 2012 gives no estimate for" in text
    assert "5.71" not in text and "5.82" not in text and "odds ratio 30" not in text


def test_patient_who_has_not_tried_antimalarials_sees_safety_but_no_efficacy_figures(result):
    text = result(antimalarial_status="not_tried")
    assert "enrolled only patients whose CLE had resisted antimalarials" in text
    assert "58/59" not in text
    assert "Likely response" not in text
    assert "birth defects" in text and "thromboembolism" in text and "peripheral neuropathy" in text


def test_patient_who_can_become_pregnant_sees_the_prevention_programme(result):
    text = result(can_become_pregnant="on")
    assert "This patient can become pregnant" in text
    assert "pregnancy prevention programme" in text
    assert "THALOMID" in text


def test_smoker_sees_the_two_ischaemic_events(result):
    text = result(smoker="on")
    assert "This patient smokes. Cerebral ischaemic events may occur in 2/60 (3%)" in text


@pytest.mark.parametrize("path", ["/", "/result/?subtype=scle&antimalarial_status=refractory", "/result/", "/nowhere/"])
def test_every_page_carries_the_informational_label(client, seeded, path):
    assert LABEL in page_text(client.get(path))


def test_every_statement_carries_a_certainty_badge_and_numbered_links_to_the_reference_list(client, seeded):
    html = client.get("/result/", {"subtype": "dle", "antimalarial_status": "refractory", "smoker": "on"}).content.decode()
    statements = re.findall(r'<ul class="statements">(.*?)</ul>', html, re.S)
    items = [li for block in statements for li in re.findall(r"<li[^>]*>(.*?)</li>", block, re.S)]
    assert len(items) > 40
    references = set(re.findall(r'<li id="(r\d+)">', html))
    for item in items:
        assert re.search(r'<span class="c-(high|moderate|low|very_low|consensus|regulatory)">', item), item
        links = re.findall(r'<a class="cite" href="#(r\d+)">', item)
        assert links and set(links) <= references, item
    assert {"low", "very_low", "consensus", "regulatory"} <= set(re.findall(r'class="c-(\w+)"', html))


def test_no_citation_line_is_repeated_under_the_statements(client, seeded):
    html = client.get("/result/", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    for section in re.findall(r'<details class="section.*?</details>', html, re.S):
        assert section.count("PMID") == 0 and section.count("doi.org") == 0
    references = html.split('id="sources-heading"')[1]
    assert references.count("PMID 21999437") == 1
