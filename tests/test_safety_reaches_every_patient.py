"""The label's safety facts reach every patient on every surface; being outside the study hides efficacy only.

All 56 combinations of subtype (7), antimalarial status (4) and pregnancy potential (2): the result
page, the API answer and the patient-view CDS cards each carry the birth-defect risk with the
pregnancy prevention programme, the thromboembolism warning and the peripheral neuropathy warning.
The PDF is the result page's own HTML laid out for paper (1 to 2 s each), so it is checked for a
set of eight patients in which every subtype, every antimalarial status and both pregnancy values
appear.
"""

import itertools
import json

import pytest

from cledss.clinical.features import AntimalarialStatus, Subtype
from tests.support import page_text, pdf_pages

SAFETY = ("birth defects", "pregnancy prevention programme", "venous thromboembolism", "lists peripheral neuropathy")
COMBINATIONS = list(itertools.product(Subtype, AntimalarialStatus, (False, True)))
STATUSES = list(AntimalarialStatus)
ON_PAPER = [(subtype, STATUSES[n % len(STATUSES)], n % 2 == 0) for n, subtype in enumerate(Subtype)] + [
    (Subtype.SCLE, STATUSES[-1], True)
]

# How an EHR record names each subtype; "other" is cutaneous lupus without a readable subtype.
CONDITION_TEXT = {
    Subtype.ACLE: "Acute cutaneous lupus erythematosus",
    Subtype.SCLE: "Subacute cutaneous lupus erythematosus",
    Subtype.DLE: "Discoid lupus erythematosus",
    Subtype.PROFUNDUS: "Lupus erythematosus profundus",
    Subtype.TUMIDUS: "Lupus erythematosus tumidus",
    Subtype.CHILBLAIN: "Chilblain lupus erythematosus",
    Subtype.OTHER: "Cutaneous lupus erythematosus",
}


def patient_view(subtype, pregnant) -> dict:
    condition = {"resourceType": "Condition", "code": {"text": CONDITION_TEXT[subtype]}}
    observations = []
    if pregnant:  # pregnancy intention (LOINC 86645-9) recorded: the patient can become pregnant
        observations.append({
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "86645-9"}]},
            "valueCodeableConcept": {"text": "Wants to become pregnant"},
        })
    bundle = lambda resources: {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}  # noqa: E731
    return {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
        "prefetch": {"conditions": bundle([condition]), "observations": bundle(observations), "medicationRequests": None},
    }


def assert_safety_in(text: str, where: str) -> None:
    missing = [point for point in SAFETY if point not in text]
    assert not missing, f"{where} lacks {missing}"


@pytest.mark.parametrize("subtype, status, pregnant", COMBINATIONS, ids=[f"{s}-{a}-{'p' if p else 'np'}" for s, a, p in COMBINATIONS])
def test_every_patient_gets_the_labels_safety_facts_everywhere(client, seeded, ehr, subtype, status, pregnant):
    query = {"subtype": subtype.value, "antimalarial_status": status.value, **({"can_become_pregnant": "on"} if pregnant else {})}
    assert_safety_in(page_text(client.get("/result/", query)), "page")
    api = client.get("/api/assessment", {**query, "can_become_pregnant": str(pregnant).lower()})
    assert api.status_code == 200
    assert_safety_in(json.dumps(api.json()), "API")
    # The record carries no antimalarial status (an EHR has none to send): the card goes out all the same.
    path = "/cds-services/cledss-thalidomide-patient-view"
    cards = client.post(path, json.dumps(patient_view(subtype, pregnant)), content_type="application/json", **ehr.headers(path)).json()["cards"]
    # A chart opened without thalidomide on record gets one info card (issue 35), the label's facts in short forms.
    [card] = cards
    short_forms = ("birth defects", "pregnancy prevention programme", "venous thromboembolism",
                   "peripheral neuropathy is a label warning")
    assert all(point in card["detail"] + card["summary"] for point in short_forms) and card["indicator"] == "info"


def test_the_pdfs_patients_cover_every_subtype_status_and_pregnancy_value():
    assert {s for s, _, _ in ON_PAPER} == set(Subtype)
    assert {a for _, a, _ in ON_PAPER} == set(AntimalarialStatus)
    assert {p for _, _, p in ON_PAPER} == {False, True}


@pytest.mark.parametrize("subtype, status, pregnant", ON_PAPER, ids=[f"{s}-{a}-{'p' if p else 'np'}" for s, a, p in ON_PAPER])
def test_the_pdf_carries_the_labels_safety_facts(made_pdf, subtype, status, pregnant):
    query = {"subtype": subtype.value, "antimalarial_status": status.value, **({"can_become_pregnant": "on"} if pregnant else {})}
    assert_safety_in(" ".join(pdf_pages(made_pdf("/result/pdf/", query))), "PDF")


@pytest.mark.parametrize("status", ["not_tried", "responding"])
def test_outside_the_population_hides_the_studys_efficacy_figures_only(client, seeded, status):
    text = page_text(client.get("/result/", {"subtype": "scle", "antimalarial_status": status}))
    assert "58/59" not in text and "50/59" not in text and "odds ratio 30" not in text
    assert "11/60 (18%)" in text and "2/60" in text
