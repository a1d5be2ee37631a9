"""Neuropathy as screening finds it, for every patient, on every surface.

The primary study reported nerve conduction only for the 11 patients with paraesthesia (neuropathy confirmed in
5 of them); the cohorts that tested every patient's nerves found it in 10/14 (Briani), 12/20 (Yuki, two thirds of
them without symptoms) and 13/48 (Cuadrado). Neuropathy is a safety matter, so all 56 combinations of subtype (7),
antimalarial status (4) and pregnancy potential (2), inside the study's population or not, get both on the result
page, in the API, in the key points and in the CDS safety card; the PDFs for the eight patients of the safety test
that cover every subtype, status and pregnancy value. The daily dose is placed in the bands Bastuji-Garin defined, the
chart and the sentence naming the same one.
"""

import json
import re
from html import unescape

import pytest

from tests.support import page_text, pdf_pages
from tests.test_safety_reaches_every_patient import COMBINATIONS, ON_PAPER, patient_view

# Each cohort that tested everyone: its name, its figure, and how its reference is identified.
SCREENED = {
    "briani-2005": ("Briani et al. 2005", "10/14 (71.4%)", "PMID 16373260"),
    "yuki-2021": ("Yuki et al. 2021", "12/20 (60%)", "DOI 10.1177/0961203321998433"),
    "cuadrado-2005": ("Cuadrado et al. 2005", "13/48 (27%)", "PMID 15745722"),
}
FIGURES = {key: f"{figure} of patients like those in {study}" for key, (study, figure, _) in SCREENED.items()}
TESTED_EVERYONE = "a cohort that tested every patient's nerves, with or without symptoms"
TWO_THIRDS_WITHOUT_SYMPTOMS = "two thirds of those affected had no symptoms"
SYMPTOM_LED = "reported for the 11 patients with paraesthesia, confirmed a sensory polyneuropathy in 5 of the 11"
RESOLVED = "neurological symptoms resolved in 12 months (range 6 to 18 months) after thalidomide was withdrawn"
IDS = [f"{s}-{a}-{'p' if p else 'np'}" for s, a, p in COMBINATIONS]
SCLE = {"subtype": "scle", "antimalarial_status": "refractory"}


def query(subtype, status, pregnant) -> dict:
    return {"subtype": subtype.value, "antimalarial_status": status.value, **({"can_become_pregnant": "on"} if pregnant else {})}


def visible(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def monitoring_section(html: str) -> str:
    return html.split('id="monitoring-heading"')[1].split("</section>")[0]


def cited_reference(section: str, html: str, figure: str) -> str:
    """The reference-list entry the statement with ``figure`` cites by number."""
    item = next(li for li in re.findall(r"<li[^>]*>.*?</li>", section, flags=re.S) if figure in visible(li))
    [number] = re.findall(r'href="#(r\d+)"', item)
    return visible(re.search(rf'id="{number}".*?</li>', html, flags=re.S).group(0))


def assert_screened_in(text: str, where: str) -> None:
    for figure in FIGURES.values():
        assert figure in text, f"{where} lacks {figure}"
    assert TWO_THIRDS_WITHOUT_SYMPTOMS in text and SYMPTOM_LED in text, where
    assert text.count(TESTED_EVERYONE) >= len(SCREENED), where


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=IDS)
def test_every_patients_neuropathy_section_sets_the_screened_cohorts_beside_the_symptom_led_figure(
    client, seeded, subtype, status, pregnant
):
    html = client.get("/result/", query(subtype, status, pregnant)).content.decode()
    section = monitoring_section(html)
    text = visible(section)
    assert_screened_in(text, "neuropathy section")
    # The primary study's symptom-led figure comes first, the cohorts that tested everyone right after it.
    assert text.index(SYMPTOM_LED) < min(text.index(figure) for figure in FIGURES.values())
    for key, figure in FIGURES.items():
        assert SCREENED[key][2] in cited_reference(section, html, figure), figure
        sentence = next(li for li in re.findall(r"<li[^>]*>.*?</li>", section, flags=re.S) if figure in visible(li))
        assert "Certainty: low" in visible(sentence)


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=IDS)
def test_every_patients_api_answer_carries_each_screened_cohort_with_its_finding_source_and_certainty(
    client, seeded, subtype, status, pregnant
):
    answer = client.get("/api/assessment", {**query(subtype, status, pregnant), "can_become_pregnant": str(pregnant).lower()})
    assert answer.status_code == 200
    monitoring = next(s for s in answer.json()["sections"] if s["key"] == "monitoring")
    for key, figure in FIGURES.items():
        [statement] = [s for s in monitoring["statements"] if figure in s["text"]]
        assert statement["sources"] == [key] and statement["certainty"] == "low"
        assert [(f["source_key"], f["outcome"]) for f in statement["findings"]] == [(key, "neuropathy_confirmed")]


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=IDS)
def test_every_patients_cds_safety_card_details_the_screened_cohorts_with_their_sources(
    client, seeded, ehr, subtype, status, pregnant
):
    # The safety card goes out when thalidomide is ordered (issue 35); like every card it carries the key points'
    # short forms, each cited by number to its source.
    path = "/cds-services/cledss-thalidomide-order-select"
    body = patient_view(subtype, pregnant) | {"hook": "order-select"}
    order = {"resourceType": "MedicationRequest", "id": "t", "medicationCodeableConcept": {"text": "Thalidomide"}}
    orders = {"resourceType": "Bundle", "entry": [{"resource": order}]}
    body["context"] |= {"selections": ["MedicationRequest/t"], "draftOrders": orders}
    [safety, *_] = client.post(path, json.dumps(body), content_type="application/json", **ehr.headers(path)).json()["cards"]
    detail = safety["detail"].replace("\\", "")  # Markdown escapes dropped
    assert "neuropathy confirmed in 5/11 (45%) of those with paraesthesia" in detail
    for study, figure, identifier in SCREENED.values():
        short_form = rf"neuropathy in {re.escape(figure)} with every patient's nerves tested \({study}\)"
        cited = re.search(rf"{short_form} \[(\d+), low\]", detail)
        assert cited and f"[{cited.group(1)}] {identifier}" in detail.split("**Sources:**")[1], study


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=IDS)
def test_every_patients_key_points_set_the_screened_cohorts_beside_the_symptom_led_figure(
    client, seeded, subtype, status, pregnant
):
    answer = client.get("/api/assessment", {**query(subtype, status, pregnant), "can_become_pregnant": str(pregnant).lower()})
    [monitoring] = [p["points"] for p in answer.json()["key_points"] if p["topic"] == "Neurological monitoring"]
    lines = [point["text"] for point in monitoring]
    symptom_led = next(n for n, line in enumerate(lines) if line.startswith("neuropathy confirmed in 5/11 (45%)"))
    assert lines[symptom_led + 1:symptom_led + 4] == [
        f"neuropathy in {figure} with every patient's nerves tested ({study})"
        for study, figure, _ in sorted(SCREENED.values(), key=lambda cohort: cohort[0])
    ]


@pytest.mark.parametrize("subtype, status, pregnant", ON_PAPER, ids=[f"{s}-{a}-{'p' if p else 'np'}" for s, a, p in ON_PAPER])
def test_both_pdfs_carry_the_screened_cohorts(made_pdf, subtype, status, pregnant):
    summary = " ".join(pdf_pages(made_pdf("/result/pdf/", query(subtype, status, pregnant))))
    for study, figure, _ in SCREENED.values():
        assert f"neuropathy in {figure} with every patient's nerves tested ({study})" in summary, study
    assert "neuropathy confirmed in 5/11 (45%) of those with paraesthesia" in summary
    full = " ".join(pdf_pages(made_pdf("/result/full-evidence/pdf/", query(subtype, status, pregnant))))
    assert_screened_in(full.replace("- ", ""), "full evidence PDF")  # words hyphenated at a line's end, joined


@pytest.mark.parametrize("path", ["/result/", "/result/pdf/", "/api/assessment", "/result/handout/"])
def test_resolution_is_quoted_as_the_study_observed_it_and_may_resolve_within_appears_nowhere(client, made_pdf, path):
    response = (made_pdf if path.endswith("pdf/") else client.get)(path, SCLE)
    text = " ".join(pdf_pages(response)) if path.endswith("pdf/") else page_text(response)
    assert "may resolve within" not in text and "resolve within" not in text
    if path in ("/result/", "/api/assessment"):  # the summary PDF and the handout carry no resolution time
        assert RESOLVED in text


def test_the_25_mg_patients_chart_and_statement_name_the_same_band(client, seeded):
    html = client.get("/result/", {**SCLE, "daily_dose_mg": "25"}).content.decode()
    section = monitoring_section(html)
    marked = re.search(r'<g class="dose-row dose-row-highlighted">\s*<text[^>]*>([^<]+)</text>', section).group(1)
    assert marked == "up to 50 mg/day"
    text = visible(section)
    assert "At 25 mg/day this patient is in the reference band of Bastuji-Garin et al. 2002" in text
    assert f"(135 patients; neuropathy in 25.2% of them), {marked};" in text
    assert "This patient's 25 mg/day is in the band up to 50 mg/day." in text
    assert "band up to 25 mg/day" not in text
    # "None at 25 mg/day or less" is told as an observation beside the band, not as one.
    assert ("Apart from its bands, Bastuji-Garin et al. 2002 made an observation that covers this patient's 25 mg/day: "
            "Bastuji-Garin et al. saw no neuropathy at a daily dose of 25 mg or less.") in text


def test_20_mg_a_day_is_accepted_by_the_page_the_pdf_and_the_api(client, seeded):
    page = client.get("/result/", {**SCLE, "daily_dose_mg": "20"})
    assert page.status_code == 200
    text = page_text(page)
    assert "Daily thalidomide dose 20 mg/day" in text
    assert "At 20 mg/day this patient is in the reference band of Bastuji-Garin et al. 2002" in text
    assert client.get("/result/pdf/", {**SCLE, "daily_dose_mg": "20"}).status_code == 200
    assert client.get("/api/assessment", {**SCLE, "daily_dose_mg": "20"}).json()["inputs"]["daily_dose_mg"] == 20


@pytest.mark.parametrize("path", ["/result/", "/api/assessment"])
def test_400_mg_a_day_is_set_beside_the_100_mg_or_less_the_cle_cohorts_used(client, seeded, path):
    response = client.get(path, {**SCLE, "daily_dose_mg": "400"})
    text = page_text(response) if path == "/result/" else json.dumps(response.json(), ensure_ascii=False)
    assert ("At 400 mg/day this patient's daily dose is above those of the CLE cohorts: the cohorts that give their "
            "daily dose used 100 mg/day or less (Cortés-Hernández et al. 2012: Thalidomide 100 mg/day;") in text
    assert "Ordi-Ros et al. 2000: Thalidomide 100 mg/day, then 50-25 mg/day" in text


def test_the_cohorts_doses_are_cited_in_the_reference_list(client, seeded):
    html = client.get("/result/", {**SCLE, "daily_dose_mg": "400"}).content.decode()
    section = monitoring_section(html)
    item = next(li for li in re.findall(r"<li[^>]*>.*?</li>", section, flags=re.S) if "CLE cohorts" in visible(li))
    cited = {visible(re.search(rf'id="{n}".*?</li>', html, flags=re.S).group(0)) for n in re.findall(r'href="#(r\d+)"', item)}
    for identifier in ("PMID 21999437", "PMID 15745722", "PMID 12533164", "PMID 10852265"):
        assert any(identifier in reference for reference in cited), identifier
