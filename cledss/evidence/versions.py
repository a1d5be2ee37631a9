"""Evidence versions: a numbered, hashed record of each state of the published evidence base."""

from django.db import transaction

from .evidence_file import canonical_json, hash_of, published_records
from .models import EvidenceVersion


@transaction.atomic
def record_version(*, user=None, reason: str = "", at_least: int = 1) -> EvidenceVersion | None:
    """Record a new version if what clinicians see has changed since the latest one; return the latest.

    ``at_least`` lets an import keep the version number of the file it came from, so the
    same evidence carries the same number on every instance it was copied to.
    """
    records = published_records()
    if not records and not EvidenceVersion.objects.exists():
        return None
    canonical = canonical_json(records)
    digest = hash_of(canonical)
    latest = EvidenceVersion.objects.select_for_update().order_by("-number").defer("evidence").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    number = max(latest.number + 1 if latest else 1, at_least)
    return EvidenceVersion.objects.create(
        number=number, content_hash=digest, evidence=canonical, published_by=user, reason=reason[:200]
    )


def latest_version() -> EvidenceVersion | None:
    return EvidenceVersion.objects.order_by("-number").defer("evidence").first()
