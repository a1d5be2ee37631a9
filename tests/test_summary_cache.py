"""A result page's summary body is rendered once per evidence version, language and set of features."""

import re

import pytest

from cledss.assessment import summary
from cledss.evidence import workflow
from tests.support import SCLE_RESULT, draft_finding, page_text, patient

PREGNANT = SCLE_RESULT + "&can_become_pregnant=on"


@pytest.fixture
def assessments(monkeypatch):
    """Count the assessments made: a page served from the cache makes none."""
    calls = []
    real = summary.assess

    def counting(features, snapshot):
        calls.append(features)
        return real(features, snapshot)

    monkeypatch.setattr(summary, "assess", counting)
    return calls


def without_time(response) -> str:
    return re.sub(r"<time [^>]*>[^<]*</time>", "", response.content.decode())


def test_the_same_features_twice_are_assessed_once_and_read_with_one_query(
    client, seeded, assessments, django_assert_num_queries
):
    first = client.get(SCLE_RESULT)
    with django_assert_num_queries(1):  # the evidence version, to know the body is current
        second = client.get(SCLE_RESULT)
    assert len(assessments) == 1
    assert without_time(second) == without_time(first)


def test_a_page_from_the_cache_has_the_same_headers(client, seeded):
    first, second = client.get(SCLE_RESULT), client.get(SCLE_RESULT)
    assert sorted(second.headers.items()) == sorted(first.headers.items())
    assert "Content-Security-Policy" in second.headers


def test_different_features_get_their_own_body(client, seeded, assessments):
    assert "Can become pregnant Yes" not in page_text(client.get(SCLE_RESULT))
    assert "Can become pregnant Yes" in page_text(client.get(PREGNANT))
    assert len(assessments) == 2


def test_the_same_features_spelled_differently_share_a_body_but_keep_their_own_links(client, seeded, assessments):
    ticked = client.get(PREGNANT).content.decode()
    spelled = client.get(SCLE_RESULT + "&can_become_pregnant=true").content.decode()
    assert len(assessments) == 1
    assert "can_become_pregnant=on" in ticked and "can_become_pregnant=true" in spelled


def test_a_publish_makes_a_new_version_and_a_new_body(client, seeded, curator, reviewer, assessments):
    before = client.get(SCLE_RESULT)
    finding = draft_finding(changed_by=curator)
    workflow.finding_submit(finding=finding, user=curator)
    workflow.finding_publish(finding=finding, reviewer=reviewer)
    after = client.get(SCLE_RESULT)
    assert len(assessments) == 2
    assert "v2 (sha " in page_text(after) and "v2 (sha " not in page_text(before)
    assert "11 of them proven by electromyography" in page_text(after)
    assert "11 of them proven by electromyography" not in page_text(before)


def test_languages_do_not_mix(client, seeded, assessments):
    english = page_text(client.get(SCLE_RESULT))
    spanish = page_text(client.get("/es" + SCLE_RESULT))
    assert "Inputs used" in english and "Inputs used" not in spanish
    assert len(assessments) == 2
    assert "Inputs used" in page_text(client.get(SCLE_RESULT))
    assert "Inputs used" not in page_text(client.get("/es" + SCLE_RESULT))
    assert len(assessments) == 2


def test_the_pdf_is_built_afresh(client, seeded, assessments):
    client.get(SCLE_RESULT)
    assert client.get(SCLE_RESULT.replace("/result/", "/result/pdf/")).status_code == 200
    assert len(assessments) == 2


def test_the_cache_key_is_a_hash_that_names_no_feature(seeded):
    from cledss.evidence.snapshot import published_snapshot
    key = summary._key(published_snapshot().version, "en", patient(can_become_pregnant=True))
    assert re.fullmatch(r"summary:[0-9a-f]{64}", key)
