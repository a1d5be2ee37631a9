"""No lost edits: a save is refused when someone else saved the row after it was opened.

Every row counts its saves (``edit_number``). A form carries the number it was opened at; if the
row has been saved since, the save is refused with who changed what and the row's current values,
read from its history, and nothing is overwritten.
"""

from django.db import models

from .published import plain

CHANGED_SINCE_OPENED = (
    "{who} changed this {kind} after you opened it, so your changes were not saved. "
    "Now: {changes}. Your entries are still in the form: compare them with these values, then save again."
)
STALE_FORM = "This form does not say which version of the {kind} it was opened at; reload the page and enter your changes again."
NO_CONTENT_CHANGE = "every field is as you opened it, but it went through a review step meanwhile"

_NOT_COMPARED = ("id", "edit_number", "changed_by")


def _compared(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in _NOT_COMPARED]


def _shown(field: models.Field, value) -> str:
    if value in (None, ""):
        return "empty"
    if field.choices:
        value = dict(field.flatchoices).get(value, value)
    return repr(str(plain(value)))


def changes_since(current, opened: int) -> list[str]:
    """The fields that differ between the row as it was at edit ``opened`` and as it is now, with now's values."""
    then = current.history.filter(edit_number=opened).order_by("-history_date").first()
    compared = _compared(type(current))
    if then is None:  # opened before edits were counted: show every field's current value
        return [f"{f.verbose_name} {_shown(f, getattr(current, f.attname))}" for f in compared]
    return [
        f"{f.verbose_name} {_shown(f, getattr(then, f.attname))} -> {_shown(f, getattr(current, f.attname))}"
        for f in compared
        if getattr(then, f.attname) != getattr(current, f.attname)
    ]


def editors_since(current, opened: int) -> str:
    entries = current.history.filter(edit_number__gt=opened).select_related("history_user").order_by("history_date")
    names = dict.fromkeys(
        (e.history_user.get_username() if e.history_user else "an import or the seed loader") for e in entries
    )
    return " and ".join(names) or "someone"


def conflict(model, pk, opened: int | None) -> str | None:
    """Why a form opened at edit ``opened`` may not be saved, or None if the row is as it was.

    The row is locked until the transaction ends (on databases that lock rows), so nobody can
    save it between this check and the save that follows.
    """
    kind = model._meta.verbose_name
    if opened is None:
        return STALE_FORM.format(kind=kind)
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None or current.edit_number == opened:
        return None
    changes = changes_since(current, opened)
    return CHANGED_SINCE_OPENED.format(
        who=editors_since(current, opened), kind=kind, changes="; ".join(changes) or NO_CONTENT_CHANGE
    )
