"""Every create, edit, status change and delete is recorded with who, when and what; a revert restores."""

import pytest

from cledss.evidence import workflow
from cledss.evidence.models import Finding, Status
from tests.support import draft_finding, finding_data, opened, page_text
from tests.test_admin_validation import FINDING_ADD


@pytest.fixture
def curator_client(client, seeded, curator):
    client.force_login(curator)
    return client


def added_finding(client):
    assert client.post(FINDING_ADD, finding_data()).status_code == 302
    return Finding.objects.get(study__key="cuadrado-2005", key="neuropathy-alternate-days")


def test_creating_in_the_admin_is_recorded_with_the_curator(curator_client, curator):
    finding = added_finding(curator_client)
    entry = finding.history.get()
    assert (entry.history_type, entry.history_user, entry.status) == ("+", curator, "draft")
    assert entry.history_date is not None


def test_editing_is_recorded_with_the_changed_fields(curator_client, curator):
    finding = added_finding(curator_client)
    curator_client.post(f"/admin/evidence/finding/{finding.pk}/change/", opened(finding, finding_data(statement="had neuropathy")))
    new, old = finding.history.all()[:2]
    assert (new.history_type, new.history_user) == ("~", curator)
    delta = new.diff_against(old, excluded_fields=["edit_number"])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("statement", "These patients started on 50 mg on alternate days.", "had neuropathy")]


def test_status_changes_are_recorded_with_who_and_why(seeded, curator, reviewer):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    workflow.retract(finding, reviewer=reviewer, note="cohort overlaps another")
    entries = list(finding.history.order_by("history_id"))[1:]
    assert [(e.status, e.history_user, e.history_change_reason) for e in entries] == [
        (Status.IN_REVIEW, curator, "submitted for review"),
        (Status.PUBLISHED, reviewer, "published"),
        (Status.RETRACTED, reviewer, "retracted: cohort overlaps another"),
    ]


def test_deleting_a_draft_is_recorded(curator_client, curator):
    finding = added_finding(curator_client)
    response = curator_client.post(f"/admin/evidence/finding/{finding.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = Finding.history.filter(id=finding.pk).first()
    assert (entry.history_type, entry.history_user) == ("-", curator)


def test_history_page_shows_field_level_differences(curator_client):
    finding = added_finding(curator_client)
    curator_client.post(f"/admin/evidence/finding/{finding.pk}/change/", opened(finding, finding_data(statement="had neuropathy")))
    text = page_text(curator_client.get(f"/admin/evidence/finding/{finding.pk}/history/"))
    assert "plain-language statement" in text.lower()
    assert "These patients started on 50 mg on alternate days." in text
    assert "carla" in text


def test_revert_restores_the_old_values(curator_client, curator):
    finding = added_finding(curator_client)
    original = finding.history.get()
    curator_client.post(
        f"/admin/evidence/finding/{finding.pk}/change/",
        opened(finding, finding_data(statement="a wrong edit", numerator="5", estimate="33")),
    )
    finding.refresh_from_db()
    assert finding.statement == "a wrong edit"

    url = f"/admin/evidence/finding/{finding.pk}/history/{original.history_id}/"
    assert "Revert" in page_text(curator_client.get(url))
    response = curator_client.post(url, opened(finding, finding_data()))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.statement, finding.numerator, finding.estimate) == ("These patients started on 50 mg on alternate days.", 4, 27)
    assert finding.status == Status.DRAFT
    assert finding.history.count() == 3


def test_revert_never_changes_the_status(curator_client, curator, reviewer):
    finding = added_finding(curator_client)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    workflow.retract(finding, reviewer=reviewer)
    workflow.reopen(finding, user=curator)
    published = finding.history.get(status=Status.PUBLISHED)
    response = curator_client.post(f"/admin/evidence/finding/{finding.pk}/history/{published.history_id}/", opened(finding, finding_data()))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert finding.status == Status.DRAFT


def test_published_evidence_cannot_be_reverted(seeded, client, curator):
    finding = Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed")
    client.force_login(curator)
    entry = finding.history.get()
    url = f"/admin/evidence/finding/{finding.pk}/history/{entry.history_id}/"
    assert "Revert" not in page_text(client.get(url))
    assert client.post(url, finding_data()).status_code == 403


def test_study_edits_are_recorded_with_their_differences(curator_client, curator):
    from cledss.evidence.models import Study
    from tests.test_admin_validation import STUDY_ADD, study_data

    assert curator_client.post(STUDY_ADD, study_data()).status_code == 302
    study = Study.objects.get(key="stevens-1997")
    curator_client.post(f"/admin/evidence/study/{study.pk}/change/", opened(study, study_data(population="16 patients with CLE.")))
    new, old = study.history.all()[:2]
    assert (new.history_type, new.history_user, old.history_type) == ("~", curator, "+")
    assert [c.field for c in new.diff_against(old, excluded_fields=["edit_number"]).changes] == ["population"]
