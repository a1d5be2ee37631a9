"""Patient features are never stored and never logged."""

import io
import logging
import sys

from django.apps import apps

from cledss.logging import DropQueryStrings

QUERY = "subtype=dle&antimalarial_status=refractory&can_become_pregnant=on&neuropathy=on"


def logged_text(caplog) -> str:
    return " ".join(record.getMessage() for record in caplog.records)


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_an_assessment_writes_nothing_to_the_database(client, seeded):
    before = row_counts()
    response = client.get(f"/result/?{QUERY}")
    assert response.status_code == 200
    assert row_counts() == before
    assert not response.cookies


def test_the_access_log_line_carries_no_query_string():
    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    handler.setStream(stream)
    try:
        logging.getLogger("django.server").info('"%s" %s %s', f"GET /result/?{QUERY} HTTP/1.1", "200", "2048")
    finally:
        handler.setStream(sys.stderr)
    line = stream.getvalue()
    assert "GET /result/?[query removed] HTTP/1.1" in line
    assert "dle" not in line and "pregnant" not in line


def test_no_log_record_of_an_assessment_mentions_the_features(client, seeded, caplog):
    caplog.set_level(logging.DEBUG)
    client.get(f"/result/?{QUERY}")
    client.get(f"/es/result/?{QUERY}")
    client.get(f"/result/pdf/?{QUERY}")
    client.get(f"/result/handout/?{QUERY}")
    client.get(f"/es/result/handout/pdf/?{QUERY}")
    client.get("/api/assessment?subtype=dle&antimalarial_status=refractory&can_become_pregnant=true&neuropathy=true")
    client.get("/result/?subtype=dle&antimalarial_status=bogus&neuropathy=on")
    client.get("/api/assessment?subtype=dle&antimalarial_status=bogus&neuropathy=true")
    logged = " ".join(record.getMessage() for record in caplog.records)
    for feature in ("dle", "pregnant", "neuropathy", "refractory", "bogus"):
        assert feature not in logged


def test_filter_cuts_query_strings_from_messages_and_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /result/?subtype=scle %s", ("/pdf/?a=b",), None)
    DropQueryStrings().filter(record)
    assert record.getMessage() == "GET /result/?[query removed] /pdf/?[query removed]"


def test_the_api_and_the_cds_service_write_nothing_about_the_patient_and_log_no_feature(client, seeded, ehr, caplog):
    import json

    from cledss.interop.models import SeenToken

    caplog.set_level(logging.DEBUG)
    before = row_counts()
    assert client.get(f"/api/assessment?{QUERY}").status_code == 200
    assert client.get("/api/assessment?subtype=dle&antimalarial_status=bogus").status_code == 422
    request = {
        "hook": "patient-view",
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": {"userId": "Practitioner/example", "patientId": "1288992"},
        "prefetch": {"conditions": {"resourceType": "Condition", "code": {"text": "Discoid lupus erythematosus"}}},
    }
    path = "/cds-services/cledss-thalidomide-patient-view"
    token = ehr.token(path)
    response = client.post(path, json.dumps(request), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    # The one row written is the token's fingerprint against replay: a hash and an expiry, nothing of the patient.
    assert row_counts() == {**before, "interop.SeenToken": before["interop.SeenToken"] + 1}
    assert [f.name for f in SeenToken._meta.fields] == ["key", "expires_at"]
    assert token not in logged_text(caplog) and token[-40:] not in str(list(SeenToken.objects.values()))
    logged = logged_text(caplog)
    for feature in ("dle", "Discoid", "refractory", "bogus", "1288992"):
        assert feature not in logged
