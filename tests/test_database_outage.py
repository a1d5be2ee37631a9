"""A database outage or restart: pages ride it out on the evidence last confirmed, the rest says 503 with the label.

The outage is made by refusing every query on the test's connection, as a stopped PostgreSQL or an unreadable
SQLite file would, so the same tests run on both databases. The restart test needs a real PostgreSQL: it ends
every connection the server holds, which is what clients see when PostgreSQL restarts.
"""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.utils import timezone

from cledss.evidence import snapshot
from cledss.interop.label import LABEL

RESULT = "/result/?subtype=scle&antimalarial_status=refractory"
API = "/api/assessment?subtype=dle&antimalarial_status=refractory"


@contextmanager
def database_down():
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused: the database is down")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture(autouse=True)
def a_worker_that_saw_no_outage():
    """Each test starts, and leaves the next one, as a new worker does: no snapshot, no outage in mind."""
    snapshot.forget()
    yield
    snapshot.forget()


def test_a_result_page_already_seen_is_served_during_an_outage_and_says_so(client, seeded, monkeypatch):
    monkeypatch.setattr(snapshot, "UNREACHABLE_PAUSE", 0)  # the database is asked again at once (see below)
    before = client.get(RESULT)
    assert before.status_code == 200 and "cannot be reached" not in before.content.decode()
    with database_down():
        during = client.get(RESULT)
    assert during.status_code == 200
    text = during.content.decode()
    assert "The evidence database cannot be reached just now." in text
    assert "last confirmed as published" in text
    assert "Informational, not a prescribing tool" in text
    after = client.get(RESULT)
    assert after.status_code == 200 and "cannot be reached" not in after.content.decode()


def test_after_a_failure_the_database_is_left_alone_for_a_few_seconds(client, seeded):
    """With a connection pool a failed attempt costs its timeout; the pages in the next seconds do not wait again."""
    client.get(RESULT)
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(1)
        raise OperationalError("connection refused: the database is down")

    with connection.execute_wrapper(refuse):
        statuses = [client.get(RESULT).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    assert len(attempts) == 1


def test_a_new_patient_is_drawn_from_the_evidence_last_confirmed_during_an_outage(client, seeded):
    client.get(RESULT)
    with database_down():
        response = client.get("/result/handout/?subtype=dle&antimalarial_status=intolerant")
    assert response.status_code == 200
    assert "The evidence database cannot be reached just now." in response.content.decode()


def test_the_form_needs_no_database(client, seeded):
    with database_down():
        response = client.get("/")
    assert response.status_code == 200


def test_evidence_confirmed_more_than_ten_minutes_ago_is_not_shown(client, seeded, clock):
    client.get(RESULT)
    clock(timezone.now() + snapshot.LAST_CONFIRMED_LIMIT + timedelta(seconds=1))
    with database_down():
        response = client.get(RESULT)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Informational, not a prescribing tool" in response.content.decode()


def test_a_worker_that_never_read_the_evidence_answers_503_with_the_label(client, seeded):
    with database_down():
        response = client.get(RESULT)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert "Informational, not a prescribing tool" in response.content.decode()


def test_an_api_answer_already_made_is_served_and_a_new_one_is_503_json(client, seeded):
    made = client.get(API)
    assert made.status_code == 200
    with database_down():
        again = client.get(API)
        new = client.get("/api/assessment?subtype=scle&antimalarial_status=intolerant")
    assert again.status_code == 200 and again.content == made.content
    assert "X-Cledss-Evidence-Confirmed" in again
    assert new.status_code == 503
    assert new["Retry-After"] == "30"
    assert new.json() == {"label": LABEL, "error": "unavailable", "message": new.json()["message"]}


@pytest.mark.parametrize("path", ["/whats-new/feed.json", "/fhir/Bundle/evidence", "/result/pdf/?subtype=scle&antimalarial_status=refractory"])
def test_what_needs_the_database_fresh_answers_503_with_the_label(client, seeded, path):
    client.get(RESULT)
    with database_down():
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["X-Cledss-Label"] == LABEL


def test_a_json_client_gets_json_and_a_browser_gets_a_page(client, seeded):
    with database_down():
        browser = client.get("/whats-new/", HTTP_ACCEPT="text/html,*/*;q=0.8")
        program = client.get("/whats-new/", HTTP_ACCEPT="application/json")
    assert browser["Content-Type"].startswith("text/html")
    assert program.json()["error"] == "unavailable"


def test_health_tells_a_database_that_is_down_from_one_that_is_up(client, db):
    with database_down():
        down = client.get("/health/")
    assert down.status_code == 503 and down.json()["database"] == "unreachable"
    assert client.get("/health/").status_code == 200


def _wsgi_get(handler: WSGIHandler, path: str) -> int:
    """One request through the whole WSGI handler, which, unlike the test client, starts and finishes the
    request as a server does, so persistent connections are reused and health-checked as in production."""
    environ = RequestFactory().get(path).environ
    statuses = []
    body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_after_a_postgresql_restart_the_next_hundred_requests_are_all_answered(seeded_live):
    if connection.vendor != "postgresql":
        pytest.skip("a restart is a PostgreSQL server's; .ci/run runs this on one")
    import psycopg

    handler = WSGIHandler()
    assert _wsgi_get(handler, RESULT) == 200
    own = connection.settings_dict
    server = {"dbname": own["NAME"], "user": own["USER"], "password": own["PASSWORD"], "host": own["HOST"], "port": own["PORT"]}
    with psycopg.connect(**server, autocommit=True) as admin:
        ended = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()[0]
    assert ended >= 1, "no connection was kept to be ended"
    statuses = [_wsgi_get(handler, path) for path in [RESULT, API, "/health/", "/whats-new/"] * 25]
    assert statuses == [200] * 100
