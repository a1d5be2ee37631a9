"""The Django admin as the curation tool: edit drafts, review them, publish, retract, audit.

Content is edited only while an item is a draft; its status changes only through the
functions in ``workflow.py``, offered here as buttons on the change form and as list actions.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from cledss.clinical.stats import number

from . import edits, evidence_fields, validation, workflow
from .evidence_fields import form_layout
from .models import EvidenceVersion, Finding, LiteratureSearch, Status, Study, save_with_history

admin.site.site_header = "cledss evidence curation"
admin.site.site_title = "cledss curation"
admin.site.index_title = "Evidence base"

PUBLISHED_CANNOT_BE_DELETED = "Only a draft can be deleted; retract published evidence instead, so the record stays."

def _badge(status: str):
    """Coloured by static/css/curation.css: the Content-Security-Policy allows no inline styles."""
    return format_html('<span class="status-badge status-{}">{}</span>', status, Status(status).label)


@admin.display(description="status", ordering="status")
def status_badge(obj):
    """A study's or finding's status, and which row a revision corrects; a row not yet saved is a draft."""
    if obj.revises_id is None:
        return _badge(obj.status)
    return format_html("{} revision of #{}", _badge(obj.status), obj.revises_id)


@dataclass(frozen=True)
class Transition:
    """One workflow step as the admin offers it: a button on the change form and a list action."""

    label: str
    permission: str  # "submit" or "publish", checked against <permission>_<model>
    from_status: tuple[str, ...]
    # Calls the workflow function with the item, who clicked, and the note they typed.
    act: Callable[[object, object, str], None]
    needs_note: bool = False


TRANSITIONS = {
    "submit": Transition(
        "Submit for review", "submit", (Status.DRAFT,), lambda item, user, note: workflow.submit(item, user=user)
    ),
    "publish": Transition(
        "Publish", "publish", (Status.IN_REVIEW,),
        lambda item, user, note: workflow.publish(item, reviewer=user, summary=note), needs_note=True,
    ),
    "send_back": Transition(
        "Send back to draft", "publish", (Status.IN_REVIEW,),
        lambda item, user, note: workflow.send_back(item, reviewer=user, note=note), needs_note=True,
    ),
    "retract": Transition(
        "Retract", "publish", (Status.PUBLISHED,),
        lambda item, user, note: workflow.retract(item, reviewer=user, note=note), needs_note=True,
    ),
    "reopen": Transition(
        "Reopen as draft", "submit", (Status.RETRACTED,), lambda item, user, note: workflow.reopen(item, user=user)
    ),
    # The published row stays on the clinician pages; the curator is taken to the new revision.
    "revise": Transition(
        "Open a revision", "submit", (Status.PUBLISHED,), lambda item, user, note: workflow.revise(item, user=user)
    ),
}


class ReviewedAdmin(SimpleHistoryAdmin):
    """What studies and findings share: draft-only editing, workflow buttons and actions, history."""

    transitions = TRANSITIONS
    change_form_template = "admin/evidence/reviewed_change_form.html"

    class Media:
        css = {"all": ["css/curation.css"]}
    history_list_display = ["status"]
    # A URL typed without a scheme is a secure link (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    # --- who may do what -------------------------------------------------------------
    def _codename(self, action: str) -> str:
        return f"{self.opts.app_label}.{action}_{self.opts.model_name}"

    def has_submit_permission(self, request) -> bool:
        return request.user.has_perm(self._codename("submit"))

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm(self._codename("publish"))

    def _current_status(self, obj) -> str | None:
        """The status in the database; the history form hands us an old copy of the row."""
        if obj is None or obj.pk is None:
            return None
        return type(obj).objects.filter(pk=obj.pk).values_list("status", flat=True).first()

    def _editable(self, obj) -> bool:
        return obj is None or self._current_status(obj) == Status.DRAFT

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)

    def get_readonly_fields(self, request, obj=None):
        if not self._editable(obj):
            return [f.name for f in self.opts.concrete_fields if f.name != "id"] + ["status_badge"]
        if obj is not None and obj.revises_id is not None:
            # A revision corrects its row's content; which row (and which study) it is stays fixed.
            return ["status_badge", "changed_by", *(["study"] if "study" in self._field_names() else []), "key"]
        return ["status_badge", "changed_by"]

    def _field_names(self) -> set[str]:
        return {f.name for f in self.opts.concrete_fields}

    # --- saving: content only, by whoever is logged in -------------------------------
    def save_model(self, request, obj, form, change):
        if change:
            current = type(obj).objects.get(pk=obj.pk)
            # A form or a revert never changes the status; only the workflow does.
            obj.status = current.status
            if not self._content_differs(obj, current):
                return  # nothing changed: no history entry, and the last editor stays who it was
        obj.changed_by = request.user
        reverting = getattr(request, "_reverting_to_history", False)
        reason = "reverted to an earlier entry" if reverting else ("edited" if change else "created")
        save_with_history(obj, reason=reason, user=request.user)

    def _content_differs(self, obj, current) -> bool:
        """Compared with the row, not with the form's initial values: a revert's form starts from the old values."""
        fields = [f for f in self.opts.concrete_fields if f.name not in ("id", "status", "changed_by", "edit_number")]
        return any(getattr(obj, f.attname) != getattr(current, f.attname) for f in fields)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current) or current.status != Status.DRAFT:
                raise PermissionDenied("Only a draft can be reverted; reopen or send it back first.")
            request._reverting_to_history = True  # read by save_model to record why
        # One transaction, as Django's own change form has: the stale-form check locks the row until the save.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """The differences each entry made, without the save counter every entry changes."""
        for newer, older in zip(historical_records, historical_records[1:], strict=False):
            delta = newer.diff_against(older, excluded_fields=["edit_number"], foreign_keys_are_objs=foreign_keys_are_objs)
            newer.history_delta_changes = self.get_historical_record_context_helper(request, newer).context_for_delta_changes(delta)

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self._editable(obj)

    # --- workflow buttons on the change form -----------------------------------------
    def get_urls(self):
        return [
            path(
                "<path:object_id>/workflow/<str:transition>/",
                self.admin_site.admin_view(self.workflow_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_workflow",
            ),
            *super().get_urls(),
        ]

    def _allowed(self, request, transition: Transition) -> bool:
        return request.user.has_perm(self._codename(transition.permission))

    def workflow_view(self, request, object_id, transition):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None or transition not in self.transitions:
            raise Http404
        made = self._run(request, self.transitions[transition], obj, request.POST.get("note", "").strip())
        shown = made if isinstance(made, type(obj)) else obj
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[shown.pk]))

    def _run(self, request, transition: Transition, obj, note: str = ""):
        """Run the step; return what it made (a revision), True when done, or False when refused."""
        try:
            made = transition.act(obj, request.user, note)
        except PermissionDenied as error:
            self.message_user(request, f"{obj}: {error}", messages.ERROR)
        except ValidationError as error:
            self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
        else:
            if made is not None:
                self.message_user(request, f"{obj}: revision #{made.pk} opened; the published version stays on the clinician pages until it is published.", messages.SUCCESS)
                return made
            self.message_user(request, f"{obj}: {Status(obj.status).label.lower()}.", messages.SUCCESS)
            return True
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra = {"workflow_buttons": [], "status_badge": None}
        if obj is not None:
            extra["status_badge"] = _badge(obj.status)
            extra["workflow_buttons"] = [
                {
                    "label": t.label,
                    "needs_note": t.needs_note,
                    "url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_workflow", args=[obj.pk, name]),
                }
                for name, t in self.transitions.items()
                if obj.status in t.from_status and self._allowed(request, t)
            ]
            extra["changed_by"] = obj.changed_by
            extra["revises"] = obj.revises
            extra["open_revision"] = obj.revisions.filter(status__in=workflow.OPEN).first()
            latest = obj.history.first()
            extra["latest_reason"] = latest.history_change_reason if latest else ""
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    # --- the same transitions as list actions ----------------------------------------
    def _bulk(self, request, queryset, name: str):
        transition = self.transitions[name]
        done = sum(bool(self._run(request, transition, obj)) for obj in queryset)
        if done:
            self.message_user(request, f"{done} item(s): {transition.label.lower()} done.", messages.INFO)

    @admin.action(description="Submit the selected drafts for review", permissions=["submit"])
    def submit_selected(self, request, queryset):
        self._bulk(request, queryset, "submit")

    @admin.action(description="Publish the selected items in review", permissions=["publish"])
    def publish_selected(self, request, queryset):
        self._bulk(request, queryset, "publish")

    @admin.action(description="Send the selected items back to draft", permissions=["publish"])
    def send_back_selected(self, request, queryset):
        self._bulk(request, queryset, "send_back")

    @admin.action(description="Retract the selected published items", permissions=["publish"])
    def retract_selected(self, request, queryset):
        self._bulk(request, queryset, "retract")

    actions = ["submit_selected", "publish_selected", "send_back_selected", "retract_selected"]

    status_badge = staticmethod(status_badge)


class OpenedAtForm(forms.ModelForm):
    """A change form that carries the edit of the row it was opened at, and refuses to overwrite a later one."""

    opened_at = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_at"].initial = self._saved_edit_number()

    def _saved_edit_number(self) -> int | None:
        model = type(self.instance)
        return model.objects.filter(pk=self.instance.pk).values_list("edit_number", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and set(self.changed_data) - {"opened_at"}:
            problem = edits.conflict(type(self.instance), self.instance.pk, cleaned.get("opened_at"))
            if problem:
                # Shown again, the form is at the current edit: a second save is a choice made knowingly.
                self.data = self.data.copy()
                self.data[self.add_prefix("opened_at")] = self._saved_edit_number()
                raise ValidationError(problem)
        return cleaned


class StudyForm(OpenedAtForm):
    class Meta:
        model = Study
        fields = "__all__"
        # A URL typed without a scheme is a secure link (Django 6's default).
        field_classes = {"url": partial(forms.URLField, assume_scheme="https")}


class FindingForm(OpenedAtForm):
    class Meta:
        model = Finding
        fields = "__all__"
        error_messages = {
            "numerator": {"min_value": validation.COUNT_NEGATIVE},
            "denominator": {"min_value": validation.COUNT_NEGATIVE},
        }
        widgets = {"statement": forms.Textarea(attrs={"rows": 3})}


class InlineFindingForm(FindingForm):
    """A finding inside its study's page: published ones are shown but cannot be changed here."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.status != Status.DRAFT:
            for field in self.fields.values():
                field.disabled = True


class FindingFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and form.instance.status != Status.DRAFT:
                raise ValidationError(PUBLISHED_CANNOT_BE_DELETED)


# The form's fieldsets as evidence_fields.py declares them, then who last changed the finding.
FINDING_FIELDSETS = [
    *(
        (fieldset.title, {"fields": lines, **({"description": fieldset.description} if fieldset.description else {})})
        for fieldset, lines in form_layout(evidence_fields.FINDING)
    ),
    ("Review", {"fields": ["status_badge", "changed_by", "opened_at"]}),
]


class FindingInline(admin.StackedInline):
    model = Finding
    form = InlineFindingForm
    formset = FindingFormSet
    extra = 0
    show_change_link = True
    readonly_fields = ["status_badge"]
    fieldsets = [
        (None, {"fields": [f for _, options in FINDING_FIELDSETS[:-1] for f in options["fields"] if f != "study"] + ["status_badge", "opened_at"]})
    ]

    status_badge = staticmethod(status_badge)


@admin.register(Study)
class StudyAdmin(ReviewedAdmin):
    inlines = [FindingInline]
    list_display = ["short", "year", "role", "identifiers", "published_findings", "status_badge", "changed_by"]
    list_filter = ["status", "role", "certainty", "design"]
    search_fields = ["key", "short", "title", "citation", "pmid", "doi"]
    fieldsets = [
        (None, {"fields": ["key", "short", "title", "citation", "year", "role"]}),
        ("Where to find it", {"fields": ["pmid", "doi", "url"], "description": validation.SOURCE_LOCATOR_REQUIRED}),
        (
            "What was studied",
            {"fields": ["design", "setting", "size", "population", "intervention", "follow_up", "subtypes_reported"]},
        ),
        ("Certainty", {"fields": ["certainty", "certainty_reason"]}),
        (
            "In Spanish",
            {
                "fields": [
                    "short_es", "design_es", "population_es", "intervention_es", "follow_up_es", "certainty_reason_es",
                ],
                "description": "Shown on the Spanish pages; left empty, the English text is shown there.",
            },
        ),
        ("Review", {"fields": ["status_badge", "changed_by", "opened_at"]}),
    ]
    form = StudyForm

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            published_count=Count("findings", filter=Q(findings__status=Status.PUBLISHED)), findings_count=Count("findings")
        )

    @admin.display(description="PMID / DOI / URL")
    def identifiers(self, obj):
        return "; ".join(p for p in [f"PMID {obj.pmid}" if obj.pmid else "", f"DOI {obj.doi}" if obj.doi else ""] if p) or obj.url

    @admin.display(description="published findings", ordering="published_count")
    def published_findings(self, obj):
        return f"{obj.published_count} of {obj.findings_count}"

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.changed_by = request.user
            save_with_history(obj, reason="edited on its study's page" if obj.pk else "added on its study's page", user=request.user)
        for obj in formset.deleted_objects:
            obj._history_user = request.user
            obj.delete()


@admin.register(Finding)
class FindingAdmin(ReviewedAdmin):
    form = FindingForm
    fieldsets = FINDING_FIELDSETS
    list_display = ["__str__", "subtype", "reported", "printed_wrongly", "status_badge", "changed_by"]
    list_filter = ["status", "subtype", "outcome", "measure", "study__role", "certainty"]
    search_fields = ["key", "statement", "study__short", "study__citation", "study__pmid", "study__doi"]
    list_select_related = ["study", "changed_by"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and request.method == "GET":
            # The source's own misprints stay visible to every reviewer who opens the finding.
            for problem in validation.printed_mismatches(obj):
                messages.warning(request, validation.PRINTED_AS_IS.format(problem=problem))
        if obj is not None and obj.status != Status.DRAFT:
            # Nothing on the page can be edited, so offer no save buttons: only the workflow.
            extra_context = {
                "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="as reported")
    def reported(self, obj):
        """The figures as entered, so a reviewer can check them against the source at a glance."""
        suffix = {"proportion": "%", "duration": f" {obj.unit}"}.get(obj.measure, "")
        prefix = {"odds_ratio": "OR ", "relative_risk": "RR "}.get(obj.measure, "")
        parts = []
        if obj.numerator is not None:
            parts.append(f"{obj.numerator}/{obj.denominator}" if obj.denominator is not None else str(obj.numerator))
        if obj.estimate is not None:
            parts.append(f"{prefix}{number(obj.estimate)}{suffix}")
        if obj.lower is not None and obj.upper is not None:
            parts.append(f"({number(obj.lower)} to {number(obj.upper)})")
        return " ".join(parts) or "text only"

    @admin.display(description="printed wrongly by the source")
    def printed_wrongly(self, obj):
        """A figure the source printed that does not add up, accepted because a curator note explains it."""
        return "; ".join(validation.printed_mismatches(obj)) or "-"


@admin.register(LiteratureSearch)
class LiteratureSearchAdmin(SimpleHistoryAdmin):
    """The searches for new evidence; the latest is shown on the What's new page."""

    list_display = ["searched_on", "description", "recorded_by"]
    fields = ["searched_on", "description", "description_es"]

    def save_model(self, request, obj, form, change):
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(EvidenceVersion)
class EvidenceVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are recorded by publishing and retracting, never by hand."""

    list_display = ["number", "created_at", "short_hash", "published_by", "reason"]
    readonly_fields = ["number", "created_at", "content_hash", "published_by", "reason", "summary", "changes"]
    exclude = ["evidence"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("evidence")  # the whole evidence base per version

    @admin.display(description="content hash")
    def short_hash(self, obj):
        return obj.content_hash[:12]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
