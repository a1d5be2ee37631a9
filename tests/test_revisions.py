"""A published figure is corrected in a revision while clinicians keep seeing the published one."""

import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client

from cledss.evidence import workflow
from cledss.evidence.models import EvidenceVersion, Finding, Status, Study
from tests.support import SCLE_RESULT, opened, page_text

PUBLISHED_OR = "odds ratio 30 (95% CI 5.82 to 154.63)"
CORRECTED_OR = "odds ratio 30 (95% CI 5.82 to 160)"


def scle_odds_ratio() -> Finding:
    return Finding.objects.get(study__key="cortes-hernandez-2012", key="scle-long-term-remission", revises=None)


def corrected(revision, **values):
    for name, value in values.items():
        setattr(revision, name, value)
    revision.full_clean()
    revision.save()
    return revision


def test_the_published_figure_stays_on_every_page_until_the_revision_is_published(client, seeded, curator, reviewer):
    live = scle_odds_ratio()
    revision = corrected(workflow.revise(live, user=curator), upper="160")
    workflow.submit(revision, user=curator)

    assert PUBLISHED_OR in page_text(client.get(SCLE_RESULT))
    assert "154.63" in client.get("/api/assessment", {"subtype": "scle", "antimalarial_status": "refractory"}).content.decode()
    fhir = json.dumps(client.get("/fhir/Bundle/evidence").json())
    assert '"high": {"value": 154.63}' in fhir and '"high": {"value": 160}' not in fhir
    assert EvidenceVersion.objects.count() == 1

    workflow.publish(revision, reviewer=reviewer, summary="Upper limit corrected to the published erratum.")
    page = page_text(client.get(SCLE_RESULT))
    assert CORRECTED_OR in page and PUBLISHED_OR not in page
    assert "v2 (sha " in page
    assert '"high": {"value": 160}' in json.dumps(client.get("/fhir/Bundle/evidence").json())


def test_publishing_a_revision_replaces_the_live_row_in_one_new_version(seeded, curator, reviewer):
    live = scle_odds_ratio()
    revision = corrected(workflow.revise(live, user=curator), upper="160")
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer, summary="Upper limit corrected.")

    live.refresh_from_db()
    revision.refresh_from_db()
    assert (live.pk, str(live.upper), live.status) == (scle_odds_ratio().pk, "160.0000", Status.PUBLISHED)
    assert revision.status == Status.MERGED
    version = EvidenceVersion.objects.get(number=2)
    assert (version.published_by, version.summary) == (reviewer, "Upper limit corrected.")
    [change] = version.changes
    assert (change["change"], change["study"], change["finding"], change["fields"]) == (
        "corrected", "cortes-hernandez-2012", "scle-long-term-remission", ["upper"]
    )
    assert (change["old"]["upper"], change["new"]["upper"]) == ("154.63", "160")


def test_the_audit_history_shows_the_revision_its_review_and_the_replacement(seeded, curator, reviewer):
    live = scle_odds_ratio()
    revision = corrected(workflow.revise(live, user=curator), upper="160")
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer)
    assert [(e.status, e.history_change_reason) for e in revision.history.order_by("history_id")][:1] == [
        (Status.DRAFT, f"revision opened of #{live.pk}")
    ]
    reasons = [e.history_change_reason for e in revision.history.order_by("history_id")]
    assert reasons[-2:] == ["submitted for review", f"published into #{live.pk}"]
    latest = live.history.first()
    assert (latest.history_change_reason, latest.history_user, str(latest.upper)) == (f"corrected by revision #{revision.pk}", reviewer, "160.0000")


def test_sending_back_or_deleting_a_revision_leaves_the_published_row_untouched(client, seeded, curator, reviewer):
    live = scle_odds_ratio()
    history_before = live.history.count()
    revision = corrected(workflow.revise(live, user=curator), upper="160")
    workflow.submit(revision, user=curator)
    workflow.send_back(revision, reviewer=reviewer, note="the erratum says 154.63")
    revision.delete()
    live.refresh_from_db()
    assert (str(live.upper), live.history.count()) == ("154.6300", history_before)
    assert EvidenceVersion.objects.count() == 1
    assert PUBLISHED_OR in page_text(client.get(SCLE_RESULT))


def test_one_revision_at_a_time(seeded, curator):
    live = scle_odds_ratio()
    first = workflow.revise(live, user=curator)
    with pytest.raises(ValidationError, match=f"already open \\(#{first.pk}, draft\\)"):
        workflow.revise(live, user=curator)


def test_only_published_evidence_is_revised_and_only_by_a_curator(seeded, curator, reviewer):
    live = scle_odds_ratio()
    with pytest.raises(PermissionDenied):
        workflow.revise(live, user=reviewer)
    revision = workflow.revise(live, user=curator)
    with pytest.raises(ValidationError, match="Only published evidence can be revised"):
        workflow.revise(revision, user=curator)


def test_a_revision_is_refused_if_the_published_row_changed_after_it_was_opened(seeded, curator, reviewer):
    live = scle_odds_ratio()
    revision = corrected(workflow.revise(live, user=curator), upper="160")
    workflow.submit(revision, user=curator)
    workflow.retract(live, reviewer=reviewer, note="withdrawn")
    with pytest.raises(ValidationError, match="changed after this revision was opened \\(retracted: withdrawn\\)"):
        workflow.publish(revision, reviewer=reviewer)
    assert Finding.objects.get(pk=live.pk).status == Status.RETRACTED


def test_a_study_is_revised_the_same_way(client, seeded, curator, reviewer):
    live = Study.objects.get(key="yuki-2021")
    revision = corrected(workflow.revise(live, user=curator), setting="Corrected setting.")
    assert Study.objects.filter(key="yuki-2021").count() == 2
    workflow.submit(revision, user=curator)
    workflow.publish(revision, reviewer=reviewer)
    live.refresh_from_db()
    assert live.setting == "Corrected setting." and live.findings.filter(status=Status.PUBLISHED).exists()
    assert EvidenceVersion.objects.get(number=2).changes[0]["fields"] == ["setting"]


def test_an_open_revision_is_neither_exported_nor_matched_by_an_import(seeded, curator, tmp_path):
    revision = corrected(workflow.revise(scle_odds_ratio(), user=curator), upper="160")
    out = io.StringIO()
    call_command("export_evidence", "-", stdout=out)
    assert "160" not in json.dumps([f["upper"] for s in json.loads(out.getvalue())["studies"] for f in s["findings"]])
    path = tmp_path / "evidence.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    call_command("import_evidence", str(path), stdout=io.StringIO())
    revision.refresh_from_db()
    assert (revision.status, str(revision.upper)) == (Status.DRAFT, "160.0000")


def test_the_admin_opens_a_revision_and_shows_it_beside_the_published_row(seeded, curator):
    client = Client()
    client.force_login(curator)
    live = scle_odds_ratio()
    response = client.post(f"/admin/evidence/finding/{live.pk}/workflow/revise/", follow=True)
    revision = live.revisions.get()
    assert response.redirect_chain[-1][0] == f"/admin/evidence/finding/{revision.pk}/change/"
    text = page_text(response)
    assert f"This is a revision of #{live.pk}" in text and "Open a revision" not in text
    saved = client.post(
        f"/admin/evidence/finding/{revision.pk}/change/",
        opened(revision, {**_form_values(revision), "upper": "160"}),
    )
    assert saved.status_code == 302, page_text(saved)
    assert str(Finding.objects.get(pk=revision.pk).upper) == "160.0000"
    assert f"A revision of this item is open: #{revision.pk}" in page_text(client.get(f"/admin/evidence/finding/{live.pk}/change/"))


def _form_values(finding) -> dict:
    from cledss.evidence.published import FINDING_FIELDS

    values = {}
    for name in FINDING_FIELDS:
        if name in ("status", "key"):
            continue
        value = getattr(finding, name)
        values[name] = "" if value is None else str(value)
    return values
