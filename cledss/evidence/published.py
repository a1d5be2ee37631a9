"""What clinicians see: the published studies and findings as plain records, their hash and version.

The snapshot the pages read, the evidence versions and the evidence file all take the published
evidence from here, so there is one definition of it and no import cycle between them.
"""

import hashlib
import json
from decimal import Decimal

from django.db import models

from cledss.clinical.stats import number

from . import evidence_fields
from .models import EvidenceVersion, Finding, Status, Study

# The fields of a published record (evidence_fields.py): they are the evidence file's format and what the
# content hash covers. A field added to a model is not evidence until it is declared there, with the format
# version that adds it (tests/test_export_format.py).
STUDY_FIELDS = evidence_fields.in_file(evidence_fields.STUDY)
FINDING_FIELDS = evidence_fields.in_file(evidence_fields.FINDING)

# The columns that are not evidence, each with the reason. With the fields above they must name
# every column of the models, so a new column needs a decision: exported (a new format version)
# or left out, with its reason here.
_EDIT_NUMBER = "counts saves in one database, to refuse a stale form; another instance counts its own"
_REVISES = "only revisions, which are never published, point to a row; published rows have none"
_REVISES_EDIT = "a revision's own bookkeeping; revisions are never published"
LEFT_OUT = {
    "study": {
        "id": "each database's own row number; rows are matched by key",
        "changed_by": "audit data, kept in the history",
        "edit_number": _EDIT_NUMBER,
        "revises": _REVISES,
        "revises_edit_number": _REVISES_EDIT,
    },
    "finding": {
        "id": "each database's own row number; rows are matched by study and key",
        "study": "a finding is written inside its study",
        "changed_by": "audit data, kept in the history",
        "edit_number": _EDIT_NUMBER,
        "revises": _REVISES,
        "revises_edit_number": _REVISES_EDIT,
    },
}
EXPORTED = {"study": STUDY_FIELDS, "finding": FINDING_FIELDS}


def undecided(model_name: str, columns) -> set[str]:
    """The columns neither exported nor left out with a reason."""
    return set(columns) - set(EXPORTED[model_name]) - set(LEFT_OUT[model_name])


def columns(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields]


def plain(value):
    return number(value) if isinstance(value, Decimal) else value


def values(row, fields) -> dict:
    return {name: plain(getattr(row, name)) for name in fields}


def _decimal_fields(names, model) -> tuple[str, ...]:
    return tuple(name for name in names if isinstance(model._meta.get_field(name), models.DecimalField))


_STUDY_DECIMALS = _decimal_fields(STUDY_FIELDS, Study)
_FINDING_DECIMALS = _decimal_fields(FINDING_FIELDS, Finding)


def published_study_records() -> list[dict]:
    """Published studies with their published findings (by key) as plain JSON values, in reading order.

    Two queries read plain rows, with no model instances: building the evidence snapshot for a new
    version is on the path of the first page after a publish, and with a thousand studies model
    instances were most of its cost (bench/speed.py).
    """
    findings: dict[int, list[dict]] = {}
    rows = Finding.objects.filter(status=Status.PUBLISHED).order_by("key").values_list("study_id", *FINDING_FIELDS)
    for study_id, *row in rows:
        findings.setdefault(study_id, []).append(_record(FINDING_FIELDS, row, _FINDING_DECIMALS))
    records = []
    for study_id, *row in Study.objects.filter(status=Status.PUBLISHED).values_list("id", *STUDY_FIELDS):
        records.append({**_record(STUDY_FIELDS, row, _STUDY_DECIMALS), "findings": findings.get(study_id, [])})
    return in_reading_order(records)


def in_reading_order(records: list[dict]) -> list[dict]:
    """Studies by year and key, those without a year first, whichever database (or file) they came from."""
    return sorted(records, key=lambda record: (record["year"] is not None, record["year"] or 0, record["key"]))


def _record(names, row, decimals: tuple[str, ...]) -> dict:
    record = dict(zip(names, row, strict=True))
    for name in decimals:
        record[name] = plain(record[name])
    return record


def canonical(records: list[dict]) -> list[dict]:
    return [
        {**record, "findings": sorted(record["findings"], key=lambda f: f["key"])}
        for record in sorted(records, key=lambda r: r["key"])
    ]


def published_records() -> list[dict]:
    return canonical(published_study_records())


def canonical_json(records: list[dict]) -> str:
    """The evidence as one JSON text: studies and findings by key, keys sorted, no spaces."""
    return json.dumps(canonical(records), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def content_hash(records: list[dict]) -> str:
    """SHA-256 of the evidence in canonical order, so a printout traces back to exactly what was shown."""
    return text_hash(canonical_json(records))


def latest_version() -> EvidenceVersion | None:
    return EvidenceVersion.objects.order_by("-number").first()
