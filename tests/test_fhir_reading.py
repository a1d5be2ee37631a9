"""Reading clinical features from FHIR resources: coded first, narrow text second, never a crash."""

from hypothesis import given, settings
from hypothesis import strategies as st

from cledss.clinical.features import AntimalarialStatus, Subtype
from cledss.interop.fhir_reading import read_patient, selected_thalidomide

SNOMED = "http://snomed.info/sct"


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
        assert read_patient(conditions(coded(code))).subtype == subtype


def test_text_fallback_tells_subacute_from_acute():
    assert read_patient(conditions({"text": "Subacute cutaneous lupus erythematosus"})).subtype == Subtype.SCLE
    assert read_patient(conditions({"text": "Acute cutaneous lupus erythematosus"})).subtype == Subtype.ACLE


def test_a_resolved_condition_is_not_read():
    reading = read_patient(conditions(coded("239891002"), status="resolved"))
    assert reading.subtype is None and not reading.lupus_on_record


def test_generic_cutaneous_lupus_is_lupus_without_a_subtype():
    reading = read_patient(conditions(coded("7119001", "Cutaneous lupus erythematosus")))
    assert reading.lupus_on_record and reading.subtype is None
    assert "No CLE subtype" in reading.why_no_subtype


def test_thrombocytopenia_is_not_a_thrombosis_but_antiphospholipid_syndrome_is():
    assert not read_patient(conditions({"text": "Thrombocytopenia"})).thrombosis_risk
    assert read_patient(conditions(coded("26843008", "Antiphospholipid syndrome"))).thrombosis_risk
    assert read_patient(conditions({"text": "Deep vein thrombosis"})).thrombosis_risk


def test_negated_text_is_not_read_as_a_feature():
    assert not read_patient(conditions({"text": "No peripheral neuropathy"})).neuropathy
    assert read_patient(conditions({"text": "Peripheral neuropathy"})).neuropathy


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
    assert read_patient(smoking("449868002", "Smokes tobacco daily")).smoker
    assert not read_patient(smoking("8517006", "Ex-smoker")).smoker
    assert not read_patient(smoking("266919005", "Never smoked tobacco")).smoker


def test_antimalarial_status_is_read_only_from_an_explicit_observation():
    explicit = {
        "observations": {
            "resourceType": "Observation",
            "code": {"coding": [{"system": "urn:cledss:observation", "code": "antimalarial-status"}]},
            "valueCodeableConcept": {"coding": [{"system": "urn:cledss:antimalarial-status", "code": "intolerant"}]},
        }
    }
    assert read_patient(explicit).antimalarial_status == AntimalarialStatus.INTOLERANT
    hcq = {"medications": {"resourceType": "MedicationStatement", "medicationCodeableConcept": {"text": "Hydroxychloroquine 200 mg"}}}
    reading = read_patient(hcq)
    assert reading.antimalarial_status is None and reading.hydroxychloroquine_on_record


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


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["Bundle", "Condition", "Observation", "coding", "code"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["resourceType", "entry", "resource", "code", "coding", "text", "display", "system", "valueCodeableConcept", "clinicalStatus", "selections", "draftOrders", "id"]), children, max_size=5),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(json_values)
def test_any_json_is_read_without_raising(value):
    read_patient(value)
    read_patient({"conditions": value})
    selected_thalidomide(value)
