"""Override reasons chosen per card for what the card says, and feedback that accepts only the reasons the card
offered: the card's uuid carries its kind, sealed with the server's key, so cledss stores nothing about the card
or its patient to know it."""

import json
import uuid

import pytest

from cledss.interop.cds_hooks import card_ids
from cledss.interop.cds_hooks.views import NOT_OFFERED
from cledss.interop.models import CardFeedback
from tests.test_cds_hooks import ORDER_SELECT, PATIENT_VIEW, PREGNANT_ORDER, SCLE, order_select, patient_view

OURS = "urn:cledss:cds-override-reason"


@pytest.fixture
def post(client, seeded, ehr):
    def send(path, body):
        return client.post(path, json.dumps(body), content_type="application/json", **ehr.headers(path))

    return send


def overridden(card: str, code: str, system: str = OURS) -> dict:
    reason = {"reason": {"system": system, "code": code}, "userComment": "Discussed with Ms Example"}
    return {"feedback": [{"card": card, "outcome": "overridden", "overrideReason": reason,
                          "outcomeTimestamp": "2026-12-01T09:00:00Z"}]}


def test_a_recorded_pregnancy_is_overridden_only_for_a_reason_about_the_pregnancy(post):
    safety, _ = post(ORDER_SELECT, PREGNANT_ORDER).json()["cards"]
    assert [r["code"] for r in safety["overrideReasons"]] == ["pregnancy-status-wrong", "pregnancy-ended"]
    feedback = f"{ORDER_SELECT}/feedback"
    for unrelated in ("risks-discussed", "in-pregnancy-prevention-programme", "neuropathy-weighed"):
        response = post(feedback, overridden(safety["uuid"], unrelated))
        assert (response.status_code, response.json()["message"]) == (400, NOT_OFFERED)
    assert post(feedback, overridden(safety["uuid"], "pregnancy-status-wrong")).json()["recorded"] == 1
    row = CardFeedback.objects.get()
    assert (row.card, row.override_system, row.override_reason) == (uuid.UUID(safety["uuid"]), OURS, "pregnancy-status-wrong")
    assert "Example" not in json.dumps(list(CardFeedback.objects.values()), default=str)


def test_each_card_accepts_the_reasons_it_offered(post):
    safety, _ = post(ORDER_SELECT, order_select(SCLE)).json()["cards"]
    offered = [r["code"] for r in safety["overrideReasons"]]
    assert offered == ["in-pregnancy-prevention-programme", "risks-discussed"]
    for code in offered:
        assert post(f"{ORDER_SELECT}/feedback", overridden(safety["uuid"], code)).status_code == 200
    assert post(f"{ORDER_SELECT}/feedback", overridden(safety["uuid"], "pregnancy-status-wrong")).status_code == 400


def test_an_info_card_offers_no_reason_so_feedback_takes_none_of_cledss_from_it(post):
    [card] = post(PATIENT_VIEW, patient_view(SCLE)).json()["cards"]
    assert "overrideReasons" not in card
    assert post(f"{PATIENT_VIEW}/feedback", overridden(card["uuid"], "risks-discussed")).status_code == 400
    assert post(f"{PATIENT_VIEW}/feedback", {"feedback": [{"card": card["uuid"], "outcome": "overridden"}]}).status_code == 200


def test_a_card_cledss_did_not_issue_offered_none_of_its_reasons_but_an_ehrs_own_reason_is_kept(post):
    stranger = str(uuid.uuid4())
    assert post(f"{ORDER_SELECT}/feedback", overridden(stranger, "risks-discussed")).status_code == 400
    own = overridden(stranger, "patient-preference", system="http://ehr.example.org/override-reasons")
    assert post(f"{ORDER_SELECT}/feedback", own).json()["recorded"] == 1


def test_a_card_issued_before_the_secret_key_was_rotated_keeps_its_reasons(post, settings):
    safety, _ = post(ORDER_SELECT, PREGNANT_ORDER).json()["cards"]
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key, long enough to be a real one: 0123456789abcdef"
    assert post(f"{ORDER_SELECT}/feedback", overridden(safety["uuid"], "pregnancy-ended")).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert post(f"{ORDER_SELECT}/feedback", overridden(safety["uuid"], "pregnancy-ended")).status_code == 400


def test_card_uuids_are_version_4_uuids_that_share_nothing_but_their_kind_read_back_with_the_key():
    kind, secret = "safety.pregnancy", "the server's secret key"
    issued = [uuid.UUID(card_ids.issue(kind, secret)) for _ in range(50)]
    assert {u.version for u in issued} == {4} and {u.variant for u in issued} == {uuid.RFC_4122}
    assert len(set(issued)) == 50
    assert {card_ids.kind_of(u, ["evidence.evidence", kind], [secret]) for u in issued} == {kind}
    assert card_ids.kind_of(issued[0], [kind], ["another key"]) is None
    assert card_ids.kind_of(uuid.uuid4(), [kind], [secret]) is None
