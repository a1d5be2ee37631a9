"""The review workflow: draft -> in review -> published, and retracted; and revisions of published rows.

A revision is a copy of a published study or finding that curators correct while the published
row stays on the clinician pages. Publishing it writes its content into the published row (one
new evidence version) and marks the revision merged; sending it back or deleting it leaves the
published row as it was.

Every change of status goes through one of these functions; nothing happens in ``save()``
or in signals. Each function checks who may act, validates the row with ``full_clean()``,
writes it, and (when what clinicians see changed) records a new evidence version.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import Finding, Status, Study, save_with_history
from .published import FINDING_FIELDS, STUDY_FIELDS
from .versions import record_version

NOT_ALLOWED_TO_SUBMIT = "Only a curator can submit evidence for review."
NOT_ALLOWED_TO_REVIEW = "Only a reviewer can publish, send back or retract evidence."
OWN_CHANGE = "You made the latest change to this item, so another reviewer must publish it."
ONLY_DRAFTS_CAN_BE_SUBMITTED = "Only a draft can be submitted for review."
ONLY_ITEMS_IN_REVIEW_CAN_BE_PUBLISHED = "Only an item in review can be published."
ONLY_ITEMS_IN_REVIEW_CAN_BE_SENT_BACK = "Only an item in review can be sent back."
ONLY_PUBLISHED_ITEMS_CAN_BE_RETRACTED = "Only published evidence can be retracted."
ONLY_RETRACTED_ITEMS_CAN_BE_REOPENED = "Only retracted evidence can be reopened as a draft."
ONLY_PUBLISHED_ITEMS_CAN_BE_REVISED = "Only published evidence can be revised; edit a draft directly."
REVISION_ALREADY_OPEN = "A revision of this item is already open (#{pk}, {status}); correct that one."
LIVE_ROW_CHANGED = (
    "The published {kind} changed after this revision was opened ({reason}); publishing it would undo "
    "that change. Send this revision back and open a new one."
)
OPEN = (Status.DRAFT, Status.IN_REVIEW)

Item = Finding | Study


def _perm(item: Item, action: str) -> str:
    return f"evidence.{action}_{item._meta.model_name}"


def _move(item: Item, *, user: AbstractBaseUser, to: str, editor: bool, reason: str) -> None:
    if editor:
        item.changed_by = user
    item.status = to
    item.full_clean()
    save_with_history(item, reason=reason, user=user)


def submit(item: Item, *, user) -> None:
    """A curator hands a draft to the reviewers."""
    _check_curator(item, user)
    if item.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_SUBMITTED)
    # The last editor stays on record (a reviewer who edited a draft still may not publish it);
    # a row nobody has edited yet (loaded or imported) counts as the submitter's.
    _move(item, user=user, to=Status.IN_REVIEW, editor=item.changed_by_id is None, reason="submitted for review")


def _check_curator(item: Item, user) -> None:
    if not user.has_perm(_perm(item, "submit")):
        raise PermissionDenied(NOT_ALLOWED_TO_SUBMIT)


def _check_reviewer(item: Item, reviewer) -> None:
    if not reviewer.has_perm(_perm(item, "publish")):
        raise PermissionDenied(NOT_ALLOWED_TO_REVIEW)


@transaction.atomic
def publish(item: Item, *, reviewer, summary: str = "") -> None:
    """A reviewer other than its last editor makes the item (or a revision's correction) visible to clinicians.

    ``summary`` is the reviewer's own account of the change, shown on the What's new page.
    """
    _check_reviewer(item, reviewer)
    if item.status != Status.IN_REVIEW:
        raise ValidationError(ONLY_ITEMS_IN_REVIEW_CAN_BE_PUBLISHED)
    if item.changed_by_id is not None and item.changed_by_id == reviewer.pk:
        raise PermissionDenied(OWN_CHANGE)
    if item.revises_id is not None:
        live = _replace_live_row(item, reviewer)
        record_version(user=reviewer, reason=f"corrected: {live}", summary=summary)
        return
    _move(item, user=reviewer, to=Status.PUBLISHED, editor=False, reason="published")
    record_version(user=reviewer, reason=f"published: {item}", summary=summary)


def _content_fields(item: Item) -> tuple[str, ...]:
    """What a revision may correct: the published record's fields, all but the status."""
    fields = STUDY_FIELDS if isinstance(item, Study) else FINDING_FIELDS
    return tuple(name for name in fields if name != "status")


def _replace_live_row(revision: Item, reviewer) -> Item:
    live = type(revision).objects.select_for_update().get(pk=revision.revises_id)
    if live.status != Status.PUBLISHED or live.edit_number != revision.revises_edit_number:
        latest = live.history.first()
        reason = latest.history_change_reason if latest and latest.history_change_reason else "changed"
        raise ValidationError(LIVE_ROW_CHANGED.format(kind=live._meta.verbose_name, reason=reason))
    for name in _content_fields(revision):
        setattr(live, name, getattr(revision, name))
    live.changed_by = revision.changed_by
    live.full_clean()
    save_with_history(live, reason=f"corrected by revision #{revision.pk}", user=reviewer)
    _move(revision, user=reviewer, to=Status.MERGED, editor=False, reason=f"published into #{live.pk}")
    return live


@transaction.atomic
def revise(item: Item, *, user) -> Item:
    """A curator opens a revision of a published item; the published item stays on the clinician pages."""
    _check_curator(item, user)
    if item.status != Status.PUBLISHED or item.revises_id is not None:
        raise ValidationError(ONLY_PUBLISHED_ITEMS_CAN_BE_REVISED)
    open_revision = item.revisions.filter(status__in=OPEN).first()
    if open_revision is not None:
        raise ValidationError(REVISION_ALREADY_OPEN.format(pk=open_revision.pk, status=open_revision.get_status_display().lower()))
    revision = type(item).objects.get(pk=item.pk)
    revision.pk = revision.id = None
    revision.revises, revision.revises_edit_number = item, item.edit_number
    revision.edit_number = 0
    revision.changed_by = user
    revision.status = Status.DRAFT
    revision.full_clean()
    save_with_history(revision, reason=f"revision opened of #{item.pk}", user=user)
    return revision


def _review_step(item: Item, *, reviewer, note: str, only_from: str, refused: str, to: str, done: str) -> None:
    """A reviewer's move of an item from one status to another, the note (if any) in its history's reason."""
    _check_reviewer(item, reviewer)
    if item.status != only_from:
        raise ValidationError(refused)
    _move(item, user=reviewer, to=to, editor=False, reason=f"{done}: {note}" if note else done)


def send_back(item: Item, *, reviewer, note: str = "") -> None:
    """A reviewer returns an item in review to its curators as a draft."""
    _review_step(
        item, reviewer=reviewer, note=note, only_from=Status.IN_REVIEW, refused=ONLY_ITEMS_IN_REVIEW_CAN_BE_SENT_BACK,
        to=Status.DRAFT, done="sent back",
    )


@transaction.atomic
def retract(item: Item, *, reviewer, note: str = "") -> None:
    """A reviewer withdraws published evidence; it leaves the clinician pages at once."""
    _review_step(
        item, reviewer=reviewer, note=note, only_from=Status.PUBLISHED, refused=ONLY_PUBLISHED_ITEMS_CAN_BE_RETRACTED,
        to=Status.RETRACTED, done="retracted",
    )
    record_version(user=reviewer, reason=f"retracted: {item}", summary=note)


def reopen(item: Item, *, user) -> None:
    """A curator turns retracted evidence back into a draft to correct it."""
    _check_curator(item, user)
    if item.status != Status.RETRACTED:
        raise ValidationError(ONLY_RETRACTED_ITEMS_CAN_BE_REOPENED)
    _move(item, user=user, to=Status.DRAFT, editor=True, reason="reopened as a draft")
