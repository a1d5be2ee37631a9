"""The evidence base as one JSON document: the seed in the repository is written in this format.

An export writes every published study with its published findings, studies ordered by key and
findings by key, with sorted keys, so exporting the same evidence twice gives the same bytes.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from . import evidence_fields
from .models import EvidenceVersion, Finding, Status, Study, save_with_history
from .published import FINDING_FIELDS, STUDY_FIELDS, content_hash, latest_version, published_records, values
from .versions import record_version

FORMAT = "cledss-evidence"
# The newest format version a field declares in evidence_fields.py; UPGRADES below turns a file of each
# earlier version into the next, giving the fields that version added their empty value.
# 2: titles, comparators, associations; 3: curator notes and daily-dose bands; 4: Spanish interventions and
# follow-up, and whose nerves a neuropathy figure's source tested
FORMAT_VERSION = evidence_fields.FORMAT_VERSION
SEED = Path(__file__).resolve().parent / "seed" / "evidence.json"

# The history reasons the seed loader writes; a row whose latest entry has one of them is the loader's own.
LOADED_FROM_SEED = "loaded from the seed evidence"
UPDATED_FROM_SEED = "updated from the seed evidence"
RETRACTED_FROM_SEED = "retracted as no longer in the seed evidence"
SEED_REASONS = frozenset({LOADED_FROM_SEED, UPDATED_FROM_SEED, RETRACTED_FROM_SEED})


class EvidenceFileError(ValueError):
    pass


def dumps(document: dict) -> str:
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def export_document() -> dict:
    """The whole published evidence base, with the version clinicians see it as."""
    records = published_records()
    digest = content_hash(records)
    latest = latest_version()
    version_number = latest.number if latest is not None and latest.content_hash == digest else None
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "evidence_version": {"number": version_number, "content_hash": digest},
        "studies": records,
    }


def _empty(model, names: tuple[str, ...]) -> dict:
    return {name: model._meta.get_field(name).get_default() for name in names}


def _upgrade_to(version: int):
    """An upgrade of a file's studies of the version before ``version``: the fields it added, empty where missing."""
    study_defaults = _empty(Study, evidence_fields.added_in(evidence_fields.STUDY, version))
    finding_defaults = _empty(Finding, evidence_fields.added_in(evidence_fields.FINDING, version))

    def upgrade(records: list[dict]) -> list[dict]:
        return [
            {
                **study_defaults,
                **record,
                "findings": [{**finding_defaults, **finding} for finding in record.get("findings") or []],
            }
            for record in records
        ]

    return upgrade


# Format version N -> an upgrade of a version N-1 file's studies to version N.
UPGRADES = {version: _upgrade_to(version) for version in range(2, FORMAT_VERSION + 1)}
OLDEST_READABLE = min(UPGRADES) - 1
TOO_NEW = (
    "{path} has format version {version}, newer than the {current} this cledss reads: "
    "update cledss, or export the file again from the instance it came from with this release's format"
)
TOO_OLD = (
    "{path} has format version {version}; this cledss reads versions {oldest} to {current}: "
    "import it into a release that reads it, then export it again"
)


def read_document(path: Path) -> dict:
    """Read an evidence file, upgrading an older format version to today's on the way in.

    The content hash of an older file is checked against its studies as written; the upgraded
    studies are different JSON, so they keep no version number and get a new one when imported.
    """
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EvidenceFileError(f"cannot read {path}: {error}") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise EvidenceFileError(f"{path} is not a {FORMAT} file")
    version = document.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < OLDEST_READABLE:
        raise EvidenceFileError(TOO_OLD.format(path=path, version=version, oldest=OLDEST_READABLE, current=FORMAT_VERSION))
    if version > FORMAT_VERSION:
        raise EvidenceFileError(TOO_NEW.format(path=path, version=version, current=FORMAT_VERSION))
    if not isinstance(document.get("studies"), list) or not all(isinstance(r, dict) for r in document["studies"]):
        raise EvidenceFileError(f"{path} has no list of studies")
    if version < FORMAT_VERSION:
        _check_hash(document)
        studies = document["studies"]
        for step in range(version + 1, FORMAT_VERSION + 1):
            studies = UPGRADES[step](studies)
        document = {**document, "format_version": FORMAT_VERSION, "studies": studies, "evidence_version": None}
        document["upgraded_from"] = version
    return document


def read(path: Path) -> list[dict]:
    return read_document(path)["studies"]


def _check_hash(document: dict) -> dict:
    """The file's stated evidence version, once its content hash is known to match its studies."""
    stated = document.get("evidence_version") or {}
    if not isinstance(stated, dict):
        raise EvidenceFileError("evidence_version must be an object with number and content_hash")
    if stated.get("content_hash") and stated["content_hash"] != content_hash(document["studies"]):
        raise EvidenceFileError(
            "the studies do not match the file's content hash: the file was changed after it was exported"
        )
    return stated


def _check_not_behind(stated: dict) -> None:
    """Refuse a file exported before a version published here since: importing it would lose that work."""
    if not isinstance(stated.get("number"), int):
        return
    latest = EvidenceVersion.objects.select_for_update().order_by("-number").first()
    if latest is not None and latest.number > stated["number"] and latest.content_hash != stated.get("content_hash"):
        raise EvidenceFileError(
            PUBLISHED_SINCE.format(file=stated["number"], here=latest.number, reason=latest.reason or "no reason", when=latest.created_at)
        )


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
    before = values(row, fields) if row.pk else None
    for name in fields:
        setattr(row, name, record[name])
    try:
        row.full_clean()
    except ValidationError as error:
        raise EvidenceFileError(f"{where}: {_messages(error)}") from error
    return before


UNPUBLISHED_WORK = (
    "{where}: the file would overwrite unpublished work ({status}, last changed by {who}); "
    "publish it, send it back or delete it first, then import again"
)
PUBLISHED_SINCE = (
    "the file holds evidence version {file}, but version {here} was published here since "
    "({reason}, {when:%Y-%m-%d %H:%M}); importing the file would undo it. Export again and redo the file's "
    "changes on top, or import with --replace-newer to replace version {here} on purpose"
)


def _apply(obj, record: dict, fields: list[str], where: str, reason: str, result: ImportResult) -> None:
    status_before = obj.status if obj.pk else None
    current = _take_values(obj, record, fields, where)
    if current == {name: record[name] for name in fields}:
        result.unchanged += 1
        return  # no history entry for a row the file leaves as it was
    if status_before in (Status.DRAFT, Status.IN_REVIEW):
        who = obj.changed_by.get_username() if obj.changed_by else "nobody recorded"
        raise EvidenceFileError(UNPUBLISHED_WORK.format(where=where, status=Status(status_before).label.lower(), who=who))
    if current is None:
        result.created += 1
    else:
        result.updated += 1
    save_with_history(obj, reason=reason)


def _retract_missing(queryset, reason: str, result: ImportResult) -> None:
    for obj in queryset.filter(status=Status.PUBLISHED):
        obj.status = Status.RETRACTED
        save_with_history(obj, reason=reason)
        result.retracted += 1


@transaction.atomic
def import_published(document: dict, *, source: str, replace_newer: bool = False) -> ImportResult:
    """Make the published evidence base exactly the file's; all or nothing.

    Rows are matched by key and validated with ``full_clean``; published rows the file no longer
    holds are retracted, never deleted; drafts and items in review that the file does not name are
    left as they are. Any error raises ``EvidenceFileError`` and rolls everything back.
    """
    records = document["studies"]
    stated = _check_hash(document)
    if not replace_newer:
        _check_not_behind(stated)
    upgraded = f" (format version {document['upgraded_from']}, upgraded)" if document.get("upgraded_from") else ""
    reason = f"imported from {source}{upgraded}"[:100]
    result = ImportResult()
    keys = set()
    for index, record in enumerate(records):
        where = f"study {record.get('key', index + 1) if isinstance(record, dict) else index + 1}"
        _check_fields(record, [*STUDY_FIELDS, "findings"], where)
        if record["key"] in keys:
            raise EvidenceFileError(f"{where}: the key appears twice")
        keys.add(record["key"])
        study = Study.objects.select_for_update().filter(key=record["key"], revises=None).first() or Study()
        _apply(study, record, STUDY_FIELDS, where, reason, result)
        finding_keys = set()
        for finding_record in record["findings"]:
            finding_where = f"{where}, finding {finding_record.get('key', '?') if isinstance(finding_record, dict) else '?'}"
            _check_fields(finding_record, FINDING_FIELDS, finding_where)
            if finding_record["key"] in finding_keys:
                raise EvidenceFileError(f"{finding_where}: the key appears twice in this study")
            finding_keys.add(finding_record["key"])
            finding = (
                Finding.objects.select_for_update().filter(study=study, key=finding_record["key"], revises=None).first() or Finding(study=study)
            )
            _apply(finding, finding_record, FINDING_FIELDS, finding_where, reason, result)
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


def untouched_since_loaded(row, fields: list[str]) -> bool:
    """Whether the loader wrote the row's latest history entry and the row still holds what that entry recorded.

    The second check catches a change made around the history (a queryset update, SQL): the loader
    cannot tell who made it, so it counts as a curator's.
    """
    latest = row.history.first()
    if latest is None or latest.history_change_reason not in SEED_REASONS:
        return False
    return values(latest, fields) == values(row, fields)


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
    save_with_history(row, reason=LOADED_FROM_SEED if before is None else UPDATED_FROM_SEED)
    if before is None:
        result.added += 1
    else:
        result.updated += 1


def _retract_dropped(row, fields: list[str], label: str, result: LoadResult) -> None:
    """Retract a published row the seed no longer holds, if the loader's own; report it if a curator changed it."""
    if untouched_since_loaded(row, fields):
        # No full_clean: rules tightened since the row was loaded must not keep it in front of clinicians.
        row.status = Status.RETRACTED
        save_with_history(row, reason=RETRACTED_FROM_SEED)
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
        _checked(record, [*STUDY_FIELDS, "findings"], label, study_keys)
        if not isinstance(record["findings"], list):
            raise EvidenceFileError(f"{label}: findings must be a list")
        study = Study.objects.filter(key=record["key"], revises=None).first() or Study()
        _load_row(study, record, STUDY_FIELDS, label, result)
        seen: set = set()
        for finding_record in record["findings"]:
            finding_label = f"{label}/{_key(finding_record) or '?'}"
            _checked(finding_record, FINDING_FIELDS, finding_label, seen)
            finding = Finding.objects.filter(study=study, key=finding_record["key"], revises=None).first() or Finding(study=study)
            _load_row(finding, finding_record, FINDING_FIELDS, finding_label, result)
        finding_keys |= {(record["key"], key) for key in seen}
    published_findings = Finding.objects.filter(status=Status.PUBLISHED).select_related("study")
    for finding in published_findings.order_by("study__key", "key"):
        if (finding.study.key, finding.key) not in finding_keys:
            _retract_dropped(finding, FINDING_FIELDS, f"{finding.study.key}/{finding.key}", result)
    for study in Study.objects.filter(status=Status.PUBLISHED).exclude(key__in=study_keys).order_by("key"):
        _retract_dropped(study, STUDY_FIELDS, study.key, result)
    return result
