"""The evidence base as one JSON document: the seed in the repository is written in this format."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from cledss.clinical.evidence import number

from .models import Finding, Study

FORMAT = "cledss-evidence"
FORMAT_VERSION = 1
SEED = Path(__file__).resolve().parent / "seed" / "evidence.json"

_STUDY_FIELDS = [f.name for f in Study._meta.concrete_fields if f.name != "id"]
_FINDING_FIELDS = [f.name for f in Finding._meta.concrete_fields if f.name not in ("id", "study")]


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


def read(path: Path) -> list[dict]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise EvidenceFileError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise EvidenceFileError(f"{path} is not a {FORMAT} file")
    if document.get("format_version") != FORMAT_VERSION:
        raise EvidenceFileError(f"{path} has format version {document.get('format_version')}, expected {FORMAT_VERSION}")
    return document["studies"]


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
        study.save()
        for finding_record in record.get("findings", []):
            finding = Finding(study=study, **{name: finding_record[name] for name in _FINDING_FIELDS if name in finding_record})
            finding.full_clean()
            finding.save()
        added.append(study)
    return added
