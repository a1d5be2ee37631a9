"""Reading clinical features from FHIR resources: coded first, narrow text second, never a crash."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cledss.clinical.features import Subtype
from cledss.interop.fhir_reading import OrderedDose, Pregnancy, ordered_daily_dose, read_patient, thalidomide_ordered

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
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
    assert read_patient(conditions({"text": "Old cerebral infarct"})).features.thrombosis_risk


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


def pregnancy_status(answer: dict, when: str = "2026-11-02") -> dict:
    return {"resourceType": "Observation", "status": "final", "effectiveDateTime": when,
            "code": {"coding": [{"system": LOINC, "code": "82810-3"}]}, "valueCodeableConcept": answer}


def observations(*resources) -> dict:
    return {"observations": {"resourceType": "Bundle", "entry": [{"resource": r} for r in resources]}}


@pytest.mark.parametrize(
    "answer, status, can_become_pregnant",
    [
        ({"coding": [{"system": SNOMED, "code": "77386006", "display": "Pregnant"}]}, Pregnancy.PREGNANT, True),
        ({"coding": [{"system": LOINC, "code": "LA15173-0"}]}, Pregnancy.PREGNANT, True),
        ({"text": "Pregnant"}, Pregnancy.PREGNANT, True),
        # Not pregnant is recorded of a patient who can become pregnant.
        ({"coding": [{"system": SNOMED, "code": "60001007"}]}, Pregnancy.NOT_PREGNANT, True),
        ({"coding": [{"system": LOINC, "code": "LA26683-5", "display": "Not pregnant"}]}, Pregnancy.NOT_PREGNANT, True),
        ({"text": "Not pregnant"}, Pregnancy.NOT_PREGNANT, True),
        ({"coding": [{"system": SNOMED, "code": "261665006"}]}, Pregnancy.UNKNOWN, False),
        ({"coding": [{"system": LOINC, "code": "LA4489-6"}]}, Pregnancy.UNKNOWN, False),
        ({"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "code": "UNK"}]}, Pregnancy.UNKNOWN,
         False),
        ({"coding": [{"system": SNOMED, "code": "000000"}]}, Pregnancy.NOT_RECORDED, False),
    ],
)
def test_pregnancy_status_is_read_answer_by_answer(answer, status, can_become_pregnant):
    reading = read_patient(observations(pregnancy_status(answer)))
    assert reading.pregnancy.status == status
    assert reading.pregnant == (status == Pregnancy.PREGNANT)
    assert reading.features.can_become_pregnant == can_become_pregnant


def test_the_latest_pregnancy_status_counts():
    pregnant, not_pregnant = ({"coding": [{"system": SNOMED, "code": code}]} for code in ("77386006", "60001007"))
    earlier = read_patient(observations(pregnancy_status(pregnant, "2025-03-01"), pregnancy_status(not_pregnant)))
    assert earlier.pregnancy.status == Pregnancy.NOT_PREGNANT
    later = read_patient(observations(pregnancy_status(not_pregnant, "2025-03-01"), pregnancy_status(pregnant)))
    assert later.pregnancy.status == Pregnancy.PREGNANT


def test_two_statuses_of_one_date_are_read_as_the_more_serious():
    pregnant, unknown = ({"coding": [{"system": SNOMED, "code": code}]} for code in ("77386006", "261665006"))
    assert read_patient(observations(pregnancy_status(unknown), pregnancy_status(pregnant))).pregnant


def test_a_current_pregnancy_condition_is_a_pregnancy_whatever_the_status_says():
    not_pregnant = pregnancy_status({"coding": [{"system": SNOMED, "code": "60001007"}]})
    reading = read_patient({**conditions(coded("77386006", "Pregnant")), **observations(not_pregnant)})
    assert reading.pregnant and reading.pregnancy.recorded_as == "a current condition, SNOMED CT 77386006"


def intention(**value) -> dict:
    return {"resourceType": "Observation", "status": "final", "code": {"coding": [{"system": LOINC, "code": "86645-9"}]},
            **value}


@pytest.mark.parametrize(
    "value",
    [
        {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "454411000124108"}]}},  # wants to become pregnant
        {"valueCodeableConcept": {"coding": [{"system": SNOMED, "code": "454401000124105"}]}},  # no desire to
        {"valueCodeableConcept": {"coding": [{"system": LOINC, "code": "LA14072-5", "display": "Unsure"}]}},
        {"valueCodeableConcept": {"text": "Unsure"}},
        {"valueString": "no plans this year"},
    ],
)
def test_a_pregnancy_intention_answered_means_the_patient_can_become_pregnant(value):
    reading = read_patient(observations(intention(**value)))
    assert reading.features.can_become_pregnant and reading.pregnancy.status == Pregnancy.NOT_RECORDED


@pytest.mark.parametrize(
    "value",
    [
        {"valueCodeableConcept": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "code": "UNK"}]}},
        {"valueCodeableConcept": {"text": "Unknown"}},
        {"valueString": "not asked"},
    ],
)
def test_a_pregnancy_intention_answered_unknown_is_read_as_unknown_as_the_status_is(value):
    assert not read_patient(observations(intention(**value))).features.can_become_pregnant


ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"


@pytest.mark.parametrize(
    "system, code, named",
    [
        (SNOMED, "128053003", "deep venous thrombosis (SNOMED CT 128053003)"),
        (SNOMED, "59282003", "pulmonary embolism (SNOMED CT 59282003)"),
        (SNOMED, "429098002", "thromboembolism of vein (SNOMED CT 429098002)"),
        (SNOMED, "432504007", "cerebral infarction (SNOMED CT 432504007)"),
        (SNOMED, "422504002", "ischaemic stroke (SNOMED CT 422504002)"),
        (SNOMED, "22298006", "myocardial infarction (SNOMED CT 22298006)"),
        (SNOMED, "65198009", "arterial thrombosis (SNOMED CT 65198009)"),
        (SNOMED, "26843008", "antiphospholipid syndrome (SNOMED CT 26843008)"),
        (SNOMED, "161508001", "a history of deep vein thrombosis (SNOMED CT 161508001)"),
        (ICD10CM, "I26.99", "pulmonary embolism (ICD-10-CM I26.99)"),
        (ICD10CM, "I2699", "pulmonary embolism (ICD-10-CM I2699)"),
        (ICD10CM, "I21.4", "acute myocardial infarction (ICD-10-CM I21.4)"),
        (ICD10CM, "I63.9", "cerebral infarction (ICD-10-CM I63.9)"),
        (ICD10CM, "I80.10", "phlebitis and thrombophlebitis (ICD-10-CM I80.10)"),
        (ICD10CM, "I82.401", "other venous embolism and thrombosis (ICD-10-CM I82.401)"),
        (ICD10CM, "D68.61", "antiphospholipid syndrome (ICD-10-CM D68.61)"),
    ],
)
def test_a_thrombosis_history_is_read_from_its_code_alone_and_named(system, code, named):
    condition = {"resourceType": "Condition", "code": {"coding": [{"system": system, "code": code}]}}
    reading = read_patient({"conditions": condition})
    assert reading.features.thrombosis_risk and reading.thromboses == (named,)


@pytest.mark.parametrize("system, code", [(ICD10CM, "D68.6"), (ICD10CM, "I25.2"), (SNOMED, "302215000"), (LOINC, "I26.99")])
def test_codes_outside_the_thrombosis_value_sets_are_not_a_thrombosis(system, code):
    condition = {"resourceType": "Condition", "code": {"coding": [{"system": system, "code": code}]}}
    assert not read_patient({"conditions": condition}).features.thrombosis_risk


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
    assert thalidomide_ordered(context)
    context["selections"] = ["MedicationRequest/b"]
    assert not thalidomide_ordered(context)


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
        (dosage(0.1, {"system": UCUM, "code": "g", "unit": "g"}), 100),
        (dosage(0.2, {"unit": "g"}), 200),
        (dosage(0.05, {"system": UCUM, "code": "g"}, frequency=2), 100),
    ],
)
def test_an_unambiguous_daily_dose_in_mg_or_g_is_read_from_the_selected_order(instruction, daily):
    assert ordered_daily_dose(ordering(instruction)) == OrderedDose(daily)


@pytest.mark.parametrize(
    "instruction, why",
    [
        (None, "exactly one dosage instruction"),
        ({**dosage(), "asNeededBoolean": True}, "as needed"),
        (dosage(200, {"system": UCUM, "code": "ug"}), "not one quantity in mg or g"),
        (dosage(5, {"system": UCUM, "code": "mL"}), "not one quantity in mg or g"),
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


def test_order_sign_orders_any_thalidomide_among_its_draft_orders_as_it_has_no_selections():
    context = ordering(dosage(100))
    context.pop("selections")
    assert thalidomide_ordered(context, "order-sign") and ordered_daily_dose(context, "order-sign") == OrderedDose(100)
    assert not thalidomide_ordered(context, "order-select")
    assert not thalidomide_ordered(context, "patient-view")


def test_two_thalidomide_orders_to_sign_leave_the_dose_unread():
    context = ordering(dosage(100))
    context["draftOrders"]["entry"].append({"resource": {**context["draftOrders"]["entry"][0]["resource"], "id": "b"}})
    assert ordered_daily_dose(context, "order-sign").why_unread == "The draft orders do not hold exactly one thalidomide order."


def taking(*medications) -> dict:
    return {"medicationRequests": {"resourceType": "Bundle", "entry": [{"resource": m} for m in medications]}}


def thalidomide(status="active", **more) -> dict:
    return {"resourceType": "MedicationRequest", "status": status, "intent": "order",
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "10432"}]}, **more}


def test_thalidomide_being_taken_is_counted_in_whole_months_from_the_earliest_start_on_record():
    # Under a pregnancy prevention programme each prescription covers 28 days: the course began with the first.
    first = thalidomide("completed", authoredOn="2026-01-15")
    current = thalidomide(authoredOn="2026-11-10", dosageInstruction=[dosage(100)])
    reading = read_patient(taking(first, current), today=date(2026, 12, 14))
    assert reading.thalidomide.since == date(2026, 1, 15)
    assert (reading.features.months_on_thalidomide, reading.features.daily_dose_mg) == (10, 100)


def test_a_statement_is_dated_by_its_effective_period_and_dosed_by_its_dosage():
    statement = {"resourceType": "MedicationStatement", "status": "active", "effectivePeriod": {"start": "2026-06-01"},
                 "medicationCodeableConcept": {"text": "Thalidomide 50 mg capsules"}, "dosage": [dosage(0.05, {"unit": "g"})]}
    reading = read_patient({"medications": statement}, today=date(2026, 12, 1))
    assert (reading.features.months_on_thalidomide, reading.features.daily_dose_mg) == (6, 50)


@pytest.mark.parametrize("status", ["stopped", "completed", "cancelled", "entered-in-error", "draft", ["active"]])
def test_thalidomide_not_active_is_not_being_taken(status):
    reading = read_patient(taking(thalidomide(status, authoredOn="2026-01-15")), today=date(2026, 12, 14))
    assert reading.thalidomide is None and reading.features.months_on_thalidomide is None


@pytest.mark.parametrize(
    "medication, today",
    [
        (thalidomide(), date(2026, 12, 14)),  # no start on record
        (thalidomide(authoredOn="2026-01"), date(2026, 12, 14)),  # not to the day
        (thalidomide(authoredOn="2026-02-30"), date(2026, 12, 14)),  # no such day
        (thalidomide(authoredOn="2027-01-15"), date(2026, 12, 14)),  # after today
        (thalidomide(authoredOn="2026-01-15"), None),  # no today to count to
    ],
)
def test_months_on_thalidomide_are_not_guessed(medication, today):
    reading = read_patient(taking(medication), today=today)
    assert reading.thalidomide is not None and reading.features.months_on_thalidomide is None


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
    thalidomide_ordered(value)
    ordered_daily_dose(value)
