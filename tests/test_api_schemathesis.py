"""Schemathesis drives the API from the app's own OpenAPI schema (schemathesis 4.x).

Every generated request, valid or not, must get an answer that its schema documents,
with the documented status and content type, and never a server error.

The operations are driven through ``APIOperation.as_strategy()`` inside an ordinary test
rather than ``schemathesis.pytest.from_fixture``: the fixture-based runner in schemathesis
4.32 rewrites a private pytest attribute that pytest 9 no longer has.
"""

from contextlib import contextmanager

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

LABEL = "Informational, not a prescribing tool"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@contextmanager
def database_kept_open():
    """Call the WSGI app as Django's test client does: without closing the test's connection
    at the end of each request (on PostgreSQL that would close the test transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_conforms_to_its_own_schema_and_never_fails(seeded):
    with database_kept_open():
        from cledss.wsgi import application

        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        operations = [result.ok() for result in schema.get_all_operations()]
        assert [(op.method.upper(), op.path) for op in operations] == [("GET", "/api/assessment")]
        calls = []

        for operation in operations:

            @given(case=st.one_of(operation.as_strategy(mode) for mode in GenerationMode))
            @settings(max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
            def check(case):
                response = case.call(headers={"Host": "localhost"})
                case.validate_response(response, checks=CHECKS)
                assert response.headers.get("x-cledss-label") == [LABEL], response.headers
                assert response.json()["label"] == LABEL
                calls.append(response.status_code)

            check()

        # Both valid and invalid requests were tried, and each got its documented answer.
        assert {200, 422} <= set(calls)
