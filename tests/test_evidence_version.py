"""Each publish or retraction makes a new evidence version; the result page names the one it shows."""

import gc
import importlib
import io
import re

from django.core.management import call_command

from cledss.evidence import workflow
from cledss.evidence.models import EvidenceVersion
from cledss.evidence.published import canonical_json, content_hash, published_records, text_hash
from cledss.evidence.snapshot import forget, published_snapshot
from tests.support import SCLE_RESULT, draft_finding, page_text


def shown_version(client) -> str:
    response = client.get(SCLE_RESULT)
    assert response.status_code == 200
    return re.search(r"Evidence version (v\d+ \(sha [0-9a-f]{12}\))", page_text(response)).group(1)


def test_loading_the_seed_into_an_empty_database_records_version_1(db):
    call_command("load_evidence", stdout=io.StringIO())
    version = EvidenceVersion.objects.get()
    assert version.number == 1
    assert version.content_hash == content_hash(published_records())
    call_command("load_evidence", stdout=io.StringIO())
    assert EvidenceVersion.objects.count() == 1


def test_result_page_shows_the_version_number_and_content_hash(client, seeded):
    version = EvidenceVersion.objects.get()
    assert shown_version(client) == f"v1 (sha {version.content_hash[:12]})"


def test_result_page_version_changes_after_a_publish_and_not_otherwise(client, seeded, curator, reviewer):
    before = shown_version(client)
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.send_back(finding, reviewer=reviewer)
    finding.statement = "had neuropathy during treatment"
    finding.save()
    workflow.submit(finding, user=curator)
    assert shown_version(client) == before

    workflow.publish(finding, reviewer=reviewer)
    after = shown_version(client)
    assert after.startswith("v2 (sha ") and after != before
    version = EvidenceVersion.objects.get(number=2)
    assert version.published_by == reviewer
    assert shown_version(client) == after


def test_retraction_makes_a_new_version(client, seeded, reviewer):
    from cledss.evidence.models import Finding

    workflow.retract(Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed"), reviewer=reviewer)
    assert shown_version(client).startswith("v2 ")


def test_publishing_into_an_unpublished_study_changes_nothing_clinicians_see(seeded, curator, reviewer):
    from cledss.evidence.models import Study

    workflow.retract(Study.objects.get(key="cuadrado-2005"), reviewer=reviewer)
    assert EvidenceVersion.objects.count() == 2
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    assert EvidenceVersion.objects.count() == 2


def test_result_page_reads_the_evidence_once_per_version(client, seeded, django_assert_max_num_queries):
    client.get(SCLE_RESULT)
    with django_assert_max_num_queries(1):
        assert client.get(SCLE_RESULT).status_code == 200


def test_a_new_version_is_read_with_at_most_three_queries(client, seeded, curator, reviewer, django_assert_max_num_queries):
    client.get(SCLE_RESULT)
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    with django_assert_max_num_queries(3):
        assert client.get(SCLE_RESULT).status_code == 200


def test_after_a_publish_a_worker_reads_afresh_only_the_changed_study_and_shows_what_a_new_worker_would(
    seeded, curator, reviewer
):
    forget()  # a worker that has shown the current version, and nothing before it
    for language in ("en", "es"):
        published_snapshot(language)
    before = published_snapshot()
    finding = draft_finding(changed_by=curator)  # into Cuadrado 2005
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)

    after = {language: published_snapshot(language) for language in ("en", "es")}
    changed = [f for f in after["en"].findings if f.source.key == "cuadrado-2005"]
    assert finding.statement in {f.statement for f in changed}
    assert not set(map(id, changed)) & set(map(id, before.findings))
    unchanged = [f for f in after["en"].findings if f.source.key != "cuadrado-2005"]
    assert {id(f) for f in unchanged} <= {id(f) for f in before.findings}
    for language in ("en", "es"):
        assert after[language] == _fresh_snapshot(language)


def test_snapshot_version_matches_the_recorded_hash(seeded):
    snapshot = published_snapshot()
    assert snapshot.version == EvidenceVersion.objects.get().label


def test_evidence_published_before_versions_existed_gets_version_1_on_the_next_load(client, db):
    from cledss.evidence.evidence_file import SEED, load_seed, read

    load_seed(read(SEED))
    assert "unversioned (sha " in page_text(client.get(SCLE_RESULT))
    call_command("load_evidence", stdout=io.StringIO())
    assert shown_version(client).startswith("v1 (sha ")


def _fresh_snapshot(language="en"):
    """The snapshot a new worker builds."""
    forget()
    return published_snapshot(language)


def test_a_version_keeps_its_evidence_and_a_new_worker_builds_the_same_snapshot_from_it(seeded):
    version = EvidenceVersion.objects.get()
    assert text_hash(version.evidence) == content_hash(version.records) == version.content_hash
    for language in ("en", "es"):
        from_version = _fresh_snapshot(language)
        EvidenceVersion.objects.update(evidence="")  # as a version recorded before it kept its evidence
        from_rows = _fresh_snapshot(language)
        EvidenceVersion.objects.update(evidence=version.evidence)
        assert from_version == from_rows
        assert from_version.version == version.label


def test_kept_evidence_that_does_not_match_its_hash_is_not_shown(seeded):
    version = EvidenceVersion.objects.get()
    tampered = [{**study, "year": 2013} if study["year"] == 2012 else study for study in version.records]
    assert tampered != version.records
    EvidenceVersion.objects.update(evidence=canonical_json(tampered))
    snapshot = _fresh_snapshot()
    assert snapshot.version == version.label  # read from the rows, which match the recorded hash
    assert 2013 not in {source.year for source in snapshot.sources}


def test_the_migration_keeps_a_versions_evidence_in_the_text_its_hash_is_taken_of(seeded):
    # Versions recorded before 0012 kept parsed records; the migration writes them as the canonical
    # text, which must be exactly the text content_hash takes its SHA-256 of.
    migration = importlib.import_module("cledss.evidence.migrations.0012_version_evidence_as_canonical_text")
    records = EvidenceVersion.objects.get().records
    assert migration._canonical_json(list(reversed(records))) == canonical_json(records)


def test_a_new_versions_snapshot_is_left_alone_by_the_cyclic_collector(seeded):
    # A full collection scans every tracked object with the worker's threads waiting; the snapshot
    # lives as long as its version, so it is frozen out of those scans (gc.freeze) once built.
    snapshot = _fresh_snapshot()
    tracked = {id(obj) for obj in gc.get_objects()}
    assert id(snapshot) not in tracked
    assert not any(id(finding) in tracked for finding in snapshot.findings)
    assert gc.get_freeze_count() > 0


def test_evidence_with_no_version_is_built_per_request_and_never_frozen(seeded):
    # Frozen objects are never collected, so freezing on every request would freeze each request's garbage.
    EvidenceVersion.objects.all().delete()
    snapshot = _fresh_snapshot()
    assert snapshot.version.startswith("unversioned")
    assert any(obj is snapshot for obj in gc.get_objects())
