"""Evidence versions: a numbered, hashed record of each state of the published evidence base.

Each version keeps the evidence it published and what changed from the version before: the
studies and findings added, corrected (with their old and new figures) or retracted. The What's
new page and feed read those changes.
"""

from django.db import transaction

from .models import EvidenceVersion
from .published import canonical_json, published_records, text_hash


@transaction.atomic
def record_version(*, user=None, reason: str = "", summary: str = "", at_least: int = 1) -> EvidenceVersion | None:
    """Record a new version if what clinicians see has changed since the latest one; return the latest.

    ``at_least`` lets an import keep the version number of the file it came from, so the
    same evidence carries the same number on every instance it was copied to.
    """
    records = published_records()
    if not records and not EvidenceVersion.objects.exists():
        return None
    evidence = canonical_json(records)
    digest = text_hash(evidence)
    latest = EvidenceVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and latest.content_hash == digest:
        return latest
    number = max(latest.number + 1 if latest else 1, at_least)
    # The first version is the whole evidence base, and a version recorded before versions kept
    # their evidence has none to compare with: neither lists changes.
    previous = latest.records if latest is not None else []
    changes = changes_between(previous, records) if previous else []
    return EvidenceVersion.objects.create(
        number=number, content_hash=digest, published_by=user, reason=reason[:200], summary=summary,
        evidence=evidence, changes=changes,
    )


def _findings(records: list[dict]) -> dict[tuple[str, str], tuple[dict, dict]]:
    return {(study["key"], finding["key"]): (study, finding) for study in records for finding in study["findings"]}


def _source(study: dict) -> dict:
    return {name: value for name, value in study.items() if name != "findings"}


def _finding_change(kind: str, study: dict, finding: dict, old: dict | None, new: dict | None, fields=()) -> dict:
    """A finding's change with its whole record before and after, so its figure can be shown in any language."""
    return {"change": kind, "study": study["key"], "finding": finding["key"], "source": _source(study), "old": old, "new": new, "fields": list(fields)}


def _study_change(kind: str, study: dict, fields=()) -> dict:
    return {"change": kind, "study": study["key"], "finding": None, "source": _source(study), "old": None, "new": None, "fields": list(fields)}


def changes_between(before: list[dict], after: list[dict]) -> list[dict]:
    """What changed for clinicians from one published evidence base to the next, studies first."""
    studies_before = {s["key"]: s for s in before}
    studies_after = {s["key"]: s for s in after}
    changes = []
    for key in sorted(studies_before.keys() | studies_after.keys()):
        old, new = studies_before.get(key), studies_after.get(key)
        if old is None:
            changes.append(_study_change("added", new))
        elif new is None:
            changes.append(_study_change("retracted", old))
        else:
            fields = sorted(n for n in new if n != "findings" and new[n] != old.get(n))
            if fields:
                changes.append(_study_change("corrected", new, fields))
    findings_before, findings_after = _findings(before), _findings(after)
    for key in sorted(findings_before.keys() | findings_after.keys()):
        if key not in findings_before:
            study, finding = findings_after[key]
            changes.append(_finding_change("added", study, finding, None, finding))
        elif key not in findings_after:
            study, finding = findings_before[key]
            changes.append(_finding_change("retracted", study, finding, finding, None))
        else:
            (_, old), (study, new) = findings_before[key], findings_after[key]
            fields = sorted(n for n in new if new[n] != old.get(n))
            if fields:
                changes.append(_finding_change("corrected", study, new, old, new, fields))
    return changes
