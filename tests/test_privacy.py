"""Patient features are never stored and never logged."""

import io
import logging
import sys

from django.apps import apps

from cledss.logging import DropQueryStrings

QUERY = "subtype=dle&antimalarial_status=refractory&can_become_pregnant=on&neuropathy=on"


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
    client.get("/result/?subtype=dle&antimalarial_status=bogus&neuropathy=on")
    logged = " ".join(record.getMessage() for record in caplog.records)
    for feature in ("dle", "pregnant", "neuropathy", "refractory", "bogus"):
        assert feature not in logged


def test_filter_cuts_query_strings_from_messages_and_arguments():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /result/?subtype=scle %s", ("/pdf/?a=b",), None)
    DropQueryStrings().filter(record)
    assert record.getMessage() == "GET /result/?[query removed] /pdf/?[query removed]"
