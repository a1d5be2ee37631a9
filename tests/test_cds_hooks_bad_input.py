"""Whatever an EHR sends the CDS Hooks service, the answer is a 4xx it can act on or a reading that leaves the odd
part unread, never a 500; and no answer, refusals included, may be kept by a cache.

Odd tokens are in test_cds_hooks_trust.py; test_fuzzing.py throws arbitrary bodies and tokens at the same endpoints.
"""

import copy
import json
import uuid

import pytest

from cledss.interop.cds_hooks.views import MAX_DEPTH, MAX_FEEDBACK_ENTRIES, TOO_DEEP, TOO_MUCH_FEEDBACK
from cledss.interop.fhir_reading import ordered_daily_dose, read_patient, thalidomide_ordered
from cledss.interop.models import CardFeedback
from tests.support import ROOT

PATIENT_VIEW = "/cds-services/cledss-thalidomide-patient-view"
FEEDBACK = f"{PATIENT_VIEW}/feedback"
MG = {"unit": "mg", "system": "http://unitsofmeasure.org", "code": "mg"}
# An SCLE patient whose record shows a stopped hydroxychloroquine prescription.
SCLE_REQUEST = json.loads((ROOT / "cledss/interop/cds_hooks/examples/patient-view-scle-hydroxychloroquine.json").read_text())


@pytest.fixture
def post(client, seeded, ehr):
    """POST a body (JSON, or bytes as they are) to a CDS Hooks endpoint with a fresh token for it."""

    def send(path, body):
        data = body if isinstance(body, bytes) else json.dumps(body)
        return client.post(path, data, content_type="application/json", **ehr.headers(path))

    return send


def nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


@pytest.mark.parametrize("path", [PATIENT_VIEW, FEEDBACK])
def test_a_body_nested_ten_thousand_levels_deep_is_a_400_not_a_500(post, path):
    response = post(path, nested(10_000))
    assert response.status_code == 400
    assert response.json()["error"] == "too_deep" and response.json()["message"] == TOO_DEEP


def test_a_body_is_read_to_64_levels_and_refused_beyond(post):
    # Both are a list, not a request: the error says whether the depth or the shape was refused.
    assert post(PATIENT_VIEW, nested(MAX_DEPTH)).json()["error"] == "invalid_request"
    assert post(PATIENT_VIEW, nested(MAX_DEPTH + 1)).json()["error"] == "too_deep"


def with_medication_status(status) -> dict:
    body = copy.deepcopy(SCLE_REQUEST)
    body["prefetch"]["medicationRequests"]["entry"][0]["resource"]["status"] = status
    return body


@pytest.mark.parametrize("status", [["cancelled"], {"code": "cancelled"}, 7, None])
def test_a_medication_status_that_is_not_a_string_is_unread_and_the_drug_still_on_record(post, status):
    response = post(PATIENT_VIEW, with_medication_status(status))
    assert response.status_code == 200
    assert ": hydroxychloroquine on record, refractoriness not recorded" in response.json()["cards"][0]["summary"]
    assert read_patient(with_medication_status(status)["prefetch"]).antimalarials == ("hydroxychloroquine",)


def thalidomide_order(**fields) -> dict:
    """An order-select context whose one selected draft order is thalidomide 100 mg once a day, with ``fields``."""
    order = {
        "resourceType": "MedicationRequest",
        "id": "a",
        "medicationCodeableConcept": {"text": "Thalidomide 50 MG"},
        "dosageInstruction": [{
            "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d"}},
            "doseAndRate": [{"doseQuantity": {"value": 100, **MG}}],
        }],
        **fields,
    }
    return {"selections": ["MedicationRequest/a"], "draftOrders": {"resourceType": "Bundle", "entry": [{"resource": order}]}}


def test_an_order_whose_id_is_a_number_is_not_taken_for_the_selected_one():
    context = thalidomide_order(id=7)
    context["selections"] = ["MedicationRequest/7"]
    assert not thalidomide_ordered(context)


@pytest.mark.parametrize(
    "as_needed",
    [{"asNeededBoolean": "false"}, {"asNeededBoolean": None}, {"asNeededCodeableConcept": {"text": "for pain"}},
     {"asNeeded": 0}, {"asNeededFor": [{"text": "for pain"}]}],
)
def test_an_as_needed_field_that_is_not_false_leaves_the_dose_unread(as_needed):
    context = thalidomide_order()
    context["draftOrders"]["entry"][0]["resource"]["dosageInstruction"][0].update(as_needed)
    assert ordered_daily_dose(context).why_unread == "The order is, or may be, taken as needed."


def test_an_as_needed_false_still_lets_the_dose_be_read():
    context = thalidomide_order()
    context["draftOrders"]["entry"][0]["resource"]["dosageInstruction"][0]["asNeededBoolean"] = False
    assert ordered_daily_dose(context).mg == 100


def test_a_dose_of_more_digits_than_python_will_print_is_read_without_raising():
    context = thalidomide_order()
    dosage = context["draftOrders"]["entry"][0]["resource"]["dosageInstruction"][0]
    dosage["doseAndRate"][0]["doseQuantity"]["value"] = 10**5000
    assert ordered_daily_dose(context).mg is None


def pregnancy_intention(**value) -> dict:
    code = {"coding": [{"system": "http://loinc.org", "code": "86645-9"}]}
    return {"observations": {"resourceType": "Observation", "status": "final", "code": code, **value}}


@pytest.mark.parametrize(
    "value",
    [{"valueCodeableConcept": None}, {"valueCodeableConcept": "yes"}, {"valueCodeableConcept": {}}, {"valueString": ""},
     {"valueString": ["yes"]}, {"valueBoolean": "true"}, {"valueInteger": True}],
)
def test_a_pregnancy_intention_without_a_well_formed_answer_is_not_read(value):
    assert not read_patient(pregnancy_intention(**value)).features.can_become_pregnant


@pytest.mark.parametrize(
    "value", [{"valueCodeableConcept": {"text": "Unsure"}}, {"valueString": "no plans"}, {"valueBoolean": False}]
)
def test_a_pregnancy_intention_with_any_well_formed_answer_is_read(value):
    assert read_patient(pregnancy_intention(**value)).features.can_become_pregnant


def feedback(entries: int, card=None) -> dict:
    return {"feedback": [{"card": card or str(uuid.uuid4()), "outcome": "accepted"} for _ in range(entries)]}


def test_feedback_takes_up_to_100_entries_in_one_call(post):
    assert post(FEEDBACK, feedback(MAX_FEEDBACK_ENTRIES)).json()["recorded"] == MAX_FEEDBACK_ENTRIES
    assert CardFeedback.objects.count() == MAX_FEEDBACK_ENTRIES


def test_more_feedback_in_one_call_is_a_413_and_records_nothing(post):
    response = post(FEEDBACK, feedback(MAX_FEEDBACK_ENTRIES + 1))
    assert response.status_code == 413
    assert response.json()["error"] == "too_much_feedback" and response.json()["message"] == TOO_MUCH_FEEDBACK
    assert not CardFeedback.objects.exists()


def test_a_card_given_as_a_number_is_not_read_as_a_uuid(post):
    # Its decimal digits would spell a uuid's 32 hex digits.
    response = post(FEEDBACK, feedback(1, card=12345678123456781234567812345678))
    assert response.status_code == 400 and response.json()["message"] == "card must be the uuid of a card."


def test_no_answer_may_be_cached_whatever_its_status(client, seeded, ehr):
    def posted(path, body, **headers):
        return client.post(path, body, content_type="application/json", **headers)

    answers = [
        client.get("/cds-services", **ehr.headers("/cds-services")),
        posted(PATIENT_VIEW, json.dumps(SCLE_REQUEST), **ehr.headers(PATIENT_VIEW)),
        posted(FEEDBACK, json.dumps(feedback(1)), **ehr.headers(FEEDBACK)),
        posted(PATIENT_VIEW, "{", **ehr.headers(PATIENT_VIEW)),
        posted(PATIENT_VIEW, json.dumps(SCLE_REQUEST)),  # no token
        posted("/cds-services/nothing-here", "{}", **ehr.headers("/cds-services/nothing-here")),
        client.get(PATIENT_VIEW, **ehr.headers(PATIENT_VIEW)),
        client.options(PATIENT_VIEW),  # the CORS preflight
    ]
    assert [a.status_code for a in answers] == [200, 200, 200, 400, 401, 404, 405, 204]
    assert {a["Cache-Control"] for a in answers} == {"no-store"}
