"""Turn the published evidence into the plain values the clinical core reads, once per evidence version.

A version keeps the evidence it published (``EvidenceVersion.evidence``, the canonical JSON its hash is
taken of); the first page after a publish builds its snapshot from that one text once it hashes to the
version's hash (SHA-256 of the text: no records are encoded again), so what a page shows is exactly
what the version recorded. Versions recorded before they kept their evidence, and evidence with no
version, are read from the published rows and hashed.
"""

import gc
import logging
import time
from datetime import datetime, timedelta

import orjson
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from cledss.clinical.body_of_evidence import EvidenceSnapshot, ReportedFinding, read_study

from .models import EvidenceVersion, version_label
from .published import content_hash, in_reading_order, published_study_records, text_hash

logger = logging.getLogger(__name__)

# The last snapshot built for each language, keyed by (version number, content hash). Published
# evidence changes only through the workflow, which records a new version, so one cheap query
# tells whether it is still current. The hash in the key keeps separate databases (tests) apart.
_last: dict[str, tuple[tuple[int, str], EvidenceSnapshot]] = {}
# The records of the last version found to match its hash: the other language's snapshot of that
# version is built from them without reading and hashing the evidence again.
_verified: dict[tuple[int, str], list[dict]] = {}
# The findings read from each study for the last snapshot of each language, by the study's record as
# JSON bytes. A publish changes a few studies, so the next snapshot reads only those afresh and takes
# the others' findings (immutable) from here: the first page after a publish costs what the change
# costs, not what the whole evidence base does. Any difference in a record's bytes reads it again.
_studies: dict[str, dict[bytes, tuple[ReportedFinding, ...]]] = {}

# While the database cannot be reached, pages are drawn from the last evidence version this worker
# confirmed current, for this long at most; the page says since when (docs/deployment.md).
LAST_CONFIRMED_LIMIT = timedelta(minutes=10)
# When each language's last snapshot was last confirmed to be the published version.
_confirmed: dict[str, datetime] = {}
# After a failed attempt the database is left alone this long, so that during an outage a page does not
# wait for the connection pool's timeout again and again (time.monotonic()).
UNREACHABLE_PAUSE = 5.0
_unreachable_until = 0.0


def forget() -> None:
    """Drop every snapshot and study read so far, as a new worker starts with none."""
    global _unreachable_until
    _last.clear()
    _verified.clear()
    _studies.clear()
    _confirmed.clear()
    _unreachable_until = 0.0


def snapshot_or_last_confirmed(language: str = "en") -> tuple[EvidenceSnapshot, datetime | None]:
    """The published snapshot and None; while the database cannot be reached, the last snapshot this worker
    confirmed current within LAST_CONFIRMED_LIMIT and when it confirmed it. Past that the error stands."""
    global _unreachable_until
    confirmed = _confirmed.get(language)
    usable = confirmed is not None and timezone.now() - confirmed <= LAST_CONFIRMED_LIMIT
    if usable and time.monotonic() < _unreachable_until:
        return _last[language][1], confirmed
    try:
        return published_snapshot(language), None
    except (OperationalError, InterfaceError):
        _unreachable_until = time.monotonic() + UNREACHABLE_PAUSE
        if not usable:
            raise
        logger.warning("database unreachable: answering from evidence last confirmed at %s", confirmed.isoformat())
        return _last[language][1], confirmed


def published_snapshot(language: str = "en") -> EvidenceSnapshot:
    latest = EvidenceVersion.objects.order_by("-number").values_list("number", "content_hash").first()
    cached = _last.get(language)
    if latest is not None and cached is not None and cached[0] == latest:
        _confirmed[language] = timezone.now()
        return cached[1]
    # Python's cyclic collector scanned the whole process whenever a snapshot's many new objects
    # tipped it into a full collection: 85 ms with a thousand studies, with every thread of the
    # worker waiting (bench/README.md). So it is paused while a snapshot is built, and a snapshot kept
    # for its version is frozen with everything else the process holds by then (Django, its
    # templates), which lives as long as the process: later collections leave it alone. A dropped
    # snapshot holds no cycles and is freed as usual. An unversioned snapshot, built per request, is
    # not frozen, so garbage of the moment is never frozen request after request.
    collecting = gc.isenabled()
    gc.disable()
    try:
        snapshot = _built(latest, language)
        if _last.get(language, (None, None))[1] is snapshot:
            gc.freeze()
    finally:
        if collecting:
            gc.enable()
    return snapshot


def _built(latest: tuple[int, str] | None, language: str) -> EvidenceSnapshot:
    if latest is not None and latest in _verified:
        records, digest = _verified[latest], latest[1]
    elif latest is not None and (kept := _kept_records(*latest)) is not None:
        records, digest = kept, latest[1]
    else:
        records = published_study_records()
        digest = content_hash(records)
    if latest is None or latest[1] != digest:
        if latest is not None:
            logger.warning("published evidence differs from recorded version v%s; showing it as unversioned", latest[0])
        return _snapshot(records, version_label(None, digest), language)
    snapshot = _snapshot(records, version_label(*latest), language)
    _last[language] = (latest, snapshot)
    _confirmed[language] = timezone.now()
    if latest not in _verified:
        _verified.clear()
        _verified[latest] = records
    return snapshot


def _snapshot(records: list[dict], version: str, language: str) -> EvidenceSnapshot:
    """EvidenceSnapshot.from_records, reading afresh only the studies whose records the last snapshot did not hold."""
    earlier, studies, findings = _studies.get(language, {}), {}, []
    for record in records:
        fingerprint = orjson.dumps(record)
        study = earlier.get(fingerprint)
        if study is None:
            study = read_study(record, language)
        studies[fingerprint] = study
        findings.extend(study)
    _studies[language] = studies
    return EvidenceSnapshot(version=version, findings=tuple(findings))


def _kept_records(number: int, digest: str) -> list[dict] | None:
    """The evidence the version recorded, in reading order, if it kept some that hashes to the version's
    hash; else None, and the rows are read."""
    kept = EvidenceVersion.objects.filter(number=number).values_list("evidence", flat=True).first()
    if not kept or text_hash(kept) != digest:
        return None
    return in_reading_order(orjson.loads(kept))
