"""Twenty records as EHRs send them, each with the hook that calls cledss: the scenarios the card tests run and
docs/interop.md's table of the cards each gets (test_card_scenarios.py keeps the table and the answers equal).

Chart openings and orders, with and without thalidomide, a recorded pregnancy, a neuropathy, a thrombosis, and
codes missing; built from the resources an EHR's FHIR server returns, dated from today so that months on
treatment stay what they say.
"""

import json
from dataclasses import dataclass
from datetime import date

from tests.support import ROOT

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
UCUM = "http://unitsofmeasure.org"
EXAMPLES = ROOT / "cledss/interop/cds_hooks/examples"
SERVICES = {
    "patient-view": "cledss-thalidomide-patient-view",
    "order-select": "cledss-thalidomide-order-select",
    "order-sign": "cledss-thalidomide-order-sign",
}


def coded(system: str, code: str, display: str = "") -> dict:
    coding = {"system": system, "code": code, **({"display": display} if display else {})}
    return {"coding": [coding], **({"text": display} if display else {})}


def condition(concept: dict) -> dict:
    active = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]}
    return {"resourceType": "Condition", "clinicalStatus": active, "code": concept, "subject": {"reference": "Patient/1288992"}}


def observation(code: str, answer: dict, when: str = "2026-11-02") -> dict:
    return {"resourceType": "Observation", "status": "final", "code": coded(LOINC, code), "effectiveDateTime": when,
            "valueCodeableConcept": answer}


def daily(value, unit: str = "mg", frequency: int = 1) -> dict:
    return {"timing": {"repeat": {"frequency": frequency, "period": 1, "periodUnit": "d"}},
            "doseAndRate": [{"doseQuantity": {"value": value, "unit": unit, "system": UCUM, "code": unit}}]}


def months_ago(months: int) -> str:
    """The first of the month ``months`` whole months before today."""
    today = date.today()
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return date(year, month + 1, 1).isoformat()


def thalidomide_taken(dosage: dict | None, since_months: int | None) -> dict:
    request = {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
               "medicationCodeableConcept": coded(RXNORM, "10432", "Thalidomide")}
    if since_months is not None:
        request["authoredOn"] = months_ago(since_months)
    if dosage:
        request["dosageInstruction"] = [dosage]
    return request


SCLE = condition(coded(SNOMED, "239891002", "Subacute cutaneous lupus erythematosus"))
DLE = condition(coded(SNOMED, "200938002", "Discoid lupus erythematosus"))
HYDROXYCHLOROQUINE_STOPPED = {"resourceType": "MedicationRequest", "status": "stopped", "intent": "order",
                              "medicationCodeableConcept": coded(RXNORM, "5521", "Hydroxychloroquine")}


def bundle(resources) -> dict:
    return {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": r} for r in resources]}


def patient_view(*resources, failed: tuple[str, ...] = ()) -> dict:
    """A patient-view request whose prefetch holds ``resources``; the keys in ``failed`` an OperationOutcome."""
    kinds = {"conditions": "Condition", "observations": "Observation", "medicationRequests": "MedicationRequest",
             "medications": "MedicationStatement"}
    prefetch = {key: bundle([r for r in resources if r["resourceType"] == kind]) for key, kind in kinds.items()}
    for key in failed:
        prefetch[key] = {"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]}
    return {"hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "hook": "patient-view",
            "context": {"userId": "Practitioner/example", "patientId": "1288992"}, "prefetch": prefetch}


def ordering(hook: str, order: dict, *resources) -> dict:
    """``hook`` (order-select or order-sign) for a draft ``order`` beside a paracetamol order."""
    body = patient_view(*resources)
    paracetamol = {"resourceType": "MedicationRequest", "id": "paracetamol", "status": "draft", "intent": "order",
                   "medicationCodeableConcept": {"text": "Paracetamol 500 MG Oral Tablet"}}
    body["hook"] = hook
    body["context"] = {"userId": "PractitionerRole/123", "patientId": "1288992",
                       "draftOrders": bundle([order, paracetamol])}
    if hook == "order-select":
        body["context"]["selections"] = [f"MedicationRequest/{order['id']}"]
    return body


def thalidomide_order(dosage: dict | None) -> dict:
    order = {"resourceType": "MedicationRequest", "id": "thalidomide-order", "status": "draft", "intent": "order",
             "medicationCodeableConcept": coded(RXNORM, "10432", "Thalidomide")}
    if dosage:
        order["dosageInstruction"] = [dosage]
    return order


def shipped(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


PREGNANT = observation("82810-3", coded(SNOMED, "77386006", "Pregnant"))
NOT_PREGNANT_SNOMED = observation("82810-3", coded(SNOMED, "60001007"))
NOT_PREGNANT_LOINC = observation("82810-3", coded(LOINC, "LA26683-5", "Not pregnant"))
STATUS_UNKNOWN = observation("82810-3", coded(SNOMED, "261665006", "Unknown"))
POLYNEUROPATHY = condition(coded(SNOMED, "42345000", "Polyneuropathy"))
DVT_WITHOUT_DISPLAY = condition(coded(SNOMED, "128053003"))
CEREBRAL_INFARCTION = condition(coded(SNOMED, "432504007"))
MYOCARDIAL_INFARCTION = condition(coded(SNOMED, "22298006"))
PULMONARY_EMBOLISM_ICD = condition(coded(ICD10CM, "I26.99"))
CURRENT_SMOKER_TEXT = observation("72166-2", {"text": "Current every day smoker"})


@dataclass(frozen=True)
class Scenario:
    shows: str
    body: dict

    @property
    def hook(self) -> str:
        return self.body["hook"]

    @property
    def path(self) -> str:
        return f"/cds-services/{SERVICES[self.hook]}"


def scenarios() -> tuple[Scenario, ...]:
    """The twenty records, built now (their dates count back from today)."""
    pregnant_order = shipped("order-select-thalidomide-pregnant.json")
    as_needed = {**daily(50), "asNeededBoolean": True}
    return (
        Scenario("SCLE, hydroxychloroquine stopped (the shipped example)",
                 shipped("patient-view-scle-hydroxychloroquine.json")),
        Scenario("discoid lupus, a DVT and smoking written as text only, no codes",
                 patient_view(condition({"text": "Discoid lupus erythematosus"}),
                              condition({"text": "Deep vein thrombosis 2019"}), CURRENT_SMOKER_TEXT)),
        Scenario("asthma only: no CLE", patient_view(condition(coded(SNOMED, "195967001", "Asthma")))),
        Scenario("cutaneous lupus without a subtype (SNOMED CT 7119001)",
                 patient_view(condition(coded(SNOMED, "7119001", "Cutaneous lupus erythematosus")))),
        Scenario("SCLE, pregnancy status pregnant, no thalidomide", patient_view(SCLE, PREGNANT)),
        Scenario("SCLE, pregnancy status not pregnant (LOINC LA26683-5)", patient_view(SCLE, NOT_PREGNANT_LOINC)),
        Scenario("SCLE, deep venous thrombosis coded 128053003 without display", patient_view(SCLE, DVT_WITHOUT_DISPLAY)),
        Scenario("SCLE, thalidomide 100 mg daily for 8 months", patient_view(SCLE, thalidomide_taken(daily(100), 8))),
        Scenario("DLE, thalidomide 50 mg daily for 2 months", patient_view(DLE, thalidomide_taken(daily(50), 2))),
        Scenario("SCLE, thalidomide for 3 months (dose not given), polyneuropathy",
                 patient_view(SCLE, POLYNEUROPATHY, thalidomide_taken(None, 3))),
        Scenario("DLE, thalidomide 100 mg daily (start not recorded), pregnancy status pregnant",
                 patient_view(DLE, PREGNANT, thalidomide_taken(daily(100), None))),
        Scenario("SCLE, the observations query failed (OperationOutcome)", patient_view(SCLE, failed=("observations",))),
        Scenario("DLE, pregnancy status pregnant, thalidomide 100 mg daily selected (the shipped example)", pregnant_order),
        Scenario("DLE, pregnancy status pregnant, thalidomide 100 mg daily to sign (the shipped example)",
                 shipped("order-sign-thalidomide-pregnant.json")),
        Scenario("SCLE, nothing else on record, thalidomide 100 mg once daily",
                 ordering("order-select", thalidomide_order(daily(100)), SCLE)),
        Scenario("SCLE, pregnancy status not pregnant (SNOMED CT 60001007), thalidomide 0.1 g once daily",
                 ordering("order-sign", thalidomide_order(daily(0.1, "g")), SCLE, NOT_PREGNANT_SNOMED)),
        Scenario("DLE, cerebral infarction 432504007 and myocardial infarction 22298006 without display",
                 ordering("order-select", thalidomide_order(daily(50, frequency=2)), DLE, CEREBRAL_INFARCTION,
                          MYOCARDIAL_INFARCTION)),
        Scenario("SCLE, pulmonary embolism ICD-10-CM I26.99 and polyneuropathy, thalidomide 200 mg once daily",
                 ordering("order-sign", thalidomide_order(daily(200)), SCLE, PULMONARY_EMBOLISM_ICD, POLYNEUROPATHY)),
        Scenario("SCLE, pregnancy status unknown, thalidomide as needed",
                 ordering("order-select", thalidomide_order(as_needed), SCLE, STATUS_UNKNOWN)),
        Scenario("SCLE, only paracetamol to sign", signed_without_thalidomide()),
    )


def signed_without_thalidomide() -> dict:
    body = ordering("order-sign", thalidomide_order(daily(100)), SCLE)
    body["context"]["draftOrders"]["entry"].pop(0)
    return body
