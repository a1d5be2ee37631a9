"""The admin as a curation tool: who sees which review action, read-only published evidence, lists."""

import pytest

from cledss.evidence import workflow
from cledss.evidence.models import EvidenceVersion, Finding, Status, Study
from tests.support import draft_finding, finding_data, opened, page_text, study_form_with_new_finding


def change_url(finding):
    return f"/admin/evidence/finding/{finding.pk}/change/"


def workflow_url(finding, transition):
    return f"/admin/evidence/finding/{finding.pk}/workflow/{transition}/"


@pytest.fixture
def in_review(seeded, curator):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    return finding


def test_anonymous_visitor_is_sent_to_the_admin_login(client, in_review):
    response = client.post(workflow_url(in_review, "publish"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_curator_cannot_publish_through_the_admin(client, curator, in_review):
    client.force_login(curator)
    page = client.get(change_url(in_review)).content.decode()
    assert workflow_url(in_review, "publish") not in page
    assert "No review action is open to you at this stage." in page
    response = client.post(workflow_url(in_review, "publish"), follow=True)
    assert workflow.NOT_ALLOWED_TO_REVIEW in page_text(response)
    in_review.refresh_from_db()
    assert in_review.status == Status.IN_REVIEW


def test_reviewer_publishes_with_the_button_on_the_change_form(client, reviewer, in_review):
    client.force_login(reviewer)
    assert f'action="{workflow_url(in_review, "publish")}"' in client.get(change_url(in_review)).content.decode()
    response = client.post(workflow_url(in_review, "publish"), follow=True)
    assert "published." in page_text(response)
    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED


def test_reviewer_cannot_publish_own_change_through_the_admin(client, reviewer, seeded, curator):
    finding = draft_finding(changed_by=reviewer)
    workflow.submit(finding, user=curator)
    client.force_login(reviewer)
    response = client.post(workflow_url(finding, "publish"), follow=True)
    assert workflow.OWN_CHANGE in page_text(response)
    finding.refresh_from_db()
    assert finding.status == Status.IN_REVIEW


def test_workflow_buttons_accept_only_post(client, reviewer, in_review):
    client.force_login(reviewer)
    assert client.get(workflow_url(in_review, "publish")).status_code == 405


def test_reviewer_sends_back_with_a_note_the_curator_reads(client, reviewer, curator, in_review):
    client.force_login(reviewer)
    client.post(workflow_url(in_review, "send_back"), {"note": "recheck the counts"})
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    assert in_review.history.first().history_change_reason == "sent back: recheck the counts"
    client.force_login(curator)
    assert "latest entry: sent back: recheck the counts" in page_text(client.get(change_url(in_review)))


def test_status_cannot_be_set_by_editing_the_form(client, curator, seeded):

    finding = draft_finding(changed_by=curator)
    client.force_login(curator)
    response = client.post(change_url(finding), opened(finding, finding_data(status="published", statement="edited")))
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.statement) == (Status.DRAFT, "edited")


def test_published_finding_is_read_only_in_the_admin(client, curator, seeded):

    finding = Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed")
    client.force_login(curator)
    page = client.get(change_url(finding)).content.decode()
    assert 'name="statement"' not in page
    assert 'name="_save"' not in page
    client.post(change_url(finding), finding_data(statement="changed behind review"))
    finding.refresh_from_db()
    assert finding.statement != "changed behind review"
    assert client.get(f"/admin/evidence/finding/{finding.pk}/delete/").status_code == 403


def test_curator_gets_the_submit_action_but_not_publish(client, curator, seeded):
    client.force_login(curator)
    page = client.get("/admin/evidence/finding/").content.decode()
    assert 'value="submit_selected"' in page
    assert 'value="publish_selected"' not in page


def test_reviewer_publishes_selected_findings_from_the_list(client, reviewer, in_review):
    client.force_login(reviewer)
    client.post("/admin/evidence/finding/", {"action": "publish_selected", "_selected_action": [in_review.pk]})
    in_review.refresh_from_db()
    assert in_review.status == Status.PUBLISHED


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/admin/evidence/study/?q=21999437", "Cortés-Hernández et al. 2012"),
        ("/admin/evidence/study/?q=10.1177/0961203321998433", "Yuki et al. 2021"),
        ("/admin/evidence/study/?q=Chasset", "Chasset et al. 2018"),
        ("/admin/evidence/study/?status__exact=published", "Briani et al. 2005"),
        ("/admin/evidence/study/?role__exact=pooled", "Chasset et al. 2018"),
        ("/admin/evidence/finding/?status__exact=published&subtype__exact=scle", "OR 30 (5.82 to 154.63)"),
        ("/admin/evidence/finding/?outcome__exact=paraesthesia", "Cortés-Hernández et al. 2012: Paraesthesia - 11/60 18%"),
        ("/admin/evidence/finding/?measure__exact=odds_ratio", "OR 5.71 (1.36 to 24.06)"),
        ("/admin/evidence/finding/?q=28989111", "Relapse on maintenance - 34% (25 to 44)"),
    ],
)
def test_lists_filter_and_search(client, curator, seeded, url, expected):
    client.force_login(curator)
    response = client.get(url)
    assert response.status_code == 200
    assert expected in page_text(response)
    if "finding/?" in url:  # each filter or search narrows the list
        assert "of 32 selected" not in page_text(response)


def test_study_list_counts_published_findings(client, curator, seeded):
    client.force_login(curator)
    assert "13 of 13" in page_text(client.get("/admin/evidence/study/?q=21999437"))


def test_curator_adds_a_finding_inside_a_published_study(client, curator, seeded):
    study = Study.objects.get(key="cuadrado-2005")
    data = study_form_with_new_finding(study, finding_data())
    client.force_login(curator)
    response = client.post(f"/admin/evidence/study/{study.pk}/change/", data)
    assert response.status_code == 302, page_text(response)
    added = Finding.objects.get(study=study, key="neuropathy-alternate-days")
    assert (added.status, added.changed_by) == (Status.DRAFT, curator)
    assert Study.objects.get(pk=study.pk).status == Status.PUBLISHED
    assert study.history.count() == 1  # the study itself was not touched


def test_evidence_versions_are_listed_read_only(client, reviewer, seeded):
    client.force_login(reviewer)
    version = EvidenceVersion.objects.get()
    assert version.content_hash[:12] in page_text(client.get("/admin/evidence/evidenceversion/"))
    assert client.get("/admin/evidence/evidenceversion/add/").status_code == 403
