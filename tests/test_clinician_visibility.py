"""A clinician (anonymous) sees published evidence only."""

import pytest

from cledss.evidence import workflow
from cledss.evidence.models import Finding, Study
from tests.support import SCLE_RESULT, draft_finding, page_text

NEW = "4/15 (27%)"


def result_text(client) -> str:
    response = client.get(SCLE_RESULT)
    assert response.status_code == 200
    return page_text(response)


def test_clinician_never_sees_a_draft_or_a_finding_in_review(client, seeded, curator):
    finding = draft_finding(changed_by=curator)
    assert NEW not in result_text(client)
    workflow.submit(finding, user=curator)
    assert NEW not in result_text(client)


def test_published_finding_reaches_the_result_page(client, seeded, curator, reviewer):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    # In the cohorts table, with its statement, beside the cohort's other figure.
    assert "4/15 (27%) These patients started on 50 mg on alternate days. 13/48 (27%)" in result_text(client)


def test_retracted_finding_disappears_from_result_page(client, seeded, reviewer):
    assert "12/20 (60%)" in result_text(client)
    workflow.retract(Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed"), reviewer=reviewer)
    assert "12/20 (60%)" not in result_text(client)


def test_findings_of_a_retracted_study_disappear(client, seeded, reviewer):
    workflow.retract(Study.objects.get(key="yuki-2021"), reviewer=reviewer)
    assert "12/20 (60%)" not in result_text(client)


@pytest.mark.parametrize("status", ["draft", "in_review", "retracted"])
def test_a_study_that_is_not_published_hides_its_published_findings(client, seeded, status):
    Study.objects.filter(key="yuki-2021").update(status=status)
    from cledss.evidence.versions import record_version

    record_version()
    assert "12/20 (60%)" not in result_text(client)
