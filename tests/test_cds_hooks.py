"""The CDS Hooks 2.0 service, driven with requests shaped like the specification's examples."""

import json
import uuid

import pytest

from cledss.interop.models import CardFeedback

LABEL = "Informational, not a prescribing tool"
SNOMED = "http://snomed.info/sct"
PATIENT_VIEW = "/cds-services/cledss-thalidomide-patient-view"
ORDER_SELECT = "/cds-services/cledss-thalidomide-order-select"


def condition(code, display, **extra):
    return {
        "resourceType": "Condition",
        "id": f"c-{code}",
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
        "code": {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": display},
        "subject": {"reference": "Patient/1288992"},
        **extra,
    }


def observation(code, value, **extra):
    return {"resourceType": "Observation", "id": f"o-{len(json.dumps(code))}", "status": "final", "code": code, **value, **extra}


def searchset(*resources):
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


SCLE = condition("239891002", "Subacute cutaneous lupus erythematosus")
DLE = condition("200938002", "Discoid lupus erythematosus")
CLE_WITHOUT_SUBTYPE = condition("7119001", "Cutaneous lupus erythematosus")
REFRACTORY = observation(
    {"coding": [{"system": "urn:cledss:observation", "code": "antimalarial-status"}]},
    {"valueCodeableConcept": {"coding": [{"system": "urn:cledss:antimalarial-status", "code": "refractory"}]}},
)
CAN_BECOME_PREGNANT = observation({"text": "Childbearing potential"}, {"valueBoolean": True})
DAILY_SMOKER = observation(
    {"coding": [{"system": "http://loinc.org", "code": "72166-2", "display": "Tobacco smoking status"}]},
    {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "449868002", "display": "Smokes tobacco daily"}]}},
)


def patient_view(*resources, prefetch=True):
    """The specification's patient-view example request, with cledss's prefetch keys."""
    body = {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "http://hooks.smarthealthit.org:9080",
        "hook": "patient-view",
        "context": {"userId": "Practitioner/example", "patientId": "1288992", "encounterId": "89284"},
    }
    if prefetch:
        conditions = [r for r in resources if r["resourceType"] == "Condition"]
        observations = [r for r in resources if r["resourceType"] == "Observation"]
        body["prefetch"] = {"conditions": searchset(*conditions), "observations": searchset(*observations), "medications": None}
    return body


def order_select(*resources, medication="Thalidomide 50 MG Oral Capsule"):
    """The specification's order-select example: one selected MedicationRequest among the draft orders."""
    body = patient_view(*resources)
    body["hook"] = "order-select"
    body["context"]["userId"] = "PractitionerRole/123"
    body["context"]["selections"] = ["MedicationRequest/ex-MR-order-123"]
    body["context"]["draftOrders"] = {
        "resourceType": "Bundle",
        "entry": [
            {
                "resource": {
                    "resourceType": "MedicationRequest",
                    "id": "ex-MR-order-123",
                    "status": "draft",
                    "intent": "order",
                    "medicationCodeableConcept": {"text": medication, "coding": [{"display": medication}]},
                    "subject": {"reference": "Patient/1288992"},
                }
            },
            {
                "resource": {
                    "resourceType": "MedicationRequest",
                    "id": "ex-MR-order-456",
                    "status": "draft",
                    "intent": "order",
                    "medicationCodeableConcept": {"text": "Paracetamol 500 MG Oral Tablet"},
                }
            },
        ],
    }
    return body


@pytest.fixture
def call(client, seeded):
    def post(url, body, expected_status=200):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        response = client.post(url, data, content_type="application/json")
        assert response.status_code == expected_status, response.content
        assert response["X-Cledss-Label"] == LABEL
        return response.json()

    return post


def assert_well_formed(card):
    uuid.UUID(card["uuid"])
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"] and card["source"]["url"].startswith("http://testserver/")
    assert LABEL in card["detail"].strip().splitlines()[-1]
    assert "suggestions" not in card and "selectionBehavior" not in card
    for link in card["links"]:
        assert link["type"] == "absolute" and link["url"].startswith("http://testserver/")


def test_discovery_lists_both_services_with_their_prefetch(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert {s["hook"] for s in services.values()} == {"patient-view", "order-select"}
    for service in services.values():
        assert service["title"] and LABEL in service["description"]
        assert service["prefetch"]["conditions"] == "Condition?patient={{context.patientId}}"
        assert service["prefetch"]["observations"] == "Observation?patient={{context.patientId}}"


def test_scle_patient_gets_a_safety_card_then_an_evidence_card_with_the_studys_figures(call):
    body = call(PATIENT_VIEW, patient_view(SCLE, REFRACTORY))
    assert "systemActions" not in body
    safety, evidence = body["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): matches the study population"
    assert evidence["indicator"] == "info"
    assert "58/59 (98%)" in evidence["detail"]
    assert "odds ratio 30 (95% CI 5.82 to 154.63), against the study's patients with other subtypes" in evidence["detail"]
    assert "PMID 21999437" in evidence["detail"] and "*Certainty: very low.*" in evidence["detail"]
    assert evidence["links"][0]["label"] == "Full evidence summary"
    assert evidence["links"][0]["url"] == "http://testserver/result/?subtype=scle&antimalarial_status=refractory"
    assert safety["indicator"] == "warning"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert "11/60 (18%)" in safety["detail"]
    assert "Conflicting evidence, cumulative dose" in safety["detail"]


def test_card_links_open_the_same_assessment_on_the_result_page(call, client):
    evidence = call(PATIENT_VIEW, patient_view(SCLE, REFRACTORY, DAILY_SMOKER))["cards"][1]
    url = evidence["links"][0]["url"].removeprefix("http://testserver")
    assert url == "/result/?subtype=scle&antimalarial_status=refractory&smoker=on"
    assert client.get(url).status_code == 200


def test_dle_patient_who_can_become_pregnant_gets_a_critical_birth_defect_card_first(call):
    safety, evidence = call(ORDER_SELECT, order_select(DLE, REFRACTORY, CAN_BECOME_PREGNANT))["cards"]
    assert evidence["summary"] == "Thalidomide evidence, Discoid LE (DLE): matches the study population"
    assert "odds ratio 5.71 (95% CI 1.36 to 24.06)" in evidence["detail"]
    assert safety["indicator"] == "critical"
    assert safety["summary"] == (
        "This patient can become pregnant: thalidomide causes severe birth defects (pregnancy prevention programme)"
    )
    assert "This patient can become pregnant." in safety["detail"]
    assert "can_become_pregnant=on" in safety["links"][0]["url"]


def test_existing_neuropathy_makes_the_safety_card_critical(call):
    neuropathy = condition("000000", "Peripheral sensory neuropathy")
    safety = call(PATIENT_VIEW, patient_view(SCLE, REFRACTORY, neuropathy))["cards"][0]
    assert safety["indicator"] == "critical"
    assert "This patient already has a peripheral neuropathy." in safety["detail"]


def test_unknown_antimalarial_history_gets_the_safety_evidence_but_no_response_figures(call):
    safety, evidence = call(PATIENT_VIEW, patient_view(SCLE))["cards"]
    assert_well_formed(evidence)
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): antimalarial history not on record"
    assert "58/59" not in evidence["detail"] and "odds ratio 30" not in evidence["detail"]
    assert evidence["links"][0] == {
        "label": "Enter the CLE subtype and antimalarial history on the cledss form",
        "url": "http://testserver/",
        "type": "absolute",
    }
    assert safety["indicator"] == "warning" and "birth defects" in safety["summary"]


def test_a_request_with_no_subtype_still_gets_the_birth_defect_card_first(call):
    body = call(ORDER_SELECT, order_select(CLE_WITHOUT_SUBTYPE, REFRACTORY))
    safety, evidence = body["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert safety["indicator"] == "warning"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert evidence["summary"] == "cledss could not read the CLE subtype from the record"
    assert "No CLE subtype is coded" in evidence["detail"]
    assert evidence["links"] == [
        {"label": "Enter the CLE subtype and antimalarial history on the cledss form", "url": "http://testserver/", "type": "absolute"}
    ]


NOT_TRIED = observation(
    {"coding": [{"system": "urn:cledss:observation", "code": "antimalarial-status"}]},
    {"valueCodeableConcept": {"coding": [{"system": "urn:cledss:antimalarial-status", "code": "not_tried"}]}},
)


@pytest.mark.parametrize(
    "medication",
    [
        {"text": "thalidomide"},
        {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "10432", "display": "x"}]},
    ],
)
def test_a_thalidomide_order_for_a_patient_who_has_not_tried_antimalarials_warns_of_birth_defects_first(call, medication):
    body = order_select(SCLE, NOT_TRIED)
    body["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"] = medication
    cards = call(ORDER_SELECT, body)["cards"]
    assert cards[0]["indicator"] == "warning"
    assert "birth defects" in cards[0]["summary"] and "pregnancy prevention programme" in cards[0]["summary"]
    assert "thromboembolism" in cards[0]["detail"] and "peripheral neuropathy" in cards[0]["detail"]
    assert "58/59" not in cards[1]["detail"]


def test_without_prefetch_cledss_does_not_fetch_and_says_it_cannot_read_the_subtype(call):
    safety, evidence = call(PATIENT_VIEW, patient_view(prefetch=False))["cards"]
    assert "birth defects" in safety["summary"]
    assert "carried no prefetched FHIR resources" in evidence["detail"]


def test_two_different_subtypes_are_not_guessed_between(call):
    safety, evidence = call(PATIENT_VIEW, patient_view(SCLE, DLE, REFRACTORY))["cards"]
    assert "More than one CLE subtype" in evidence["detail"]
    assert "odds ratio 30" not in evidence["detail"] and "odds ratio 5.71" not in evidence["detail"]


def test_patient_view_stays_silent_for_a_patient_without_lupus(call):
    asthma = condition("195967001", "Asthma")
    assert call(PATIENT_VIEW, patient_view(asthma))["cards"] == []


def test_order_select_stays_silent_unless_thalidomide_is_selected(call):
    body = order_select(SCLE, REFRACTORY, medication="Hydroxychloroquine 200 MG Oral Tablet")
    assert call(ORDER_SELECT, body)["cards"] == []


def test_cards_never_suggest_or_change_orders(call):
    body = call(ORDER_SELECT, order_select(SCLE, REFRACTORY, CAN_BECOME_PREGNANT))
    assert set(body) == {"cards"}
    for card in body["cards"]:
        assert set(card) == {"uuid", "summary", "detail", "indicator", "source", "links"}


def test_malformed_json_is_a_400_with_a_machine_readable_error(call):
    body = call(PATIENT_VIEW, '{"hook": "patient-view", ', expected_status=400)
    assert body == {"label": LABEL, "error": "malformed_json", "message": "The request body is not valid JSON."}


@pytest.mark.parametrize(
    "change",
    [
        lambda b: b.pop("context"),
        lambda b: b.update(hook="order-sign"),
        lambda b: b.update(hookInstance=7),
        lambda b: b.update(prefetch=[1, 2]),
        lambda b: b["context"].pop("patientId"),
    ],
)
def test_wrong_request_shapes_are_400s(call, change):
    body = patient_view(SCLE)
    change(body)
    assert call(PATIENT_VIEW, body, expected_status=400)["error"] == "invalid_request"


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "42"])
def test_json_that_is_not_an_object_is_a_400(call, body):
    assert call(PATIENT_VIEW, body, expected_status=400)["error"] == "invalid_request"


def test_odd_prefetch_contents_are_read_as_unknown_not_a_500(call):
    body = patient_view()
    body["prefetch"] = {"conditions": {"resourceType": "Bundle", "entry": [None, 3, {"resource": "x"}, {"resource": {"resourceType": "Condition", "code": [1]}}]}, "x": [None]}
    assert call(PATIENT_VIEW, body)["cards"] == []


def test_unknown_service_is_a_404_json(call):
    assert call("/cds-services/nothing-here", patient_view(SCLE), expected_status=404)["error"] == "unknown_service"


def test_services_answer_post_only(client):
    response = client.get(PATIENT_VIEW)
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_cors_preflight_is_answered_for_browser_based_ehr_clients(client):
    response = client.options(PATIENT_VIEW)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_feedback_is_recorded_without_patient_data(call):
    card = str(uuid.uuid4())
    body = {
        "feedback": [
            {"card": card, "outcome": "accepted", "outcomeTimestamp": "2026-11-25T20:00:00Z"},
            {
                "card": card,
                "outcome": "overridden",
                "overrideReason": {
                    "reason": {"code": "patient-preference", "system": "http://example.org/reasons"},
                    "userComment": "Patient Jane Doe prefers to wait",
                },
                "outcomeTimestamp": "2026-11-25T20:01:00Z",
            },
        ]
    }
    assert call(f"{PATIENT_VIEW}/feedback", body) == {"label": LABEL, "recorded": 2}
    rows = list(CardFeedback.objects.order_by("id").values("card", "service", "outcome", "override_reason"))
    assert rows == [
        {"card": uuid.UUID(card), "service": "cledss-thalidomide-patient-view", "outcome": "accepted", "override_reason": ""},
        {"card": uuid.UUID(card), "service": "cledss-thalidomide-patient-view", "outcome": "overridden", "override_reason": "patient-preference"},
    ]
    stored = json.dumps(list(CardFeedback.objects.values()), default=str)
    assert "Jane" not in stored and "1288992" not in stored


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"feedback": []},
        {"feedback": [{"card": "not-a-uuid", "outcome": "accepted"}]},
        {"feedback": [{"card": str(uuid.UUID(int=1)), "outcome": "ignored"}]},
        {"feedback": ["accepted"]},
    ],
)
def test_bad_feedback_is_a_400_and_records_nothing(call, body):
    assert call(f"{PATIENT_VIEW}/feedback", body, expected_status=400)["error"] == "invalid_feedback"
    assert not CardFeedback.objects.exists()


@pytest.mark.parametrize("code", ["\ud800", "a\x00b", "line\nbreak"])
def test_a_reason_code_that_is_not_printable_text_is_a_400_not_a_500(call, code):
    body = {"feedback": [{"card": str(uuid.uuid4()), "outcome": "overridden", "overrideReason": {"reason": {"code": code}}}]}
    response = call(f"{PATIENT_VIEW}/feedback", body, expected_status=400)
    assert response["message"] == "overrideReason.reason.code must be a short code."
    assert not CardFeedback.objects.exists()


def test_malformed_feedback_json_is_a_400(call):
    assert call(f"{ORDER_SELECT}/feedback", "{", expected_status=400)["error"] == "malformed_json"


def with_dosage(body, value, frequency=1):
    """The selected draft order with a dosage instruction: ``value`` mg, ``frequency`` times a day."""
    order = body["context"]["draftOrders"]["entry"][0]["resource"]
    order["dosageInstruction"] = [
        {
            "text": f"{value} mg {frequency} times daily",
            "timing": {"repeat": {"frequency": frequency, "period": 1, "periodUnit": "d"}},
            "doseAndRate": [{"doseQuantity": {"value": value, "unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}}],
        }
    ]
    return body


def test_an_order_for_200_mg_once_daily_places_the_dose_in_the_band_over_75_mg(call):
    body = with_dosage(order_select(SCLE, REFRACTORY, medication="Thalidomide 200 MG Oral Capsule"), 200)
    safety, evidence = call(ORDER_SELECT, body)["cards"]
    assert_well_formed(safety)
    assert "birth defects" in safety["summary"]  # the birth-defect risk still leads the card
    assert (
        "**Ordered daily dose:** 200 mg/day: over 75 mg/day, relative risk of neuropathy 20.2 against ≤ 50 mg/day "
        "(Bastuji-Garin et al. 2002)"
    ) in safety["detail"]
    assert "At 200 mg/day this patient is in the band over 75 mg/day of Bastuji-Garin et al. 2002" in safety["detail"]
    assert safety["links"][0]["url"].endswith("?subtype=scle&antimalarial_status=refractory&daily_dose_mg=200")


def test_an_order_for_50_mg_twice_daily_is_read_as_100_mg_a_day(call):
    safety, _ = call(ORDER_SELECT, with_dosage(order_select(SCLE, REFRACTORY), 50, frequency=2))["cards"]
    assert "**Ordered daily dose:** 100 mg/day: over 75 mg/day" in safety["detail"]


def test_an_order_without_a_readable_dose_says_so(call):
    safety, _ = call(ORDER_SELECT, order_select(SCLE, REFRACTORY))["cards"]
    assert (
        "cledss could not read a daily dose from the selected thalidomide order. The order does not carry exactly one "
        "dosage instruction."
    ) in safety["detail"]
    assert "this patient is in the band" not in safety["detail"]
    assert "daily_dose_mg" not in safety["links"][0]["url"]


def test_patient_view_says_nothing_about_an_ordered_dose(call):
    safety, _ = call(PATIENT_VIEW, patient_view(SCLE, REFRACTORY))["cards"]
    assert "Ordered daily dose" not in safety["detail"] and "could not read a daily dose" not in safety["detail"]
