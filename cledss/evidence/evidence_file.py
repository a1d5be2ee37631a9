"""The evidence base as one JSON document: the seed in the repository is written in this format.

An export writes every published study with its published findings, studies ordered by key and
findings by key, with sorted keys, so exporting the same evidence twice gives the same bytes.
"""

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models, transaction

from cledss.clinical.evidence import number

from .models import EvidenceVersion, Finding, Status, Study

FORMAT = "cledss-evidence"
FORMAT_VERSION = 3  # 2: titles, comparators, associations; 3: curator notes and daily-dose bands
SEED = Path(__file__).resolve().parent / "seed" / "evidence.json"

# The history reasons the seed loader writes; a row whose latest entry has one of them is the loader's own.
LOADED_FROM_SEED = "loaded from the seed evidence"
UPDATED_FROM_SEED = "updated from the seed evidence"
RETRACTED_FROM_SEED = "retracted as no longer in the seed evidence"
SEED_REASONS = frozenset({LOADED_FROM_SEED, UPDATED_FROM_SEED, RETRACTED_FROM_SEED})

# Who changed a row is audit data, kept in the history, not evidence.
_STUDY_FIELDS = [f.name for f in Study._meta.concrete_fields if f.name not in ("id", "changed_by")]
_FINDING_FIELDS = [f.name for f in Finding._meta.concrete_fields if f.name not in ("id", "study", "changed_by")]


class EvidenceFileError(ValueError):
    pass


def _plain(value):
    return number(value) if isinstance(value, Decimal) else value


def _decimal_fields(names: list[str], model) -> tuple[str, ...]:
    return tuple(name for name in names if isinstance(model._meta.get_field(name), models.DecimalField))


_STUDY_DECIMALS = _decimal_fields(_STUDY_FIELDS, Study)
_FINDING_DECIMALS = _decimal_fields(_FINDING_FIELDS, Finding)


def published_study_records() -> list[dict]:
    """Published studies with their published findings as plain JSON values, in the order the clinical core
    reads them (``in_reading_order``; findings by key).

    Two queries read plain rows, with no model instances: building the evidence snapshot for a new version
    is on the path of the first page after a publish, and with a thousand studies model instances were
    most of its cost (bench/speed.py).
    """
    findings: dict[int, list[dict]] = {}
    rows = Finding.objects.filter(status=Status.PUBLISHED).order_by("key").values_list("study_id", *_FINDING_FIELDS)
    for study_id, *values in rows:
        findings.setdefault(study_id, []).append(_record(_FINDING_FIELDS, values, _FINDING_DECIMALS))
    records = []
    for study_id, *values in Study.objects.filter(status=Status.PUBLISHED).values_list("id", *_STUDY_FIELDS):
        record = _record(_STUDY_FIELDS, values, _STUDY_DECIMALS)
        record["findings"] = findings.get(study_id, [])
        records.append(record)
    return in_reading_order(records)


def in_reading_order(records: list[dict]) -> list[dict]:
    """Studies by year and key, those without a year first, whichever database (or file) they came from."""
    return sorted(records, key=lambda record: (record["year"] is not None, record["year"] or 0, record["key"]))


def _record(names: list[str], values: list, decimals: tuple[str, ...]) -> dict:
    record = dict(zip(names, values, strict=True))
    for name in decimals:
        record[name] = _plain(record[name])
    return record


def _canonical(records: list[dict]) -> list[dict]:
    return [
        {**record, "findings": sorted(record["findings"], key=lambda f: f["key"])}
        for record in sorted(records, key=lambda r: r["key"])
    ]


def published_records() -> list[dict]:
    return _canonical(published_study_records())


def canonical_json(records: list[dict]) -> str:
    """The evidence in canonical order, as the one string its content hash is taken of."""
    return json.dumps(_canonical(records), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def hash_of(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()


def content_hash(records: list[dict]) -> str:
    """SHA-256 of the evidence in canonical order, so a printout traces back to exactly what was shown."""
    return hash_of(canonical_json(records))


def dumps(document: dict) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def export_document() -> dict:
    """The whole published evidence base, with the version clinicians see it as."""
    records = published_records()
    digest = content_hash(records)
    latest = EvidenceVersion.objects.order_by("-number").defer("evidence").first()
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


def _take_values(row, record: dict, fields: list[str], where: str) -> dict | None:
    """Give ``row`` the file's values and validate it; return its values before (None for a new row).

    Every row is validated, even one that matches the database, so rules tightened since it was
    saved apply and a bad file is refused whatever the database holds.
    """
    before = _values(row, fields) if row.pk else None
    for name in fields:
        setattr(row, name, record[name])
    try:
        row.full_clean()
    except ValidationError as error:
        raise EvidenceFileError(f"{where}: {_messages(error)}") from error
    return before


def _apply(obj, record: dict, fields: list[str], where: str, reason: str, result: ImportResult) -> None:
    current = _take_values(obj, record, fields, where)
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


@dataclass
class LoadResult:
    """What loading the seed changed; ``kept`` names the rows curators changed, which it left as they are."""

    added: int = 0
    updated: int = 0
    retracted: int = 0
    kept: list[str] = field(default_factory=list)


def _values(row, fields: list[str]) -> dict:
    return {name: _plain(getattr(row, name)) for name in fields}


def untouched_since_loaded(row, fields: list[str]) -> bool:
    """Whether the loader wrote the row's latest history entry and the row still holds what that entry recorded.

    The second check catches a change made around the history (a queryset update, SQL): the loader
    cannot tell who made it, so it counts as a curator's.
    """
    latest = row.history.first()
    if latest is None or latest.history_change_reason not in SEED_REASONS:
        return False
    return _values(latest, fields) == _values(row, fields)


def _load_row(row, record: dict, fields: list[str], label: str, result: LoadResult) -> None:
    """Add the row, or update it to the file's values if it is the loader's own; a curator's row stays as it is."""
    ours = not row.pk or untouched_since_loaded(row, fields)
    before = _take_values(row, record, fields, label)
    if before == {name: record[name] for name in fields}:
        return  # no history entry for a row the file leaves as it was
    if not ours:
        result.kept.append(label)
        row.refresh_from_db()  # its findings are validated against the study as it is
        return
    row._change_reason = LOADED_FROM_SEED if before is None else UPDATED_FROM_SEED
    row.save()
    if before is None:
        result.added += 1
    else:
        result.updated += 1


def _retract_dropped(row, fields: list[str], label: str, result: LoadResult) -> None:
    """Retract a published row the seed no longer holds, if the loader's own; report it if a curator changed it."""
    if untouched_since_loaded(row, fields):
        # No full_clean: rules tightened since the row was loaded must not keep it in front of clinicians.
        row.status = Status.RETRACTED
        row._change_reason = RETRACTED_FROM_SEED
        row.save()
        result.retracted += 1
    elif row.history.filter(history_change_reason__in=SEED_REASONS).exists():
        result.kept.append(label)


def _key(record):
    return record.get("key") if isinstance(record, dict) else None


def _checked(record, fields: list[str], label: str, seen: set) -> None:
    _check_fields(record, fields, label)
    if record["key"] in seen:
        raise EvidenceFileError(f"{label}: the key appears twice")
    seen.add(record["key"])


@transaction.atomic
def load_seed(records: list[dict]) -> LoadResult:
    """Bring the database to the seed's evidence without losing a curator's work; all or nothing.

    Rows are matched by key. Rows the loader wrote and nobody changed since are updated to the
    file, or retracted (never deleted) if the file no longer holds them; new studies and findings
    are added; rows a curator changed are left as they are and named in ``kept``. A bad file
    raises ``EvidenceFileError`` and rolls everything back.
    """
    result = LoadResult()
    study_keys: set = set()
    finding_keys: set = set()  # (study key, finding key)
    for index, record in enumerate(records):
        label = str(_key(record) or f"study {index + 1}")
        _checked(record, [*_STUDY_FIELDS, "findings"], label, study_keys)
        if not isinstance(record["findings"], list):
            raise EvidenceFileError(f"{label}: findings must be a list")
        study = Study.objects.filter(key=record["key"]).first() or Study()
        _load_row(study, record, _STUDY_FIELDS, label, result)
        seen: set = set()
        for finding_record in record["findings"]:
            finding_label = f"{label}/{_key(finding_record) or '?'}"
            _checked(finding_record, _FINDING_FIELDS, finding_label, seen)
            finding = Finding.objects.filter(study=study, key=finding_record["key"]).first() or Finding(study=study)
            _load_row(finding, finding_record, _FINDING_FIELDS, finding_label, result)
        finding_keys |= {(record["key"], key) for key in seen}
    published_findings = Finding.objects.filter(status=Status.PUBLISHED).select_related("study")
    for finding in published_findings.order_by("study__key", "key"):
        if (finding.study.key, finding.key) not in finding_keys:
            _retract_dropped(finding, _FINDING_FIELDS, f"{finding.study.key}/{finding.key}", result)
    for study in Study.objects.filter(status=Status.PUBLISHED).exclude(key__in=study_keys).order_by("key"):
        _retract_dropped(study, _STUDY_FIELDS, study.key, result)
    return result
