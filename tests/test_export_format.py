"""The evidence file's format changes only on purpose, and files of older formats still import."""

import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cledss.evidence.evidence_file import FORMAT_VERSION, UPGRADES, EvidenceFileError, read_document
from cledss.evidence.models import EvidenceVersion, Finding, Study
from cledss.evidence.published import FINDING_FIELDS, LEFT_OUT, STUDY_FIELDS, columns, content_hash, undecided

# An export made before issue 15's migrations, kept as it was written: it must always import.
FORMAT_3_EXPORT = Path(__file__).resolve().parent / "evidence-format-3.json"

# The field lists of every format version, by fingerprint. Changing the lists without a new format
# version (and an upgrade from the previous one) fails here.
KNOWN_FORMATS = {
    3: "4eb73b02cf3970c8fd60c9bae53baa9cddc0da3a79d647fa0bd3aa7b9898e6e3",
    4: "de52fc0b1cf7eb65183937b7d7bd2ad269833b5ce174d825d256198ee90d3de2",
}
ADDED_IN_4 = ({"intervention_es", "follow_up_es"}, {"nerve_testing"})


def fingerprint() -> str:
    return hashlib.sha256(json.dumps([sorted(STUDY_FIELDS), sorted(FINDING_FIELDS)]).encode()).hexdigest()


def import_(path) -> str:
    out = io.StringIO()
    call_command("import_evidence", str(path), stdout=out)
    return out.getvalue()


def older(document: dict, version: int, study_fields: set, finding_fields: set) -> dict:
    """The same evidence as a file of an older format version would have held it, hash and all."""
    studies = [
        {
            **{k: v for k, v in study.items() if k not in study_fields},
            "findings": [{k: v for k, v in f.items() if k not in finding_fields} for f in study["findings"]],
        }
        for study in document["studies"]
    ]
    return {**document, "format_version": version, "studies": studies,
            "evidence_version": {"number": 1, "content_hash": content_hash(studies)}}


@pytest.mark.parametrize("model", [Study, Finding])
def test_every_column_is_exported_or_left_out_with_a_reason(model):
    assert undecided(model._meta.model_name, columns(model)) == set()


def test_a_new_column_without_a_decision_is_caught():
    assert undecided("finding", [*columns(Finding), "grade_domain"]) == {"grade_domain"}
    assert undecided("study", [*columns(Study), "funding"]) == {"funding"}


def test_the_exported_fields_are_those_of_the_current_format_version():
    assert fingerprint() == KNOWN_FORMATS[FORMAT_VERSION], (
        "The exported fields changed: add a format version to evidence_file.FORMAT_VERSION, an upgrade "
        "from the previous one to UPGRADES, and its fingerprint here."
    )
    assert set(UPGRADES) == set(range(min(UPGRADES), FORMAT_VERSION + 1))


def test_every_left_out_column_says_why():
    assert all(reason.strip() for reasons in LEFT_OUT.values() for reason in reasons.values())


def test_an_export_from_before_this_release_imports_into_an_empty_database(db):
    document = json.loads(FORMAT_3_EXPORT.read_text(encoding="utf-8"))
    assert document["format_version"] == 3
    output = import_(FORMAT_3_EXPORT)
    assert "0 updated" in output
    assert "(format version 3, upgraded)" in Finding.history.first().history_change_reason
    # The upgraded evidence holds the fields format 4 added, so it is other JSON than the file's: a version of its own.
    version = EvidenceVersion.objects.get()
    assert version.number == 1 and version.content_hash != document["evidence_version"]["content_hash"]
    scle = Finding.objects.get(study__key="cortes-hernandez-2012", key="scle-long-term-remission")
    assert (scle.estimate, scle.lower, scle.upper) == (Decimal("30"), Decimal("5.82"), Decimal("154.63"))


def test_an_export_from_before_this_release_imports_over_the_evidence_it_brought_unchanged(db):
    import_(FORMAT_3_EXPORT)
    assert "0 created, 0 updated" in import_(FORMAT_3_EXPORT)
    assert EvidenceVersion.objects.count() == 1


def test_a_format_3_file_is_upgraded_with_empty_spanish_interventions_and_no_nerve_testing_mark():
    document = read_document(FORMAT_3_EXPORT)
    study_fields, finding_fields = ADDED_IN_4
    assert document["upgraded_from"] == 3
    for study in document["studies"]:
        assert {name: study[name] for name in study_fields} == dict.fromkeys(study_fields, "")
        for finding in study["findings"]:
            assert {name: finding[name] for name in finding_fields} == dict.fromkeys(finding_fields, "")


def test_a_format_2_file_is_upgraded_on_read_and_imports(db, tmp_path):
    current = json.loads(FORMAT_3_EXPORT.read_text(encoding="utf-8"))
    # Format 2 had no curator notes or dose bands, so its studies are those that need neither.
    added_in_3 = ("curator_note", "daily_dose_above", "daily_dose_up_to")
    current["studies"] = [s for s in current["studies"] if not any(f[n] for f in s["findings"] for n in added_in_3)]
    path = tmp_path / "format-2.json"
    format_2 = older(current, 2, set(), {"curator_note", "curator_note_es", "daily_dose_above", "daily_dose_up_to"})
    path.write_text(json.dumps(format_2), encoding="utf-8")
    assert read_document(path)["format_version"] == FORMAT_VERSION
    output = import_(path)
    assert "(format version 2, upgraded)" in Finding.history.first().history_change_reason
    assert "evidence version v1" in output  # a new version: the upgraded evidence is not the file's hash
    assert not Finding.objects.exclude(curator_note="").exists()


def test_a_format_1_file_without_spanish_fields_is_upgraded_on_read(tmp_path):
    current = json.loads(FORMAT_3_EXPORT.read_text(encoding="utf-8"))
    spanish_study = {"short_es", "design_es", "population_es", "certainty_reason_es", "title"}
    removed = {"statement_es", "certainty_reason_es", "comparator", "comparator_es", "association",
               "curator_note", "curator_note_es", "daily_dose_above", "daily_dose_up_to"}
    path = tmp_path / "format-1.json"
    path.write_text(json.dumps(older(current, 1, spanish_study, removed)), encoding="utf-8")
    document = read_document(path)
    assert document["upgraded_from"] == 1 and document["evidence_version"] is None
    finding = document["studies"][0]["findings"][0]
    assert set(finding) == set(FINDING_FIELDS)
    assert set(document["studies"][0]) == {*STUDY_FIELDS, "findings"}


@pytest.mark.parametrize(
    "version, message",
    [
        (99, f"format version 99, newer than the {FORMAT_VERSION} this cledss reads: update cledss"),
        (0, f"format version 0; this cledss reads versions 1 to {FORMAT_VERSION}: import it into a release that reads it"),
        ("3", f"format version 3; this cledss reads versions 1 to {FORMAT_VERSION}"),
    ],
)
def test_a_file_of_an_unreadable_format_version_is_refused_with_its_version_and_what_to_do(db, tmp_path, version, message):
    path = tmp_path / "evidence.json"
    path.write_text(json.dumps({"format": "cledss-evidence", "format_version": version, "studies": []}))
    with pytest.raises(CommandError, match=message):
        import_(path)
    assert not Study.objects.exists()


def test_an_older_file_changed_after_export_is_refused(tmp_path):
    current = json.loads(FORMAT_3_EXPORT.read_text(encoding="utf-8"))
    format_2 = older(current, 2, set(), {"curator_note", "curator_note_es", "daily_dose_above", "daily_dose_up_to"})
    format_2["studies"][0]["year"] = 1999
    path = tmp_path / "format-2.json"
    path.write_text(json.dumps(format_2))
    with pytest.raises(EvidenceFileError, match="changed after it was exported"):
        read_document(path)
