"""The CDS Hooks 2.0 service, driven with authenticated requests shaped like the specification's examples.

(How the calls are authenticated is in test_cds_hooks_trust.py; when each card goes out and how loud, row by row,
in test_card_rules.py; twenty realistic records and the Card definition in test_card_scenarios.py and
test_card_definition.py; the override reasons feedback accepts in test_card_override_reasons.py.)"""

import json
import re
import uuid

import pytest

from cledss.interop.models import CardFeedback
from tests.support import ROOT

LABEL = "Informational, not a prescribing tool"
SNOMED = "http://snomed.info/sct"
PATIENT_VIEW = "/cds-services/cledss-thalidomide-patient-view"
ORDER_SELECT = "/cds-services/cledss-thalidomide-order-select"
ORDER_SIGN = "/cds-services/cledss-thalidomide-order-sign"
EXAMPLES = ROOT / "cledss/interop/cds_hooks/examples"
# The shipped examples: an SCLE patient whose hydroxychloroquine was stopped; thalidomide for a pregnant DLE patient.
SCLE_ON_HYDROXYCHLOROQUINE = json.loads((EXAMPLES / "patient-view-scle-hydroxychloroquine.json").read_text())
PREGNANT_ORDER = json.loads((EXAMPLES / "order-select-thalidomide-pregnant.json").read_text())
PREGNANT_SIGNATURE = json.loads((EXAMPLES / "order-sign-thalidomide-pregnant.json").read_text())


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
NEUROPATHY = condition("42345000", "Polyneuropathy")
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


def order_sign(*resources, **order):
    """The same orders about to be signed: order-sign's context has draft orders and no selections."""
    body = order_select(*resources, **order)
    body["hook"] = "order-sign"
    body["context"].pop("selections")
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
    assert 0 < len(card["summary"]) < 140 and len(card["detail"]) <= 1_200
    assert card["indicator"] in {"info", "warning", "critical"}
    assert card["source"]["label"].startswith("cledss") and card["source"]["url"].startswith("http://testserver/")
    assert card["source"]["topic"]["system"] == "urn:cledss:cds-card-topic" and card["source"]["topic"]["display"]
    assert card["detail"].strip().splitlines()[-1].startswith(f"**{LABEL}.** Evidence version ")
    assert "suggestions" not in card and "selectionBehavior" not in card
    for link in card["links"]:
        assert link["type"] == "absolute" and link["url"].startswith("http://testserver/")


def words(card) -> str:
    """A card's summary and detail as a reader sees them: Markdown's escapes dropped."""
    return (card["summary"] + "\n" + card["detail"]).replace("\\", "")


def test_discovery_lists_the_three_services_with_their_prefetch(client, db, ehr):
    response = client.get("/cds-services", **ehr.headers("/cds-services"))
    assert response.status_code == 200
    services = {s["id"]: s for s in response.json()["services"]}
    assert {s["id"]: s["hook"] for s in services.values()} == {
        "cledss-thalidomide-patient-view": "patient-view",
        "cledss-thalidomide-order-select": "order-select",
        "cledss-thalidomide-order-sign": "order-sign",
    }
    for service in services.values():
        assert service["title"] and LABEL in service["description"]
        assert service["prefetch"] == {
            "conditions": "Condition?patient={{context.patientId}}",
            "observations": "Observation?patient={{context.patientId}}&code=http://loinc.org|72166-2,"
            "http://loinc.org|82810-3,http://loinc.org|86645-9",
            "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
            "medications": "MedicationStatement?patient={{context.patientId}}",
        }


def test_the_shipped_scle_patient_on_hydroxychloroquine_gets_one_short_info_card_with_the_boxed_warnings(call):
    [card] = call(PATIENT_VIEW, SCLE_ON_HYDROXYCHLOROQUINE)["cards"]
    assert_well_formed(card)
    assert card["indicator"] == "info" and "overrideReasons" not in card
    assert "birth defects" in card["detail"] and "thromboembolism" in card["detail"]
    assert "- **Boxed warnings (label):** Boxed warning: embryo-fetal toxicity (severe birth defects)" in card["detail"]
    assert card["summary"] == (
        "Thalidomide evidence, Subacute CLE (SCLE): hydroxychloroquine on record, refractoriness not recorded"
    )
    assert "The record shows hydroxychloroquine, prescribed or taken: that it was tried, not that the CLE resisted it" in (
        card["detail"]
    )
    assert "58/59" not in card["detail"] and "odds ratio 30" not in card["detail"]


def test_the_card_links_to_the_form_filled_in_from_the_record_and_says_what_the_clinician_confirms(call, client):
    [card] = call(PATIENT_VIEW, SCLE_ON_HYDROXYCHLOROQUINE)["cards"]
    assert card["links"] == [{
        "label": "Full evidence: the cledss form, filled in from the record (CLE subtype); the clinician confirms "
        "Antimalarial treatment and whatever else the record does not show",
        "url": "http://testserver/?subtype=scle",
        "type": "absolute",
    }]
    form = client.get("/?subtype=scle").content.decode()
    assert 'value="scle"  id="id_subtype_1" required checked' in form


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
    [evidence] = call(PATIENT_VIEW, body)["cards"]
    assert f": {named} on record, refractoriness not recorded" in evidence["summary"]


def test_an_antimalarial_ordered_in_error_is_not_read_as_tried(call):
    entered_in_error = medication_request("5521", "Hydroxychloroquine", status="entered-in-error")
    [evidence] = call(PATIENT_VIEW, patient_view(SCLE, entered_in_error))["cards"]
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): antimalarial history not recorded"


def test_no_antimalarial_in_the_record_means_not_recorded_not_not_tried(call):
    [evidence] = call(PATIENT_VIEW, patient_view(SCLE, DAILY_SMOKER))["cards"]
    assert evidence["summary"] == "Thalidomide evidence, Subacute CLE (SCLE): antimalarial history not recorded"
    assert "which does not show that none was tried" in evidence["detail"]
    assert evidence["links"][0]["url"] == "http://testserver/?subtype=scle&smoker=on"


@pytest.mark.parametrize("path, body", [(ORDER_SELECT, PREGNANT_ORDER), (ORDER_SIGN, PREGNANT_SIGNATURE)])
def test_the_shipped_pregnant_example_gets_a_critical_card_first_that_says_the_record_shows_a_pregnancy(call, path, body):
    safety, evidence = call(path, body)["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert safety["indicator"] == "critical" and evidence["indicator"] == "info"
    assert safety["summary"] == (
        "The record shows a pregnancy: thalidomide can cause severe birth defects or embryo-fetal death (label)"
    )
    assert safety["detail"].startswith(
        "- **The record shows a pregnancy:** pregnancy status, LOINC 82810-3. The label's boxed warning: taken during "
        "pregnancy, thalidomide can cause severe birth defects or embryo-fetal death; it must not be used by pregnant "
        "females. [1]"
    )
    for said in (safety, evidence):
        assert "can become pregnant" not in words(said) and "4 weeks before" not in words(said)
        assert "contraception" not in words(said) and "males too" not in words(said)
    assert [r["code"] for r in safety["overrideReasons"]] == ["pregnancy-status-wrong", "pregnancy-ended"]
    assert all("pregnan" in r["display"] for r in safety["overrideReasons"])
    assert "can_become_pregnant=on" in safety["links"][0]["url"]


@pytest.mark.parametrize("path, body", [(ORDER_SELECT, PREGNANT_ORDER), (ORDER_SIGN, PREGNANT_SIGNATURE),
                                        (ORDER_SELECT, order_select(SCLE)), (ORDER_SIGN, order_sign(SCLE, NEUROPATHY))])
def test_a_thalidomide_order_sets_neuropathy_as_screening_finds_it_beside_the_primary_studys_5_of_11(call, path, body):
    [safety, _] = call(path, body)["cards"]
    detail = words(safety)
    for figure, study in [("5/11 (45%)", "Cortés-Hernández et al. 2012"), ("10/14 (71.4%)", "Briani et al. 2005"),
                          ("13/48 (27%)", "Cuadrado et al. 2005"), ("12/20 (60%)", "Yuki et al. 2021")]:
        assert re.search(rf"{re.escape(figure)} [^;]*\({re.escape(study)}\) \[\d, low\]", detail), study
    assert len(safety["detail"]) <= 1_200


def test_a_pregnancy_intention_reads_as_able_to_become_pregnant(call):
    safety, _ = call(ORDER_SELECT, order_select(DLE, WANTS_PREGNANCY))["cards"]
    assert safety["indicator"] == "critical"
    assert safety["summary"] == (
        "This patient can become pregnant: thalidomide causes severe birth defects (pregnancy prevention programme)"
    )
    assert "The record shows a pregnancy" not in safety["detail"]
    assert [r["code"] for r in safety["overrideReasons"]] == ["in-pregnancy-prevention-programme", "cannot-become-pregnant"]


@pytest.mark.parametrize(
    "answer",
    [{"coding": [{"system": SNOMED, "code": "60001007"}]}, {"coding": [{"system": LOINC, "code": "LA26683-5"}]}],
)
def test_a_recorded_not_pregnant_links_to_the_form_with_can_become_pregnant(call, answer):
    not_pregnant = observation({"coding": [{"system": LOINC, "code": "82810-3"}]}, {"valueCodeableConcept": answer})
    safety, _ = call(ORDER_SIGN, order_sign(SCLE, not_pregnant))["cards"]
    assert safety["indicator"] == "critical" and "can_become_pregnant=on" in safety["links"][0]["url"]
    assert "- **Pregnancy status on record:** not pregnant (pregnancy status, LOINC 82810-3)" in safety["detail"]
    [card] = call(PATIENT_VIEW, patient_view(SCLE, not_pregnant))["cards"]
    assert "can_become_pregnant=on" in card["links"][0]["url"]


def test_a_pregnancy_status_recorded_as_unknown_is_said_so_and_left_to_the_form(call):
    unknown = observation({"coding": [{"system": LOINC, "code": "82810-3"}]},
                          {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "261665006"}]}})
    safety, _ = call(ORDER_SELECT, order_select(SCLE, unknown))["cards"]
    assert safety["indicator"] == "warning" and "can_become_pregnant" not in safety["links"][0]["url"]
    assert ("- **Pregnancy status on record:** unknown (pregnancy status, LOINC 82810-3); the form asks whether the "
            "patient can become pregnant") in safety["detail"]


@pytest.mark.parametrize(
    "system, code, named",
    [
        (SNOMED, "432504007", "cerebral infarction (SNOMED CT 432504007)"),
        (SNOMED, "22298006", "myocardial infarction (SNOMED CT 22298006)"),
        (SNOMED, "128053003", "deep venous thrombosis (SNOMED CT 128053003)"),
        ("http://hl7.org/fhir/sid/icd-10-cm", "I26.99", "pulmonary embolism (ICD-10-CM I26.99)"),
    ],
)
def test_a_thrombosis_coded_without_display_links_with_thrombosis_risk_and_the_card_names_it(call, system, code, named):
    coded_only = {"resourceType": "Condition", "code": {"coding": [{"system": system, "code": code}]}}
    for path, body in [(ORDER_SELECT, order_select(SCLE, coded_only)), (PATIENT_VIEW, patient_view(SCLE, coded_only))]:
        card = call(path, body)["cards"][0]
        assert "thrombosis_risk=on" in card["links"][0]["url"]
        assert f"- **Thrombosis on record:** {named}" in card["detail"]
    safety, _ = call(ORDER_SELECT, order_select(SCLE, coded_only))["cards"]
    assert safety["indicator"] == "warning" and "thrombosis" in safety["summary"]


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
    safety, _ = call(ORDER_SIGN, order_sign(SCLE, neuropathy))["cards"]
    assert safety["indicator"] == "critical"
    assert safety["summary"] == "This patient already has a peripheral neuropathy, a label warning of thalidomide"
    assert safety["source"]["label"] == (
        "cledss (informational, not a prescribing tool), from THALOMID prescribing information and pregnancy "
        "prevention programmes (regulatory)"
    )


def test_a_patient_taking_thalidomide_for_8_months_gets_the_monitoring_facts_at_chart_opening(call):
    taken = {**medication_request("10432", "Thalidomide"), "authoredOn": "2025-01-01",
             "dosageInstruction": [daily_dose(100)]}
    [card] = call(PATIENT_VIEW, patient_view(SCLE, taken))["cards"]
    assert_well_formed(card)
    assert card["indicator"] == "warning" and card["source"]["topic"]["code"] == "thalidomide-monitoring"
    assert re.fullmatch(r"\d+ months on thalidomide: treatment for 6 months or more predicted neuropathy \(Yuki et al\. "
                        r"2021\)", card["summary"])
    assert "- **Thalidomide being taken:** since 2025-01-01 (the earliest start on record)" in card["detail"]
    assert "daily_dose_mg=100&months_on_thalidomide=" in card["links"][0]["url"]
    assert [r["code"] for r in card["overrideReasons"]] == ["neurological-monitoring-in-place", "treatment-start-wrong"]


def test_a_patient_taking_thalidomide_with_a_recorded_pregnancy_gets_a_critical_card(call):
    taken = medication_request("10432", "Thalidomide")
    [card] = call(PATIENT_VIEW, patient_view(DLE, PREGNANT, taken))["cards"]
    assert card["indicator"] == "critical" and card["summary"].startswith("Thalidomide on record and the record shows a pregnancy")
    assert "- **Thalidomide being taken:** start not recorded" in card["detail"]
    assert "can become pregnant" not in words(card)


def test_a_request_with_no_subtype_still_gets_the_birth_defect_card_first(call):
    safety, evidence = call(ORDER_SELECT, order_select(CLE_WITHOUT_SUBTYPE))["cards"]
    for card in (safety, evidence):
        assert_well_formed(card)
    assert safety["indicator"] == "warning"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert evidence["summary"] == "cledss could not read the CLE subtype from the record"
    assert "No CLE subtype is coded" in evidence["detail"]
    assert evidence["links"][0]["url"] == "http://testserver/"
    assert "the clinician confirms CLE subtype, Antimalarial treatment" in evidence["links"][0]["label"]


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
    safety, evidence = call(ORDER_SELECT, body)["cards"]
    assert safety["indicator"] == "warning" and safety["source"]["topic"]["code"] == "thalidomide-safety"
    assert "birth defects" in safety["summary"] and "pregnancy prevention programme" in safety["summary"]
    assert "thromboembolism" in safety["detail"] and "peripheral neuropathy is a label warning" in safety["detail"]
    assert evidence["source"]["topic"]["code"] == "thalidomide-cle-evidence" and "58/59" not in evidence["detail"]


def test_patient_view_without_the_conditions_is_a_412_as_cledss_never_queries_the_record(call):
    """CDS Hooks 2.0: required data neither prefetched nor fetchable is answered with 412 Precondition Failed."""
    assert call(PATIENT_VIEW, patient_view(prefetch=False), expected_status=412)["error"] == "precondition_failed"
    failed = patient_view(SCLE)
    failed["prefetch"]["conditions"] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    assert call(PATIENT_VIEW, failed, expected_status=412)["message"] == "This service needs the prefetched conditions."


def test_a_null_prefetch_means_no_such_data_not_missing_data(call):
    body = patient_view(SCLE)
    body["prefetch"].update(observations=None, medicationRequests=None)
    [evidence] = call(PATIENT_VIEW, body)["cards"]
    assert "did not send" not in evidence["detail"]


def test_an_order_goes_out_with_what_the_record_did_not_send_said_on_the_evidence_card(call):
    """The safety card goes out whatever the record lacks; the evidence card says what was not sent."""
    body = order_select(SCLE)
    body["prefetch"].pop("observations")
    body["prefetch"]["medicationRequests"] = {"resourceType": "OperationOutcome", "issue": []}
    safety, evidence = call(ORDER_SELECT, body)["cards"]
    assert "birth defects" in safety["summary"]
    assert (
        "The EHR did not send the record's observations (smoking, pregnancy status and intention); medication orders "
        "(antimalarials, thalidomide), so they are unknown here."
    ) in evidence["detail"]
    for without_prefetch in (order_select(SCLE), order_sign(SCLE)):
        without_prefetch.pop("prefetch")
        path = ORDER_SELECT if without_prefetch["hook"] == "order-select" else ORDER_SIGN
        safety, evidence = call(path, without_prefetch)["cards"]
        assert "birth defects" in safety["summary"] and "carried no prefetched FHIR resources" in evidence["detail"]


def test_two_different_subtypes_are_not_guessed_between(call):
    [evidence] = call(PATIENT_VIEW, patient_view(SCLE, DLE))["cards"]
    assert "More than one CLE subtype" in evidence["detail"]
    assert "odds ratio 30" not in evidence["detail"] and "odds ratio 5.71" not in evidence["detail"]


@pytest.mark.parametrize("path, body", [(PATIENT_VIEW, patient_view), (ORDER_SELECT, order_select), (ORDER_SIGN, order_sign)])
def test_a_record_without_cle_gets_no_card_at_all(call, path, body):
    asthma = condition("195967001", "Asthma")
    assert call(path, body(asthma))["cards"] == []


@pytest.mark.parametrize("path, body", [(ORDER_SELECT, order_select), (ORDER_SIGN, order_sign)])
def test_an_order_stays_silent_unless_it_is_for_thalidomide(call, path, body):
    assert call(path, body(SCLE, PREGNANT, medication="Hydroxychloroquine 200 MG Oral Tablet"))["cards"] == []


def test_cards_never_suggest_or_change_orders(call):
    body = call(ORDER_SIGN, order_sign(SCLE, WANTS_PREGNANCY))
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


@pytest.mark.parametrize(
    "path, change, message",
    [
        (ORDER_SIGN, lambda b: b["context"].pop("draftOrders"), "order-sign needs context.draftOrders (a Bundle)."),
        (ORDER_SIGN, lambda b: b.update(hook="order-select"), "This service answers the order-sign hook."),
        (ORDER_SELECT, lambda b: b["context"].pop("selections"),
         "order-select needs context.selections (a list) and context.draftOrders (a Bundle)."),
    ],
)
def test_an_order_hook_without_its_context_is_a_400(call, path, change, message):
    body = order_sign(SCLE) if path == ORDER_SIGN else order_select(SCLE)
    change(body)
    assert call(path, body, expected_status=400)["message"] == message


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


def daily_dose(value, frequency=1, unit="mg"):
    return {
        "text": f"{value} {unit} {frequency} times daily",
        "timing": {"repeat": {"frequency": frequency, "period": 1, "periodUnit": "d"}},
        "doseAndRate": [{"doseQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}}],
    }


def with_dosage(body, value, frequency=1, unit="mg"):
    """The thalidomide draft order with a dosage instruction: ``value`` ``unit``, ``frequency`` times a day."""
    body["context"]["draftOrders"]["entry"][0]["resource"]["dosageInstruction"] = [daily_dose(value, frequency, unit)]
    return body


@pytest.mark.parametrize(
    "path, body, daily",
    [
        (ORDER_SELECT, with_dosage(order_select(SCLE, medication="Thalidomide 200 MG Oral Capsule"), 200), 200),
        (ORDER_SELECT, with_dosage(order_select(SCLE), 50, frequency=2), 100),
        (ORDER_SIGN, with_dosage(order_sign(SCLE), 0.1, unit="g"), 100),
    ],
)
def test_an_ordered_daily_dose_is_placed_on_the_neuropathy_evidence_and_filled_in(call, path, body, daily):
    safety, _ = call(path, body)["cards"]
    assert_well_formed(safety)
    assert "birth defects" in safety["summary"]  # the birth-defect risk still leads the card
    assert (
        f"{daily} mg/day: over 75 mg/day, relative risk of neuropathy 20.2 against ≤ 50 mg/day (Bastuji-Garin et al. "
        "2002) [2, low]"
    ) in safety["detail"]
    assert "Ordered daily dose" not in safety["detail"]
    assert safety["links"][0]["url"] == f"http://testserver/?subtype=scle&daily_dose_mg={daily}"


def test_an_order_without_a_readable_dose_says_so(call):
    safety, _ = call(ORDER_SIGN, order_sign(SCLE))["cards"]
    assert (
        "- **Ordered daily dose:** not read. The order does not carry exactly one dosage instruction."
    ) in safety["detail"]
    assert "daily_dose_mg" not in safety["links"][0]["url"]


def test_patient_view_says_nothing_about_an_ordered_dose(call):
    [card] = call(PATIENT_VIEW, patient_view(SCLE))["cards"]
    assert "Ordered daily dose" not in card["detail"]
