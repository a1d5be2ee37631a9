"""Nobody's edit is overwritten silently: a save from a form opened before someone else's save is refused."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cledss.evidence import edits, workflow
from cledss.evidence.models import EvidenceVersion, Finding, Study
from tests.conftest import make_user
from tests.support import draft_finding, finding_data, opened, page_text, study_form_with_new_finding


def change_url(row):
    return f"/admin/evidence/{row._meta.model_name}/{row.pk}/change/"


@pytest.fixture
def two_curators(seeded, curator):
    second = make_user("celia", "Curator")
    first_client, second_client = Client(), Client()
    first_client.force_login(curator)
    second_client.force_login(second)
    return first_client, second_client


def test_the_second_save_of_the_same_finding_is_refused_and_names_who_changed_what(two_curators):
    first, second = two_curators
    finding = draft_finding(changed_by=None)
    first_form, second_form = opened(finding, finding_data()), opened(finding, finding_data())

    assert first.post(change_url(finding), {**first_form, "numerator": "5", "estimate": "33"}).status_code == 302
    refused = second.post(change_url(finding), {**second_form, "statement": "A second curator's wording."})

    assert refused.status_code == 200
    message = page_text(refused)
    assert "carla changed this finding after you opened it, so your changes were not saved" in message
    assert "patients with the outcome '4' -> '5'" in message and "estimate '27' -> '33'" in message
    finding.refresh_from_db()
    assert (finding.numerator, finding.statement) == (5, "These patients started on 50 mg on alternate days.")
    assert [e.history_user.username for e in finding.history.all()[:1]] == ["carla"]


def test_a_refused_form_keeps_the_curators_entries_and_saves_when_sent_again_knowingly(two_curators):
    first, second = two_curators
    finding = draft_finding()
    stale = opened(finding, finding_data())
    first.post(change_url(finding), {**stale, "numerator": "5", "estimate": "33"})
    refused = second.post(change_url(finding), {**stale, "statement": "A second curator's wording."})
    assert "A second curator&#x27;s wording." in refused.content.decode() or "A second curator's wording." in page_text(refused)
    assert refused.context["adminform"].form["opened_at"].value() == Finding.objects.get(pk=finding.pk).edit_number

    again = second.post(change_url(finding), opened(finding, {**finding_data(), "statement": "A second curator's wording."}))
    assert again.status_code == 302
    assert Finding.objects.get(pk=finding.pk).statement == "A second curator's wording."


def test_a_change_form_without_the_edit_it_was_opened_at_is_refused(two_curators):
    first, _ = two_curators
    finding = draft_finding()
    response = first.post(change_url(finding), finding_data(statement="no edit number"))
    assert response.status_code == 200
    assert "does not say which version of the finding it was opened at" in page_text(response)
    assert Finding.objects.get(pk=finding.pk).statement != "no edit number"


def test_a_study_saved_by_someone_else_is_not_overwritten(two_curators):
    from tests.test_admin_validation import STUDY_ADD, study_data

    first, second = two_curators
    assert first.post(STUDY_ADD, study_data()).status_code == 302
    study = Study.objects.get(key="stevens-1997")
    stale = opened(study, study_data())
    first.post(change_url(study), {**stale, "population": "16 patients with CLE."})
    refused = second.post(change_url(study), {**stale, "setting": "Another setting."})
    assert "carla changed this study" in page_text(refused)
    study.refresh_from_db()
    assert (study.population, study.setting) == ("16 patients with CLE.", "")


def test_a_finding_edited_inline_on_a_stale_study_page_is_not_overwritten(two_curators):
    first, second = two_curators
    finding = draft_finding()
    study = finding.study
    stale = study_form_with_new_finding(study, finding_data(key="another-draft"))
    index = next(i for i in range(100) if stale.get(f"findings-{i}-id") == str(finding.pk))
    stale.update({f"findings-{index}-{name}": value for name, value in finding_data().items() if name != "study"})
    stale[f"findings-{index}-opened_at"] = finding.edit_number
    first.post(change_url(finding), opened(finding, {**finding_data(), "numerator": "5", "estimate": "33"}))
    stale[f"findings-{index}-statement"] = "Changed on a stale study page."
    refused = second.post(change_url(study), stale)
    assert refused.status_code == 200 and "carla changed this finding" in page_text(refused)
    assert Finding.objects.get(pk=finding.pk).statement != "Changed on a stale study page."
    assert not Finding.objects.filter(key="another-draft").exists()


def test_a_workflow_step_after_opening_also_makes_the_form_stale(seeded, curator, reviewer):
    finding = draft_finding(changed_by=curator)
    stale = opened(finding, finding_data())
    workflow.submit(finding, user=curator)
    workflow.send_back(finding, reviewer=reviewer, note="check the counts")
    client = Client()
    client.force_login(curator)
    refused = client.post(change_url(finding), {**stale, "statement": "Edited from the old form."})
    assert "carla and rafael changed this finding" in page_text(refused)
    assert "every field is as you opened it, but it went through a review step meanwhile" in page_text(refused)


def test_the_conflict_message_is_none_for_a_form_opened_at_the_current_edit(seeded):
    finding = draft_finding()
    assert edits.conflict(Finding, finding.pk, finding.edit_number) is None


def export() -> dict:
    out = io.StringIO()
    call_command("export_evidence", "-", stdout=out)
    return json.loads(out.getvalue())


def test_an_import_never_overwrites_a_curators_unpublished_work(seeded, curator, tmp_path):
    finding = draft_finding(changed_by=curator)
    document = export()
    cuadrado = next(s for s in document["studies"] if s["key"] == "cuadrado-2005")
    cuadrado["findings"].append(
        {**cuadrado["findings"][0], "key": finding.key, "statement": "The file's wording.", "status": "published"}
    )
    document["evidence_version"] = None
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match=r"finding neuropathy-alternate-days: the file would overwrite unpublished work \(draft, last changed by carla\)"):
        call_command("import_evidence", str(path), stdout=io.StringIO())
    assert Finding.objects.get(pk=finding.pk).statement == "These patients started on 50 mg on alternate days."


def test_an_import_of_a_file_exported_before_a_later_publish_is_refused(seeded, curator, reviewer, tmp_path):
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(export()), encoding="utf-8")  # evidence version 1
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)  # version 2, which the file does not hold
    with pytest.raises(CommandError, match="the file holds evidence version 1, but version 2 was published here since"):
        call_command("import_evidence", str(path), stdout=io.StringIO())
    assert Finding.objects.get(pk=finding.pk).status == "published"

    call_command("import_evidence", str(path), "--replace-newer", stdout=io.StringIO())
    assert Finding.objects.get(pk=finding.pk).status == "retracted"
    assert EvidenceVersion.objects.count() == 3


@pytest.mark.browser
def test_two_browser_sessions_on_one_finding_the_second_save_is_refused(chromium, live_server, seeded_live):
    from tests.test_browser_curation import log_in

    make_user("carla", "Curator")
    make_user("celia", "Curator")
    finding = draft_finding()
    path = change_url(finding)
    first_context, second_context = chromium.new_context(), chromium.new_context()
    try:
        first, second = first_context.new_page(), second_context.new_page()
        log_in(first, live_server, "carla", path)
        log_in(second, live_server, "celia", path)  # both forms are open at the same edit

        first.fill("#id_numerator", "5")
        first.fill("#id_estimate", "33")
        first.get_by_role("button", name="Save and continue editing").click()
        first.wait_for_url("**/change/")
        assert "was changed successfully" in first.inner_text(".messagelist")

        second.fill("#id_statement", "Celia's wording.")
        second.get_by_role("button", name="Save and continue editing").click()
        second.wait_for_load_state()
        note = second.inner_text(".errorlist.nonfield")
        assert "carla changed this finding after you opened it, so your changes were not saved" in note
        assert "estimate '27' -> '33'" in note
        assert second.input_value("#id_statement") == "Celia's wording."  # her entry is kept for her to compare
    finally:
        first_context.close()
        second_context.close()

    finding.refresh_from_db()
    assert (finding.numerator, finding.estimate, finding.statement) == (5, 33, "These patients started on 50 mg on alternate days.")
    latest = finding.history.first()
    assert (latest.history_user.username, latest.numerator) == ("carla", 5)
    assert not finding.history.filter(statement="Celia's wording.").exists()
