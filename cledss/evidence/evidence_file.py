"""The evidence base as one JSON document: the seed in the repository is written in this format.

An export writes every published study with its published findings, studies ordered by key and
findings by key, with sorted keys, so exporting the same evidence twice gives the same bytes.
"""

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch

from cledss.clinical.evidence import number

from .models import EvidenceVersion, Finding, Status, Study

FORMAT = "cledss-evidence"
FORMAT_VERSION = 2  # 2: sources have a title; findings a comparator and an association
SEED = Path(__file__).resolve().parent / "seed" / "evidence.json"

# Who changed a row is audit data, kept in the history, not evidence.
_STUDY_FIELDS = [f.name for f in Study._meta.concrete_fields if f.name not in ("id", "changed_by")]
_FINDING_FIELDS = [f.name for f in Finding._meta.concrete_fields if f.name not in ("id", "study", "changed_by")]


class EvidenceFileError(ValueError):
    pass


def _plain(value):
    return number(value) if isinstance(value, Decimal) else value


def study_record(study: Study) -> dict:
    """A study and its (already filtered) findings as plain JSON values."""
    record = {name: _plain(getattr(study, name)) for name in _STUDY_FIELDS}
    record["findings"] = [
        {name: _plain(getattr(finding, name)) for name in _FINDING_FIELDS} for finding in study.findings.all()
    ]
    return record


def published_studies():
    """Published studies with their published findings, in the order the clinical core reads them."""
    findings = Finding.objects.filter(status=Status.PUBLISHED).order_by("key")
    return Study.objects.filter(status=Status.PUBLISHED).prefetch_related(Prefetch("findings", queryset=findings))


def _canonical(records: list[dict]) -> list[dict]:
    return [
        {**record, "findings": sorted(record["findings"], key=lambda f: f["key"])}
        for record in sorted(records, key=lambda r: r["key"])
    ]


def published_records() -> list[dict]:
    return _canonical([study_record(study) for study in published_studies()])


def content_hash(records: list[dict]) -> str:
    """SHA-256 of the evidence in canonical order, so a printout traces back to exactly what was shown."""
    canonical = json.dumps(_canonical(records), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def dumps(document: dict) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def export_document() -> dict:
    """The whole published evidence base, with the version clinicians see it as."""
    records = published_records()
    digest = content_hash(records)
    latest = EvidenceVersion.objects.order_by("-number").first()
    version_number = latest.number if latest is not None and latest.content_hash == digest else None
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "evidence_version": {"number": version_number, "content_hash": digest},
        "studies": records,
    }


def read_document(path: Path) -> dict:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvidenceFileError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise EvidenceFileError(f"{path} is not a {FORMAT} file")
    if document.get("format_version") != FORMAT_VERSION:
        raise EvidenceFileError(f"{path} has format version {document.get('format_version')}, expected {FORMAT_VERSION}")
    if not isinstance(document.get("studies"), list):
        raise EvidenceFileError(f"{path} has no list of studies")
    return document


def read(path: Path) -> list[dict]:
    return read_document(path)["studies"]


@transaction.atomic
def add_missing_studies(records: list[dict]) -> list[Study]:
    """Add the studies whose key is not in the database yet; curated studies are never overwritten."""
    existing = set(Study.objects.values_list("key", flat=True))
    added = []
    for record in records:
        if record["key"] in existing:
            continue
        study = Study(**{name: record[name] for name in _STUDY_FIELDS if name in record})
        study.full_clean()
        study._change_reason = "loaded from the seed evidence"
        study.save()
        for finding_record in record.get("findings", []):
            finding = Finding(study=study, **{name: finding_record[name] for name in _FINDING_FIELDS if name in finding_record})
            finding.full_clean()
            finding._change_reason = "loaded from the seed evidence"
            finding.save()
        added.append(study)
    return added


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retracted: int = 0
    version: EvidenceVersion | None = None


def _check_fields(record, expected: list[str], where: str) -> None:
    if not isinstance(record, dict):
        raise EvidenceFileError(f"{where}: expected an object")
    missing = sorted(set(expected) - set(record))
    unknown = sorted(set(record) - set(expected))
    if missing or unknown:
        parts = [f"missing field(s) {', '.join(missing)}" if missing else "", f"unknown field(s) {', '.join(unknown)}" if unknown else ""]
        raise EvidenceFileError(f"{where}: {'; '.join(p for p in parts if p)}")
    if record["status"] != Status.PUBLISHED:
        raise EvidenceFileError(f"{where}: status is {record['status']!r}; an evidence file holds published evidence only")


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items())
    return " ".join(error.messages)


def _apply(obj, record: dict, fields: list[str], where: str, reason: str, result: ImportResult) -> None:
    current = {name: _plain(getattr(obj, name)) for name in fields} if obj.pk else None
    for name in fields:
        setattr(obj, name, record[name])
    try:
        # Every row, even one that matches the database, so rules tightened since it was saved apply.
        obj.full_clean()
    except ValidationError as error:
        raise EvidenceFileError(f"{where}: {_messages(error)}") from error
    if current == {name: record[name] for name in fields}:
        result.unchanged += 1
        return  # no history entry for a row the file leaves as it was
    if current is None:
        result.created += 1
    else:
        result.updated += 1
    obj._change_reason = reason
    obj.save()


def _retract_missing(queryset, reason: str, result: ImportResult) -> None:
    for obj in queryset.filter(status=Status.PUBLISHED):
        obj.status = Status.RETRACTED
        obj._change_reason = reason
        obj.save()
        result.retracted += 1


@transaction.atomic
def import_published(document: dict, *, source: str) -> ImportResult:
    """Make the published evidence base exactly the file's; all or nothing.

    Rows are matched by key and validated with ``full_clean``; published rows the file no longer
    holds are retracted, never deleted; drafts and items in review that the file does not name are
    left as they are. Any error raises ``EvidenceFileError`` and rolls everything back.
    """
    from .versions import record_version

    records = document["studies"]
    stated = document.get("evidence_version") or {}
    if not isinstance(stated, dict):
        raise EvidenceFileError("evidence_version must be an object with number and content_hash")
    if stated.get("content_hash") and stated["content_hash"] != content_hash(records):
        raise EvidenceFileError(
            "the studies do not match the file's content hash: the file was changed after it was exported"
        )
    reason = f"imported from {source}"[:100]
    result = ImportResult()
    keys = set()
    for index, record in enumerate(records):
        where = f"study {record.get('key', index + 1) if isinstance(record, dict) else index + 1}"
        _check_fields(record, [*_STUDY_FIELDS, "findings"], where)
        if record["key"] in keys:
            raise EvidenceFileError(f"{where}: the key appears twice")
        keys.add(record["key"])
        study = Study.objects.filter(key=record["key"]).first() or Study()
        _apply(study, record, _STUDY_FIELDS, where, reason, result)
        finding_keys = set()
        for finding_record in record["findings"]:
            finding_where = f"{where}, finding {finding_record.get('key', '?') if isinstance(finding_record, dict) else '?'}"
            _check_fields(finding_record, _FINDING_FIELDS, finding_where)
            if finding_record["key"] in finding_keys:
                raise EvidenceFileError(f"{finding_where}: the key appears twice in this study")
            finding_keys.add(finding_record["key"])
            finding = Finding.objects.filter(study=study, key=finding_record["key"]).first() or Finding(study=study)
            _apply(finding, finding_record, _FINDING_FIELDS, finding_where, reason, result)
        _retract_missing(Finding.objects.filter(study=study).exclude(key__in=finding_keys), reason, result)
    _retract_missing(Study.objects.exclude(key__in=keys), reason, result)
    if stated.get("content_hash") and content_hash(published_records()) != stated["content_hash"]:
        raise EvidenceFileError("the imported evidence does not reproduce the file's content hash; numbers may not be in canonical form")
    at_least = stated.get("number") if isinstance(stated.get("number"), int) else 1
    result.version = record_version(reason=reason, at_least=at_least)
    return result
