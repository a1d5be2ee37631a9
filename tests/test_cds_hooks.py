"""The CDS Hooks 2.0 service, driven with authenticated requests shaped like the specification's examples.

(How the calls are authenticated is in test_cds_hooks_trust.py.)"""

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
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
PREGNANT = observation(
    {"coding": [{"system": LOINC, "code": "82810-3", "display": "Pregnancy status"}]},
    {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}]}},
)
WANTS_PREGNANCY = observation(
    {"coding": [{"system": LOINC, "code": "86645-9", "display": "Pregnancy intention"}]},
    {"valueCodeableConcept": {"text": "Would like to become pregnant"}},
)


def medication_request(code, display, status="active"):
    return {
        "resourceType": "MedicationRequest",
        "id": f"mr-{code}",
        "status": status,
        "intent": "order",
        "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": code, "display": display}]},
    }


STOPPED_HYDROXYCHLOROQUINE = medication_request("5521", "Hydroxychloroquine", status="stopped")
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
        of = lambda kind: searchset(*(r for r in resources if r["resourceType"] == kind))  # noqa: E731
        body["prefetch"] = {
            "conditions": of("Condition"),
            "observations": of("Observation"),
            "medicationRequests": of("MedicationRequest"),
            "medications": None,
        }
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
def call(client, seeded, ehr):
    def post(url, body, expected_status=200):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        response = client.post(url, data, content_type="application/json", **ehr.headers(url))
        assert response.status_code == expected_status, response.content
        assert response["X-Cledss-Label"] == LABEL
        return response.json()

    return post


def assert_well_formed(card):
    uuid.UUID(card["uuid"])
    assert 0 < len(card["summary"]) < 140
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"] and card["source"]["url"].startswith("http://testserver/")
    assert card["source"]["topic"]["system"] == "urn:cledss:cds-card-topic" and card["source"]["topic"]["display"]
    assert LABEL in card["detail"].strip().splitlines()[-1]
    assert "suggestions" not in card and "selectionBehavior" not in card
    for link in card["links"]:
        assert link["type"] == "absolute" and link["url"].startswith("http://testserver/")


def test_discovery_lists_both_services_with_their_prefetch(client, db, ehr):
    response = client.get("/cds-services", **ehr.headers("/cds-services"))
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert {s["hook"] for s in services.values()} == {"patient-view", "order-select"}
    for service in services.values():
        assert service["title"] and LABEL in service["description"]
        assert service["prefetch"] == {
            "conditions": "Condition?patient={{context.patientId}}",
            "observations": "Observation?patient={{context.patientId}}&code=http://loinc.org|72166-2,"
            "http://loinc.org|82810-3,http://loinc.org|86645-9",
            "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
            "medications": "MedicationStatement?patient={{context.patientId}}",
        }


def test_a_stopped_hydroxychloroquine_is_named_and_refractoriness_is_asked_on_a_prefilled_form(call, client):
    body = call(PATIENT_VIEW, patient_view(SCLE, STOPPED_HYDROXYCHLOROQUINE))
    assert "systemActions" not in body
    safety, evidence = body["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert evidence["summary"] == (
        "Thalidomide evidence, Subacute CLE (SCLE): hydroxychloroquine on record, refractoriness not recorded"
    )
    assert "The record shows hydroxychloroquine" in evidence["detail"]
    assert "shows it was tried, not that the CLE resisted it" in evidence["detail"]
    assert "The cledss form asks whether it did" in evidence["detail"]
    assert "58/59" not in evidence["detail"] and "odds ratio 30" not in evidence["detail"]
    assert evidence["links"] == [
        {"label": "cledss form, filled in from the record", "url": "http://testserver/?subtype=scle", "type": "absolute"}
    ]
    form = client.get("/?subtype=scle").content.decode()
    assert 'value="scle"  id="id_subtype_1" required checked' in form
    assert safety["indicator"] == "warning" and safety["source"]["topic"]["code"] == "thalidomide-safety"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert "11/60 (18%)" in safety["detail"] and "PMID 21999437" in safety["detail"]
    assert "Conflicting evidence, cumulative dose" in safety["detail"]


@pytest.mark.parametrize(
    "medication, named",
    [
        (medication_request("979092", "Hydroxychloroquine Sulfate 200 MG Oral Tablet"), "hydroxychloroquine"),
        ({"resourceType": "MedicationStatement", "status": "completed", "medicationCodeableConcept": {"text": "Plaquenil"}},
         "hydroxychloroquine"),
        ({"resourceType": "MedicationRequest", "status": "completed", "medicationCodeableConcept": {"text": "Chloroquine phosphate"}},
         "chloroquine"),
        ({"resourceType": "MedicationRequest", "status": "stopped", "medicationCodeableConcept": {"text": "Mepacrine 100 mg"}},
         "quinacrine (mepacrine)"),
    ],
)
def test_each_antimalarial_is_read_by_code_or_name(call, medication, named):
    body = patient_view(SCLE)
    body["prefetch"]["medications" if medication["resourceType"] == "MedicationStatement" else "medicationRequests"] = medication
    evidence = call(PATIENT_VIEW, body)["cards"][1]
    assert f": {named} on record, refractoriness not recorded" in evidence["summary"]


def test_an_antimalarial_ordered_in_error_is_not_read_as_tried(call):
    entered_in_error = medication_request("5521", "Hydroxychloroquine", status="entered-in-error")
    evidence = call(PATIENT_VIEW, patient_view(SCLE, entered_in_error))["cards"][1]
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): antimalarial history not recorded"


def test_no_antimalarial_in_the_record_means_not_recorded_not_not_tried(call):
    safety, evidence = call(PATIENT_VIEW, patient_view(SCLE, DAILY_SMOKER))["cards"]
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): antimalarial history not recorded"
    assert "that does not show none was tried" in evidence["detail"]
    assert evidence["links"][0]["url"] == "http://testserver/?subtype=scle&smoker=on"
    assert safety["links"] == evidence["links"]


def test_a_thalidomide_order_for_a_pregnant_patient_gets_a_critical_card_first(call):
    cards = call(ORDER_SELECT, order_select(DLE, PREGNANT))["cards"]
    safety = cards[0]
    assert safety["indicator"] == "critical"
    assert safety["summary"] == (
        "Pregnancy on record: thalidomide causes severe birth defects (pregnancy prevention programme)"
    )
    assert safety["detail"].startswith("**Pregnancy on record:** the record's pregnancy status (LOINC 82810-3) is pregnant.")
    assert "can_become_pregnant=on" in safety["links"][0]["url"]


def test_a_pregnancy_intention_reads_as_able_to_become_pregnant(call):
    safety = call(ORDER_SELECT, order_select(DLE, WANTS_PREGNANCY))["cards"][0]
    assert safety["indicator"] == "critical"
    assert safety["summary"] == (
        "This patient can become pregnant: thalidomide causes severe birth defects (pregnancy prevention programme)"
    )
    assert "Pregnancy on record" not in safety["detail"]


def test_order_select_warning_cards_offer_override_reasons_that_feedback_accepts(call):
    safety, evidence = call(ORDER_SELECT, order_select(SCLE))["cards"]
    assert safety["indicator"] == "warning"
    reasons = safety["overrideReasons"]
    assert reasons and all(r["system"] == "urn:cledss:cds-override-reason" and r["code"] and r["display"] for r in reasons)
    assert "overrideReasons" not in evidence  # an info card asks for no reason
    chosen = {"reason": reasons[0], "userComment": "Discussed with Ms Example"}
    feedback = {"card": safety["uuid"], "outcome": "overridden", "overrideReason": chosen, "outcomeTimestamp": "2026-11-26T12:00:00Z"}
    assert call(f"{ORDER_SELECT}/feedback", {"feedback": [feedback]})["recorded"] == 1
    row = CardFeedback.objects.get()
    assert (row.override_system, row.override_reason) == ("urn:cledss:cds-override-reason", reasons[0]["code"])
    assert "Example" not in json.dumps(list(CardFeedback.objects.values()), default=str)


def test_patient_view_cards_offer_no_override_reasons(call):
    for card in call(PATIENT_VIEW, patient_view(SCLE))["cards"]:
        assert "overrideReasons" not in card


@pytest.mark.parametrize(
    "code, system",
    [
        ("000000", SNOMED),
        ("42345000", SNOMED),  # polyneuropathy
        ("7339009", SNOMED),  # drug-induced peripheral neuropathy
        ("13694005", SNOMED),  # sensory neuropathy
    ],
)
def test_existing_neuropathy_makes_the_safety_card_critical(call, code, system):
    neuropathy = condition(code, "Peripheral sensory neuropathy" if code == "000000" else "")
    if code != "000000":
        neuropathy["code"] = {"coding": [{"system": system, "code": code}]}
    safety = call(PATIENT_VIEW, patient_view(SCLE, neuropathy))["cards"][0]
    assert safety["indicator"] == "critical"
    assert "This patient already has a peripheral neuropathy." in safety["detail"]


def test_a_request_with_no_subtype_still_gets_the_birth_defect_card_first(call):
    body = call(ORDER_SELECT, order_select(CLE_WITHOUT_SUBTYPE))
    safety, evidence = body["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert safety["indicator"] == "warning"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert evidence["summary"] == "cledss could not read the CLE subtype from the record"
    assert "No CLE subtype is coded" in evidence["detail"]
    assert evidence["links"] == [{"label": "cledss form, filled in from the record", "url": "http://testserver/", "type": "absolute"}]


@pytest.mark.parametrize(
    "medication",
    [
        {"text": "thalidomide"},
        {"coding": [{"system": RXNORM, "code": "10432", "display": "x"}]},
    ],
)
def test_a_thalidomide_order_warns_of_birth_defects_first(call, medication):
    body = order_select(SCLE)
    body["context"]["draftOrders"]["entry"][0]["resource"]["medicationCodeableConcept"] = medication
    cards = call(ORDER_SELECT, body)["cards"]
    assert cards[0]["indicator"] == "warning"
    assert "birth defects" in cards[0]["summary"] and "pregnancy prevention programme" in cards[0]["summary"]
    assert "thromboembolism" in cards[0]["detail"] and "peripheral neuropathy" in cards[0]["detail"]
    assert "58/59" not in cards[1]["detail"]


def test_patient_view_without_the_conditions_is_a_412_as_cledss_never_queries_the_record(call):
    """CDS Hooks 2.0: required data neither prefetched nor fetchable is answered with 412 Precondition Failed."""
    assert call(PATIENT_VIEW, patient_view(prefetch=False), expected_status=412)["error"] == "precondition_failed"
    failed = patient_view(SCLE)
    failed["prefetch"]["conditions"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    assert call(PATIENT_VIEW, failed, expected_status=412)["message"] == "This service needs the prefetched conditions."


def test_a_null_prefetch_means_no_such_data_not_missing_data(call):
    body = patient_view(SCLE)
    body["prefetch"].update(observations=None, medicationRequests=None)
    safety, evidence = call(PATIENT_VIEW, body)["cards"]
    assert "did not send" not in evidence["detail"]


def test_order_select_goes_to_the_form_when_the_record_was_not_sent(call):
    """The safety card goes out whatever the record lacks; the evidence card says what was not sent."""
    body = order_select(SCLE)
    body["prefetch"].pop("observations")
    body["prefetch"]["medicationRequests"] = {"resourceType": "OperationOutcome", "issue": []}
    safety, evidence = call(ORDER_SELECT, body)["cards"]
    assert "birth defects" in safety["summary"]
    assert (
        "The EHR did not send the record's observations (smoking, pregnancy status and intention); medication orders "
        "(antimalarials), so they are unknown here."
    ) in evidence["detail"]
    without_prefetch = order_select(SCLE)
    without_prefetch.pop("prefetch")
    safety, evidence = call(ORDER_SELECT, without_prefetch)["cards"]
    assert "birth defects" in safety["summary"] and "carried no prefetched FHIR resources" in evidence["detail"]


def test_two_different_subtypes_are_not_guessed_between(call):
    safety, evidence = call(PATIENT_VIEW, patient_view(SCLE, DLE))["cards"]
    assert "More than one CLE subtype" in evidence["detail"]
    assert "odds ratio 30" not in evidence["detail"] and "odds ratio 5.71" not in evidence["detail"]


def test_patient_view_stays_silent_for_a_patient_without_lupus(call):
    asthma = condition("195967001", "Asthma")
    assert call(PATIENT_VIEW, patient_view(asthma))["cards"] == []


def test_order_select_stays_silent_unless_thalidomide_is_selected(call):
    body = order_select(SCLE, medication="Hydroxychloroquine 200 MG Oral Tablet")
    assert call(ORDER_SELECT, body)["cards"] == []


def test_cards_never_suggest_or_change_orders(call):
    body = call(ORDER_SELECT, order_select(SCLE, WANTS_PREGNANCY))
    assert set(body) == {"cards"}
    for card in body["cards"]:
        assert set(card) <= {"uuid", "summary", "detail", "indicator", "source", "links", "overrideReasons"}


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


def test_services_answer_post_only(client, ehr):
    response = client.get(PATIENT_VIEW, **ehr.headers(PATIENT_VIEW))
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"


def test_cors_preflight_is_answered_without_a_token_for_browser_based_ehr_clients(client):
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
    rows = list(CardFeedback.objects.order_by("id").values("card", "service", "outcome", "override_reason", "override_system"))
    view = {"card": uuid.UUID(card), "service": "cledss-thalidomide-patient-view"}
    assert rows == [
        {**view, "outcome": "accepted", "override_reason": "", "override_system": ""},
        {**view, "outcome": "overridden", "override_reason": "patient-preference", "override_system": "http://example.org/reasons"},
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
        {"feedback": [{"card": str(uuid.UUID(int=1)), "outcome": "overridden", "overrideReason": {"reason": {"code": "x"}}}]},
        {"feedback": [{"card": str(uuid.UUID(int=1)), "outcome": "overridden",
                       "overrideReason": {"reason": {"code": "made-up", "system": "urn:cledss:cds-override-reason"}}}]},
    ],
)
def test_bad_feedback_is_a_400_and_records_nothing(call, body):
    assert call(f"{PATIENT_VIEW}/feedback", body, expected_status=400)["error"] == "invalid_feedback"
    assert not CardFeedback.objects.exists()


@pytest.mark.parametrize("code", ["\ud800", "a\x00b", "line\nbreak"])
def test_a_reason_code_that_is_not_printable_text_is_a_400_not_a_500(call, code):
    reason = {"reason": {"code": code, "system": "http://example.org/reasons"}}
    body = {"feedback": [{"card": str(uuid.uuid4()), "outcome": "overridden", "overrideReason": reason}]}
    response = call(f"{PATIENT_VIEW}/feedback", body, expected_status=400)
    assert response["message"] == "overrideReason.reason must be a Coding with a short system and code."
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
    body = with_dosage(order_select(SCLE, medication="Thalidomide 200 MG Oral Capsule"), 200)
    safety, evidence = call(ORDER_SELECT, body)["cards"]
    assert_well_formed(safety)
    assert "birth defects" in safety["summary"]  # the birth-defect risk still leads the card
    assert (
        "**Ordered daily dose:** 200 mg/day: over 75 mg/day, relative risk of neuropathy 20.2 against ≤ 50 mg/day "
        "(Bastuji-Garin et al. 2002)"
    ) in safety["detail"]
    assert "At 200 mg/day this patient is in the band over 75 mg/day of Bastuji-Garin et al. 2002" in safety["detail"]
    assert safety["links"][0]["url"] == "http://testserver/?subtype=scle&daily_dose_mg=200"


def test_an_order_for_50_mg_twice_daily_is_read_as_100_mg_a_day(call):
    safety, _ = call(ORDER_SELECT, with_dosage(order_select(SCLE), 50, frequency=2))["cards"]
    assert "**Ordered daily dose:** 100 mg/day: over 75 mg/day" in safety["detail"]


def test_an_order_without_a_readable_dose_says_so(call):
    safety, _ = call(ORDER_SELECT, order_select(SCLE))["cards"]
    assert (
        "cledss could not read a daily dose from the selected thalidomide order. The order does not carry exactly one "
        "dosage instruction."
    ) in safety["detail"]
    assert "this patient is in the band" not in safety["detail"]
    assert "daily_dose_mg" not in safety["links"][0]["url"]


def test_patient_view_says_nothing_about_an_ordered_dose(call):
    safety, _ = call(PATIENT_VIEW, patient_view(SCLE))["cards"]
    assert "Ordered daily dose" not in safety["detail"] and "could not read a daily dose" not in safety["detail"]
