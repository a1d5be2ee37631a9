"""The review workflow: draft -> in review -> published, and retracted.

Every change of status goes through one of these functions; nothing happens in ``save()``
or in signals. Each function checks who may act, validates the row with ``full_clean()``,
writes it, and (when what clinicians see changed) records a new evidence version.
"""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import Finding, Status, Study
from .versions import record_version

NOT_ALLOWED_TO_SUBMIT = "Only a curator can submit evidence for review."
NOT_ALLOWED_TO_REVIEW = "Only a reviewer can publish, send back or retract evidence."
OWN_CHANGE = "You made the latest change to this item, so another reviewer must publish it."
ONLY_DRAFTS_CAN_BE_SUBMITTED = "Only a draft can be submitted for review."
ONLY_ITEMS_IN_REVIEW_CAN_BE_PUBLISHED = "Only an item in review can be published."
ONLY_ITEMS_IN_REVIEW_CAN_BE_SENT_BACK = "Only an item in review can be sent back."
ONLY_PUBLISHED_ITEMS_CAN_BE_RETRACTED = "Only published evidence can be retracted."
ONLY_RETRACTED_ITEMS_CAN_BE_REOPENED = "Only retracted evidence can be reopened as a draft."

Item = Finding | Study


def _perm(item: Item, action: str) -> str:
    return f"evidence.{action}_{item._meta.model_name}"


def _move(item: Item, *, user: AbstractBaseUser, to: str, editor: bool, reason: str) -> None:
    if editor:
        item.changed_by = user
    item.status = to
    item.full_clean()
    # simple-history reads these two attributes to record who made the change and why.
    item._history_user = user
    item._change_reason = reason
    item.save()


def submit(item: Item, *, user) -> None:
    """A curator hands a draft to the reviewers."""
    if not user.has_perm(_perm(item, "submit")):
        raise PermissionDenied(NOT_ALLOWED_TO_SUBMIT)
    if item.status != Status.DRAFT:
        raise ValidationError(ONLY_DRAFTS_CAN_BE_SUBMITTED)
    # The last editor stays on record (a reviewer who edited a draft still may not publish it);
    # a row nobody has edited yet (loaded or imported) counts as the submitter's.
    _move(item, user=user, to=Status.IN_REVIEW, editor=item.changed_by_id is None, reason="submitted for review")


def _check_reviewer(item: Item, reviewer) -> None:
    if not reviewer.has_perm(_perm(item, "publish")):
        raise PermissionDenied(NOT_ALLOWED_TO_REVIEW)


@transaction.atomic
def publish(item: Item, *, reviewer) -> None:
    """A reviewer other than its last editor makes the item visible to clinicians."""
    _check_reviewer(item, reviewer)
    if item.status != Status.IN_REVIEW:
        raise ValidationError(ONLY_ITEMS_IN_REVIEW_CAN_BE_PUBLISHED)
    if item.changed_by_id is not None and item.changed_by_id == reviewer.pk:
        raise PermissionDenied(OWN_CHANGE)
    _move(item, user=reviewer, to=Status.PUBLISHED, editor=False, reason="published")
    record_version(user=reviewer, reason=f"published: {item}")


def send_back(item: Item, *, reviewer, note: str = "") -> None:
    """A reviewer returns an item in review to its curators as a draft."""
    _check_reviewer(item, reviewer)
    if item.status != Status.IN_REVIEW:
        raise ValidationError(ONLY_ITEMS_IN_REVIEW_CAN_BE_SENT_BACK)
    reason = f"sent back: {note}" if note else "sent back"
    _move(item, user=reviewer, to=Status.DRAFT, editor=False, reason=reason[:100])


@transaction.atomic
def retract(item: Item, *, reviewer, note: str = "") -> None:
    """A reviewer withdraws published evidence; it leaves the clinician pages at once."""
    _check_reviewer(item, reviewer)
    if item.status != Status.PUBLISHED:
        raise ValidationError(ONLY_PUBLISHED_ITEMS_CAN_BE_RETRACTED)
    reason = f"retracted: {note}" if note else "retracted"
    _move(item, user=reviewer, to=Status.RETRACTED, editor=False, reason=reason[:100])
    record_version(user=reviewer, reason=f"retracted: {item}")


def reopen(item: Item, *, user) -> None:
    """A curator turns retracted evidence back into a draft to correct it."""
    if not user.has_perm(_perm(item, "submit")):
        raise PermissionDenied(NOT_ALLOWED_TO_SUBMIT)
    if item.status != Status.RETRACTED:
        raise ValidationError(ONLY_RETRACTED_ITEMS_CAN_BE_REOPENED)
    _move(item, user=user, to=Status.DRAFT, editor=True, reason="reopened as a draft")
