"""Reading clinical features from FHIR resources: coded first, narrow text second, never a crash."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cledss.clinical.features import Subtype
from cledss.interop.fhir_reading import OrderedDose, ordered_daily_dose, read_patient, selected_thalidomide

SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"


def conditions(*concepts, status="active"):
    return {
        "conditions": {
            "resourceType": "Bundle",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Condition",
                        "clinicalStatus": {"coding": [{"code": status}]},
                        "code": concept,
                    }
                }
                for concept in concepts
            ],
        }
    }


def coded(code, display=""):
    return {"coding": [{"system": SNOMED, "code": code, "display": display}]}


def test_each_verified_snomed_code_maps_to_its_subtype():
    for code, subtype in [
        ("239891002", Subtype.SCLE),
        ("200938002", Subtype.DLE),
        ("238927000", Subtype.DLE),
        ("15084002", Subtype.PROFUNDUS),
        ("239888002", Subtype.PROFUNDUS),
        ("200941006", Subtype.TUMIDUS),
        ("238928005", Subtype.CHILBLAIN),
    ]:
        assert read_patient(conditions(coded(code))).features.subtype == subtype


def test_text_fallback_tells_subacute_from_acute():
    assert read_patient(conditions({"text": "Subacute cutaneous lupus erythematosus"})).features.subtype == Subtype.SCLE
    assert read_patient(conditions({"text": "Acute cutaneous lupus erythematosus"})).features.subtype == Subtype.ACLE


def test_a_resolved_condition_is_not_read():
    reading = read_patient(conditions(coded("239891002"), status="resolved"))
    assert reading.features.subtype is None and not reading.lupus_on_record


def test_generic_cutaneous_lupus_is_lupus_without_a_subtype():
    reading = read_patient(conditions(coded("7119001", "Cutaneous lupus erythematosus")))
    assert reading.lupus_on_record and reading.features.subtype is None
    assert "No CLE subtype" in reading.why_no_subtype


def test_thrombocytopenia_is_not_a_thrombosis_but_antiphospholipid_syndrome_is():
    assert not read_patient(conditions({"text": "Thrombocytopenia"})).features.thrombosis_risk
    assert read_patient(conditions(coded("26843008", "Antiphospholipid syndrome"))).features.thrombosis_risk
    assert read_patient(conditions({"text": "Deep vein thrombosis"})).features.thrombosis_risk


def test_negated_text_is_not_read_as_a_feature():
    assert not read_patient(conditions({"text": "No peripheral neuropathy"})).features.neuropathy
    assert read_patient(conditions({"text": "Peripheral neuropathy"})).features.neuropathy


def smoking(code, display):
    return {
        "observations": {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "72166-2"}]},
            "valueCodeableConcept": {"coding": [{"system": SNOMED, "code": code, "display": display}]},
        }
    }


def test_smoking_status_reads_current_smokers_only():
    assert read_patient(smoking("449868002", "Smokes tobacco daily")).features.smoker
    assert not read_patient(smoking("8517006", "Ex-smoker")).features.smoker
    assert not read_patient(smoking("266919005", "Never smoked tobacco")).features.smoker


def test_an_antimalarial_on_record_names_the_drug_but_never_says_the_cle_resisted_it():
    stopped = {
        "medicationRequests": {
            "resourceType": "MedicationRequest",
            "status": "stopped",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "5521", "display": "hydroxychloroquine"}]},
        },
        "medications": {"resourceType": "MedicationStatement", "status": "completed", "medicationCodeableConcept": {"text": "Mepacrine 100 mg"}},
    }
    reading = read_patient(stopped)
    assert reading.antimalarials == ("hydroxychloroquine", "quinacrine (mepacrine)")
    assert reading.features.antimalarial_status is None


def test_an_antimalarial_ordered_in_error_or_never_taken_is_not_on_record():
    for status in ("entered-in-error", "cancelled", "draft", "not-taken"):
        request = {"resourceType": "MedicationRequest", "status": status, "medicationCodeableConcept": {"text": "Chloroquine 250 mg"}}
        assert read_patient({"medicationRequests": request}).antimalarials == ()


def test_hydroxychloroquine_products_are_read_by_rxnorm_code_and_chloroquine_is_not_mistaken_for_it():
    product = {"resourceType": "MedicationRequest", "status": "active",
               "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "979092"}]}}
    assert read_patient({"medicationRequests": product}).antimalarials == ("hydroxychloroquine",)
    chloroquine = {"resourceType": "MedicationRequest", "status": "active", "medicationCodeableConcept": {"text": "chloroquine phosphate"}}
    assert read_patient({"medicationRequests": chloroquine}).antimalarials == ("chloroquine",)


def pregnancy_status(answer: dict) -> dict:
    return {"observations": {"resourceType": "Observation", "status": "final",
                             "code": {"coding": [{"system": "http://loinc.org", "code": "82810-3"}]}, "valueCodeableConcept": answer}}


def test_a_recorded_pregnancy_is_read_from_loinc_pregnancy_status():
    pregnant = read_patient(pregnancy_status({"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}]}))
    assert pregnant.pregnant and pregnant.features.can_become_pregnant
    not_pregnant = read_patient(pregnancy_status({"coding": [{"system": SNOMED, "code": "60001007", "display": "Not pregnant"}]}))
    assert not not_pregnant.pregnant


def test_a_recorded_pregnancy_intention_means_the_patient_can_become_pregnant():
    intention = {"resourceType": "Observation", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "86645-9"}]}, "valueCodeableConcept": {"text": "Unsure"}}
    reading = read_patient({"observations": intention})
    assert reading.features.can_become_pregnant and not reading.pregnant


@pytest.mark.parametrize("code", ["42345000", "7339009", "13694005"])
def test_peripheral_neuropathy_is_read_from_snomed_codes(code):
    condition = {"resourceType": "Condition", "code": {"coding": [{"system": SNOMED, "code": code}]}}
    assert read_patient({"conditions": condition}).features.neuropathy


def test_r5_medication_requests_are_read_for_thalidomide():
    context = {
        "selections": ["MedicationRequest/a"],
        "draftOrders": {
            "resourceType": "Bundle",
            "entry": [{"resource": {"resourceType": "MedicationRequest", "id": "a", "medication": {"concept": {"text": "thalidomide 100 mg"}}}}],
        },
    }
    assert selected_thalidomide(context)
    context["selections"] = ["MedicationRequest/b"]
    assert not selected_thalidomide(context)


UCUM = "http://unitsofmeasure.org"
MG = {"system": UCUM, "code": "mg", "unit": "mg"}


def ordering(dosage) -> dict:
    """An order-select context whose one selected draft order is thalidomide with this dosage instruction."""
    order = {"resourceType": "MedicationRequest", "id": "a", "medicationCodeableConcept": {"text": "Thalidomide 50 MG"}}
    if dosage is not None:
        order["dosageInstruction"] = [dosage]
    return {"selections": ["MedicationRequest/a"], "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": order}]}}


def dosage(value=200, quantity=MG, **repeat):
    return {
        "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d", **repeat}},
        "doseAndRate": [{"doseQuantity": {"value": value, **quantity}}],
    }


@pytest.mark.parametrize(
    "instruction, daily",
    [
        (dosage(200), 200),
        (dosage(100, frequency=2), 200),
        (dosage(50, {"unit": "mg"}), 50),
        (dosage(50.0, when=["HS"]), 50),
        (dosage(12.5, frequency=2), 25),
    ],
)
def test_an_unambiguous_daily_dose_is_read_from_the_selected_order(instruction, daily):
    assert ordered_daily_dose(ordering(instruction)) == OrderedDose(daily)


@pytest.mark.parametrize(
    "instruction, why",
    [
        (None, "exactly one dosage instruction"),
        ({**dosage(), "asNeededBoolean": True}, "as needed"),
        (dosage(0.2, {"system": UCUM, "code": "g"}), "not one quantity in mg"),
        (dosage(200, {"system": "http://snomed.info/sct", "code": "mg"}), "not one quantity in mg"),
        (dosage("200"), "not one quantity in mg"),
        (dosage(float("nan")), "not one quantity in mg"),
        (dosage(10**400), "is not a whole number from 1 to 400 mg"),
        ({"timing": dosage()["timing"], "doseAndRate": [{"doseRange": {"low": {"value": 50}, "high": {"value": 100}}}]},
         "not one quantity in mg"),
        (dosage(100, period=2), "fixed whole number of doses every day"),
        (dosage(100, periodUnit="wk"), "fixed whole number of doses every day"),
        (dosage(100, dayOfWeek=["mon", "wed", "fri"]), "fixed whole number of doses every day"),
        (dosage(100, frequencyMax=2), "fixed whole number of doses every day"),
        (dosage(100, frequency=None), "fixed whole number of doses every day"),
        ({"doseAndRate": dosage()["doseAndRate"], "timing": {"code": {"text": "QD"}}}, "fixed whole number of doses"),
        (dosage(1000), "not a whole number from 1 to 400 mg"),
        (dosage(12.5), "12.5 mg, is not a whole number from 1 to 400 mg"),
    ],
)
def test_a_dose_that_is_not_unambiguous_is_reported_unread_with_the_reason(instruction, why):
    read = ordered_daily_dose(ordering(instruction))
    assert read.mg is None and why in read.why_unread


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["Bundle", "Condition", "Observation", "coding", "code"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["resourceType", "entry", "resource", "code", "coding", "text", "display", "system", "valueCodeableConcept", "clinicalStatus", "selections", "draftOrders", "id", "dosageInstruction", "doseAndRate", "doseQuantity", "timing", "repeat", "value", "unit", "frequency", "period", "periodUnit"]), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(json_values)
def test_any_json_is_read_without_raising(value):
    read_patient(value)
    read_patient({"conditions": value})
    selected_thalidomide(value)
    ordered_daily_dose(value)
