"""Turn the published rows into the plain values the clinical core reads."""

import hashlib
import json

from django.db.models import Prefetch

from cledss.clinical.evidence import EvidenceSnapshot

from .evidence_file import study_record
from .models import Finding, Status, Study


def published_studies():
    findings = Finding.objects.filter(status=Status.PUBLISHED).order_by("id")
    return Study.objects.filter(status=Status.PUBLISHED).prefetch_related(Prefetch("findings", queryset=findings))


def published_snapshot(language: str = "en") -> EvidenceSnapshot:
    records = [study_record(study) for study in published_studies()]
    return EvidenceSnapshot.from_records(records, version=content_version(records), language=language)


def content_version(records: list[dict]) -> str:
    """A short fingerprint of the published evidence, so a printout traces back to what was shown."""
    canonical = json.dumps(records, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]
