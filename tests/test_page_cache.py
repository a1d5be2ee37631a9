"""A result page is rendered once per evidence version, language and URL; its generation time is always current."""

import re
from datetime import UTC, datetime

import pytest
from django.core.cache import caches

from cledss import answer_cache
from cledss.evidence import snapshot, workflow
from cledss.web import page_cache, views
from tests.support import SCLE_RESULT, draft_finding, page_text

PREGNANT = SCLE_RESULT + "&can_become_pregnant=on"


@pytest.fixture
def assessments(monkeypatch):
    """Count the assessments made: a kept page needs none."""
    calls = []
    real = views.assess

    def counting(features, snapshot):
        calls.append(features)
        return real(features, snapshot)

    monkeypatch.setattr(views, "assess", counting)
    return calls


def without_time(response) -> str:
    return re.sub(r"<time [^>]*>[^<]*</time>", "", response.content.decode())


def test_the_same_page_twice_is_assessed_once_and_read_with_one_query(
    client, seeded, assessments, django_assert_num_queries
):
    first = client.get(SCLE_RESULT)
    with django_assert_num_queries(1):  # the evidence version, to know the kept page is current
        second = client.get(SCLE_RESULT)
    assert len(assessments) == 1
    assert without_time(second) == without_time(first)


def test_a_kept_page_has_the_same_headers(client, seeded):
    first, second = client.get(SCLE_RESULT), client.get(SCLE_RESULT)
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    assert "Content-Security-Policy" in second.headers


def test_a_kept_page_shows_when_it_was_served(client, seeded, monkeypatch):
    client.get(SCLE_RESULT)
    later = datetime(2031, 5, 6, 7, 8, 9, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    page = client.get(SCLE_RESULT).content.decode()
    assert '<time datetime="2031-05-06T07:08:09+00:00">2031-05-06 07:08 UTC</time>' in page
    assert str(page_cache.GENERATED_LATER) not in page


def test_different_features_get_their_own_page(client, seeded, assessments):
    assert "Can become pregnant Yes" not in page_text(client.get(SCLE_RESULT))
    assert "Can become pregnant Yes" in page_text(client.get(PREGNANT))
    assert len(assessments) == 2


def test_a_page_keeps_its_own_query_string_in_its_links(client, seeded):
    assert "can_become_pregnant=on" in client.get(PREGNANT).content.decode()
    spelled = client.get(SCLE_RESULT + "&can_become_pregnant=true").content.decode()
    assert "can_become_pregnant=true" in spelled and "can_become_pregnant=on" not in spelled


def test_a_publish_makes_a_new_version_and_a_new_page(client, seeded, curator, reviewer, assessments):
    before = client.get(SCLE_RESULT)
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    after = client.get(SCLE_RESULT)
    assert len(assessments) == 2
    assert "v2 (sha " in page_text(after) and "v2 (sha " not in page_text(before)
    assert "4/15 (27%)" in page_text(after)
    assert "4/15 (27%)" not in page_text(before)


def test_languages_do_not_mix(client, seeded, assessments):
    assert "Inputs used" in page_text(client.get(SCLE_RESULT))
    assert "Inputs used" not in page_text(client.get("/es" + SCLE_RESULT))
    assert "Inputs used" in page_text(client.get(SCLE_RESULT))
    assert "Inputs used" not in page_text(client.get("/es" + SCLE_RESULT))
    assert len(assessments) == 2


def test_invalid_features_are_not_kept(client, seeded):
    for _ in range(2):
        response = client.get("/result/?subtype=scle")
        assert response.status_code == 400
        assert "Choose how the CLE has responded to antimalarials." in page_text(response)


def test_pages_forms_and_api_answers_are_kept_under_hashes_that_name_no_feature(client, seeded):
    api = PREGNANT.replace("/result/", "/api/assessment").replace("=on", "=true")
    for path in (PREGNANT, "/" + PREGNANT[PREGNANT.index("?"):], api):
        assert client.get(path).status_code == 200
    keys = list(caches[answer_cache.CACHE]._cache)
    assert len(keys) == 3
    assert all(re.fullmatch(r":1:kept:[0-9a-f]{64}", key) for key in keys)


def test_a_kept_api_answer_is_the_answer_made_afresh(client, seeded):
    api = "/api/assessment?subtype=dle&antimalarial_status=intolerant&smoker=true"
    first = client.get(api)
    kept = client.get(api)
    caches[answer_cache.CACHE].clear()
    afresh = client.get(api)
    assert first.content == kept.content == afresh.content
    assert kept["Content-Type"] == afresh["Content-Type"] == "application/json; charset=utf-8"
    assert kept.json()["label"] == "Informational, not a prescribing tool"


def test_the_other_languages_first_page_reuses_the_evidence_already_read_for_its_version(
    client, seeded, django_assert_num_queries
):
    snapshot.forget()  # as in a new worker
    with django_assert_num_queries(2):  # the version, then the evidence it recorded
        client.get(SCLE_RESULT)
    with django_assert_num_queries(1):  # the evidence version; its evidence was read for English
        spanish = client.get("/es" + SCLE_RESULT)
    assert "Datos utilizados" in page_text(spanish)
