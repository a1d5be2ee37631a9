"""Who may move evidence through draft -> in review -> published -> retracted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cledss.evidence import workflow
from cledss.evidence.models import Status
from tests.conftest import make_user
from tests.support import draft_finding

pytestmark = pytest.mark.usefixtures("seeded")


def test_curator_submits_a_draft_for_review(curator):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    finding.refresh_from_db()
    assert finding.status == Status.IN_REVIEW
    assert finding.changed_by == curator


def test_curator_cannot_publish(curator):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    with pytest.raises(PermissionDenied, match=workflow.NOT_ALLOWED_TO_REVIEW):
        workflow.publish(finding, reviewer=curator)
    finding.refresh_from_db()
    assert finding.status == Status.IN_REVIEW


def test_reviewer_cannot_submit(reviewer):
    finding = draft_finding()
    with pytest.raises(PermissionDenied, match=workflow.NOT_ALLOWED_TO_SUBMIT):
        workflow.submit(finding, user=reviewer)


def test_reviewer_publishes_a_curators_finding(curator, reviewer):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    finding.refresh_from_db()
    assert finding.status == Status.PUBLISHED


def test_reviewer_cannot_publish_own_change(curator, reviewer, second_reviewer):
    # The reviewer corrected the draft; the curator then submitted it.
    finding = draft_finding(changed_by=reviewer)
    workflow.submit(finding, user=curator)
    with pytest.raises(PermissionDenied, match=workflow.OWN_CHANGE):
        workflow.publish(finding, reviewer=reviewer)
    workflow.publish(finding, reviewer=second_reviewer)
    assert finding.status == Status.PUBLISHED


def test_curator_who_is_also_a_reviewer_cannot_publish_own_change(reviewer):
    both = make_user("bea", "Curator", "Reviewer")
    finding = draft_finding(changed_by=both)
    workflow.submit(finding, user=both)
    with pytest.raises(PermissionDenied, match=workflow.OWN_CHANGE):
        workflow.publish(finding, reviewer=both)
    workflow.publish(finding, reviewer=reviewer)


def test_only_an_item_in_review_can_be_published(reviewer):
    finding = draft_finding()
    with pytest.raises(ValidationError, match=workflow.ONLY_ITEMS_IN_REVIEW_CAN_BE_PUBLISHED):
        workflow.publish(finding, reviewer=reviewer)


def test_only_a_draft_can_be_submitted(curator):
    finding = draft_finding(status=Status.PUBLISHED)
    with pytest.raises(ValidationError, match=workflow.ONLY_DRAFTS_CAN_BE_SUBMITTED):
        workflow.submit(finding, user=curator)


def test_reviewer_sends_a_finding_back_to_draft(curator, reviewer):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.send_back(finding, reviewer=reviewer, note="check the denominator")
    finding.refresh_from_db()
    assert finding.status == Status.DRAFT
    assert finding.history.first().history_change_reason == "sent back: check the denominator"


def test_curator_cannot_send_back_or_retract(curator):
    finding = draft_finding(status=Status.IN_REVIEW)
    with pytest.raises(PermissionDenied, match=workflow.NOT_ALLOWED_TO_REVIEW):
        workflow.send_back(finding, reviewer=curator)
    finding = draft_finding(key="published-one", status=Status.PUBLISHED)
    with pytest.raises(PermissionDenied, match=workflow.NOT_ALLOWED_TO_REVIEW):
        workflow.retract(finding, reviewer=curator)


def test_reviewer_retracts_and_a_curator_reopens_as_draft(curator, reviewer):
    finding = draft_finding(status=Status.PUBLISHED)
    workflow.retract(finding, reviewer=reviewer, note="duplicate cohort")
    assert finding.status == Status.RETRACTED
    with pytest.raises(ValidationError, match=workflow.ONLY_PUBLISHED_ITEMS_CAN_BE_RETRACTED):
        workflow.retract(finding, reviewer=reviewer)
    workflow.reopen(finding, user=curator)
    assert finding.status == Status.DRAFT
    assert finding.changed_by == curator


def test_workflow_validates_before_writing(curator):
    finding = draft_finding()
    finding.numerator = 60  # above the denominator of 48, never saved
    with pytest.raises(ValidationError):
        workflow.submit(finding, user=curator)
    finding.refresh_from_db()
    assert (finding.status, finding.numerator) == (Status.DRAFT, 4)


def test_studies_follow_the_same_workflow(curator, reviewer):
    from cledss.evidence.models import Study

    study = Study.objects.get(key="yuki-2021")
    workflow.retract(study, reviewer=reviewer)
    workflow.reopen(study, user=curator)
    workflow.submit(study, user=curator)
    workflow.publish(study, reviewer=reviewer)
    assert study.status == Status.PUBLISHED
