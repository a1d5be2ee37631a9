"""The published evidence base as one versioned JSON file, written and read by management commands."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from cledss.evidence import workflow
from cledss.evidence.evidence_file import SEED
from cledss.evidence.models import EvidenceVersion, Finding, Status, Study
from tests.support import draft_finding, evidence_state


def export() -> str:
    out = io.StringIO()
    call_command("export_evidence", "-", stdout=out)
    return out.getvalue()


def import_(path) -> str:
    out = io.StringIO()
    call_command("import_evidence", str(path), stdout=out)
    return out.getvalue()


def wipe():
    Finding.objects.all().delete()
    Study.objects.all().delete()
    EvidenceVersion.objects.all().delete()


def test_the_seed_file_is_byte_identical_to_an_export_of_it(seeded):
    assert export() == SEED.read_text(encoding="utf-8")


def test_export_is_sorted_and_versioned(seeded):
    document = json.loads(export())
    keys = [study["key"] for study in document["studies"]]
    assert keys == sorted(keys)
    for study in document["studies"]:
        assert [f["key"] for f in study["findings"]] == sorted(f["key"] for f in study["findings"])
    assert document["evidence_version"] == {"number": 1, "content_hash": EvidenceVersion.objects.get().content_hash}


def test_export_import_export_is_byte_identical(seeded, curator, reviewer, tmp_path):
    finding = draft_finding(changed_by=curator)
    workflow.submit(finding, user=curator)
    workflow.publish(finding, reviewer=reviewer)
    draft_finding(key="a-draft-never-exported")
    first = export()
    path = tmp_path / "evidence.json"
    path.write_text(first, encoding="utf-8")

    import_(path)  # into the same database: nothing to change
    assert export() == first
    assert EvidenceVersion.objects.count() == 2

    wipe()
    assert "created" in import_(path)
    assert export() == first
    assert EvidenceVersion.objects.get().number == 2


def test_export_writes_a_file(seeded, tmp_path):
    path = tmp_path / "out.json"
    call_command("export_evidence", str(path), stderr=io.StringIO())
    assert path.read_text(encoding="utf-8") == SEED.read_text(encoding="utf-8")


def test_import_retracts_published_evidence_the_file_does_not_hold(seeded, tmp_path):
    document = json.loads(export())
    document["studies"] = [s for s in document["studies"] if s["key"] != "yuki-2021"]
    document["evidence_version"] = None
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert "1 retracted" in import_(path)
    assert Study.objects.get(key="yuki-2021").status == Status.RETRACTED
    assert EvidenceVersion.objects.count() == 2


def _bad_file(tmp_path, change):
    document = json.loads(export())
    document["evidence_version"] = None
    change(document)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _record(document, study_key, finding_key=None):
    study = next(s for s in document["studies"] if s["key"] == study_key)
    return study if finding_key is None else next(f for f in study["findings"] if f["key"] == finding_key)


def _set(study_key, finding_key, field, value):
    def change(document):
        _record(document, study_key, finding_key)[field] = value

    return change


@pytest.mark.parametrize(
    "change, message",
    [
        (_set("yuki-2021", None, "doi", "https://doi.org/10.1177/0961203321998433"), "A DOI starts with '10.'"),
        (_set("yuki-2021", None, "pmid", "PMID 123"), "A PMID is digits only"),
        (_set("cortes-hernandez-2012", "response", "numerator", 99), "cannot exceed the number assessed"),
        (_set("chasset-2018", "response", "status", "draft"), "published evidence only"),
        (_set("kuhn-2017", None, "colour", "blue"), "unknown field(s) colour"),
        (lambda d: _record(d, "kuhn-2017").pop("citation"), "missing field(s) citation"),
        (_set("kuhn-2017", None, "role", "oracle"), "is not a valid choice"),
    ],
)
def test_a_bad_file_is_rejected_with_a_clear_message_and_changes_nothing(seeded, tmp_path, change, message):
    path = _bad_file(tmp_path, change)
    before = evidence_state()
    with pytest.raises(CommandError, match="nothing changed") as error:
        import_(path)
    assert message in str(error.value)
    assert evidence_state() == before


def test_a_file_changed_after_export_is_rejected(seeded, tmp_path):
    document = json.loads(export())
    _record(document, "briani-2005", "common-adverse-effects")["statement"] = "Edited by hand."
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(CommandError, match="changed after it was exported"):
        import_(path)


def test_an_unreadable_file_is_rejected(db, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot read"):
        import_(path)


def test_reloading_the_seed_never_overwrites_curated_evidence(seeded, reviewer):
    workflow.retract(Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed"), reviewer=reviewer)
    call_command("load_evidence", stdout=io.StringIO())
    assert Finding.objects.get(study__key="yuki-2021", key="neuropathy-confirmed").status == Status.RETRACTED
    assert EvidenceVersion.objects.count() == 2


def test_rows_already_imported_are_rolled_back_when_a_later_row_is_bad(seeded, tmp_path):
    def change(document):
        _record(document, "briani-2005", "common-adverse-effects")["statement"] = "Changed earlier in the file."
        document["studies"].append({**_record(document, "yuki-2021"), "key": "zz-new-study", "pmid": "x1"})

    path = _bad_file(tmp_path, change)
    before = evidence_state()
    with pytest.raises(CommandError, match="study zz-new-study: pmid: A PMID is digits only"):
        import_(path)
    assert evidence_state() == before


def test_import_validates_rows_that_match_the_database_too(seeded, tmp_path):
    from cledss.evidence.versions import record_version

    Study.objects.filter(key="yuki-2021").update(doi="not-a-doi")  # as if saved before the DOI rule existed
    record_version()
    path = tmp_path / "evidence.json"
    path.write_text(export(), encoding="utf-8")
    with pytest.raises(CommandError, match="study yuki-2021: doi: A DOI starts with"):
        import_(path)
