"""The curated evidence base: studies (and labels, guidelines) and the findings they report."""

import json

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from cledss.clinical.body_of_evidence import (
    Association,
    Certainty,
    EstimateKind,
    Interval,
    Measure,
    NerveTesting,
    Outcome,
    Role,
)
from cledss.clinical.features import SUBTYPE_LABELS

from . import validation


def _choices(enum, labels=None):
    return [(m.value, (labels or {}).get(m, m.value.replace("_", " ").capitalize())) for m in enum]


CERTAINTY_CHOICES = [(c.value, capfirst(gettext_lazy(c.label.message))) for c in Certainty]
SUBTYPE_CHOICES = [(s.value, gettext_lazy(label.message)) for s, label in SUBTYPE_LABELS.items()]


class Status(models.TextChoices):
    """Where an item stands in review; only published items reach the clinician pages."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"
    # A revision whose content was published into the row it revises; kept as the record of the correction.
    MERGED = "merged", "Published into the live row"


STATUS_HELP = "Changed only through the review actions (submit, publish, send back, retract), never by editing."


class CountsEdits(models.Model):
    """A row that counts its saves, so a form opened before the latest save can tell (optimistic concurrency)."""

    edit_number = models.PositiveIntegerField(
        default=0, editable=False, help_text="How many times the row has been saved; a form must be saved from the current number."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Counted from the database, not from this copy: a revert starts from an old copy of the row.
        saved = type(self).objects.filter(pk=self.pk).values_list("edit_number", flat=True).first() if self.pk else None
        self.edit_number = (saved or 0) + 1
        super().save(*args, **kwargs)


def _certainty_fields(*, reasons_such_as: str) -> tuple[models.CharField, models.CharField, models.CharField]:
    """The certainty of a study's or finding's evidence and why, in English and Spanish (in this order on the model)."""
    return (
        models.CharField("certainty of evidence", max_length=10, choices=CERTAINTY_CHOICES, help_text=validation.CERTAINTY_HELP),
        models.CharField("why this certainty", max_length=300, blank=True, help_text=f"The GRADE reasons, e.g. {reasons_such_as}."),
        models.CharField("why this certainty (Spanish)", max_length=300, blank=True),
    )


def _review_permissions(kind: str) -> list[tuple[str, str]]:
    """The permissions the workflow checks (workflow._perm): curators submit, reviewers publish."""
    return [(f"submit_{kind}", f"Can submit a {kind} for review"), (f"publish_{kind}", f"Can publish, send back or retract a {kind}")]


def save_with_history(row: models.Model, *, reason: str, user=None) -> None:
    """Save ``row`` with why it changed and, when given, who changed it, as its history entry records them.

    Without a user, simple-history takes the request's (none for a management command).
    """
    # simple-history reads these two attributes; its reason column holds 100 characters.
    if user is not None:
        row._history_user = user
    row._change_reason = reason[:100]
    row.save()


class ReviewedRecord(CountsEdits):
    """What studies and findings share as reviewed records: their status, last editor, revision link and history.

    Each concrete model keeps its own name in the constraint below (``%(class)s``: study, finding).
    """

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, help_text=STATUS_HELP)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="last changed by",
        help_text="Who last edited or submitted this; they may not also publish it.",
    )
    revises = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="revisions",
        help_text="For a revision: the published row it corrects, which stays on the clinician pages until the revision is published.",
    )
    revises_edit_number = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="The published row's edit number when the revision was opened."
    )
    # inherit=True gives each concrete model its own history table, as declaring it on each did.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        constraints = [models.CheckConstraint(condition=Q(status__in=Status.values), name="%(class)s_status_known")]


class Study(ReviewedRecord):
    key = models.SlugField(help_text="A short stable identifier, e.g. cortes-hernandez-2012.")
    short = models.CharField(
        "short citation", max_length=120, help_text="How the app names the source in a sentence, e.g. 'Cortés-Hernández et al. 2012'."
    )
    short_es = models.CharField("short citation (Spanish)", max_length=120, blank=True)
    title = models.CharField(
        max_length=300,
        blank=True,
        help_text="The publication's title as printed (for a label, the product and document name). "
        "Only a source with a PMID or DOI may go without one, while its title is not verified.",
    )
    citation = models.TextField(
        "full citation",
        help_text="Authors, title, journal, year, volume and pages, as far as verified; leave out what is not verified.",
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave blank for a living document such as a drug label.")
    pmid = models.CharField(
        "PMID", max_length=12, blank=True, validators=[validation.pmid_validator], help_text="PubMed identifier, digits only."
    )
    doi = models.CharField(
        "DOI", max_length=200, blank=True, validators=[validation.doi_validator], help_text="e.g. 10.1016/j.jaad.2017.09.059, without a link prefix."
    )
    url = models.URLField("URL", blank=True, help_text="For labels and guidelines without a PMID or DOI.")
    role = models.CharField(
        "role in cledss", max_length=20, choices=_choices(Role),
        help_text="Primary: the study the app is built around. Pooled: a meta-analysis. Regulatory: a drug label or risk programme.",
    )
    design = models.CharField("study design", max_length=200, help_text="e.g. prospective observational cohort, single centre.")
    design_es = models.CharField("study design (Spanish)", max_length=200, blank=True)
    setting = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField("participants", null=True, blank=True)
    population = models.TextField(blank=True, help_text="Who was studied, in one or two sentences.")
    population_es = models.TextField("population (Spanish)", blank=True)
    intervention = models.CharField("intervention and dose", max_length=200, blank=True)
    intervention_es = models.CharField("intervention and dose (Spanish)", max_length=200, blank=True)
    follow_up = models.CharField(
        "follow-up", max_length=200, blank=True, help_text="As the source says, e.g. 'up to 8 years (2-18)'."
    )
    follow_up_es = models.CharField("follow-up (Spanish)", max_length=200, blank=True)
    subtypes_reported = models.JSONField(
        "CLE subtypes reported",
        default=list,
        blank=True,
        help_text="The subtypes the study reports on; other subtypes are told the study does not describe them.",
    )
    certainty, certainty_reason, certainty_reason_es = _certainty_fields(reasons_such_as="single-centre, uncontrolled cohort")

    class Meta(ReviewedRecord.Meta):
        ordering = ["year", "key"]
        verbose_name_plural = "studies"
        permissions = _review_permissions("study")
        constraints = [
            # A revision shares its study's key: one key names the source, live or being corrected.
            *ReviewedRecord.Meta.constraints,
            models.UniqueConstraint(fields=["key"], condition=Q(revises__isnull=True), name="study_key_unique"),
        ]

    def __str__(self):
        return self.short

    def clean(self):
        validation.check_study(self)


class Finding(ReviewedRecord):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="findings", help_text="The source that reported it.")
    key = models.SlugField(help_text="Unique within the study, e.g. response.")
    outcome = models.CharField(max_length=40, choices=_choices(Outcome), help_text="What was measured.")
    subtype = models.CharField(
        "CLE subtype", max_length=20, choices=SUBTYPE_CHOICES, blank=True, help_text="Leave blank when the finding is for all patients."
    )
    measure = models.CharField(
        "kind of figure", max_length=20, choices=_choices(Measure),
        help_text="Proportion (a percentage and/or counts), odds ratio, relative risk, duration, or narrative (text only).",
    )
    numerator = models.PositiveIntegerField(
        "patients with the outcome", null=True, blank=True, error_messages={"min_value": validation.COUNT_NEGATIVE},
        help_text="Only when the source gives the count; never back-calculate it from a percentage.",
    )
    denominator = models.PositiveIntegerField(
        "patients assessed", null=True, blank=True, error_messages={"min_value": validation.COUNT_NEGATIVE},
        help_text="The number the percentage was taken of.",
    )
    estimate = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="As reported: a percentage, ratio or duration."
    )
    estimate_kind = models.CharField(
        "kind of estimate", max_length=12, choices=_choices(EstimateKind, {EstimateKind.EXACT: "As stated"}), blank=True
    )
    lower = models.DecimalField("lower limit", max_digits=12, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField("upper limit", max_digits=12, decimal_places=4, null=True, blank=True)
    interval = models.CharField(
        "kind of interval",
        max_length=8, choices=_choices(Interval, {Interval.NONE: "None", Interval.CI95: "95% confidence interval", Interval.RANGE: "Range"}),
        blank=True,
    )
    unit = models.CharField(max_length=20, blank=True, help_text="For durations: days, weeks or months.")
    time_frame = models.CharField(max_length=200, blank=True, help_text="When the outcome was measured, as the source says.")
    statement = models.TextField("plain-language statement", help_text="What the source found, in our own words.")
    statement_es = models.TextField(
        "plain-language statement (Spanish)", blank=True, help_text="Shown on Spanish pages; the English one is used when empty."
    )
    curator_note = models.TextField(
        blank=True,
        help_text="What the source printed that does not add up (e.g. '9 (65%)' with no denominator that fits), "
        "in plain words. Shown beside the figure; a printed percentage that disagrees with its counts is "
        "accepted only with a note.",
    )
    curator_note_es = models.TextField("curator note (Spanish)", blank=True)
    daily_dose_above = models.DecimalField(
        "daily dose above (mg)", max_digits=7, decimal_places=2, null=True, blank=True,
        help_text="For a finding about a daily-dose band: the band starts above this dose (leave empty from 0).",
    )
    daily_dose_up_to = models.DecimalField(
        "daily dose up to (mg)", max_digits=7, decimal_places=2, null=True, blank=True,
        help_text="For a finding about a daily-dose band: the band ends at this dose, included (leave empty if open).",
    )
    comparator = models.CharField(
        max_length=200,
        blank=True,
        help_text="For an odds ratio or relative risk: the group it compares against, e.g. 'the other subtypes'.",
    )
    comparator_es = models.CharField("comparator (Spanish)", max_length=200, blank=True)
    nerve_testing = models.CharField(
        "nerves tested",
        max_length=24,
        blank=True,
        choices=_choices(
            NerveTesting,
            {
                NerveTesting.NOT_STATED: "Not stated, or not a neuropathy figure",
                NerveTesting.EVERY_PATIENT: "Every patient's nerves tested",
                NerveTesting.PATIENTS_WITH_SYMPTOMS: "Only patients with symptoms tested",
                NerveTesting.NONE: "Symptoms only, no nerve tests",
            },
        ),
        help_text="For a neuropathy figure: whose nerves the source tested, as its abstract says. The cohorts table "
        "marks each neuropathy figure with it, so a count from symptoms is not read as one from screening.",
    )
    association = models.CharField(
        "association found",
        max_length=16,
        blank=True,
        choices=_choices(Association, {Association.NONE: "Not a risk-factor finding"}),
        help_text="For a possible risk factor (e.g. cumulative dose): whether the source found an association. "
        "Findings on both sides are shown together as conflicting evidence.",
    )
    certainty, certainty_reason, certainty_reason_es = _certainty_fields(reasons_such_as="small subgroups, wide intervals")

    class Meta(ReviewedRecord.Meta):
        ordering = ["study", "key"]
        permissions = _review_permissions("finding")
        constraints = [
            *ReviewedRecord.Meta.constraints,
            models.UniqueConstraint(fields=["study", "key"], condition=Q(revises__isnull=True), name="finding_key_unique_in_study"),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
                name="finding_numerator_within_denominator",
                violation_error_message=validation.NUMERATOR_ABOVE_DENOMINATOR,
            ),
            models.CheckConstraint(
                condition=Q(lower__isnull=True) | Q(upper__isnull=True) | Q(lower__lte=F("upper")),
                name="finding_lower_not_above_upper",
                violation_error_message=validation.LOWER_ABOVE_UPPER,
            ),
        ]

    def __str__(self):
        return f"{self.study.short}: {self.get_outcome_display()}"

    def clean(self):
        validation.check_finding(self)


class EvidenceVersion(models.Model):
    """One state of the published evidence base; every result page names the version it was built from."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField("published at", auto_now_add=True)
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of the published evidence as exported.")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=200, blank=True, help_text="What changed, e.g. 'published: Yuki et al. 2021: Neuropathy'.")
    summary = models.TextField(blank=True, help_text="The reviewer's own account of the change, shown on the What's new page.")
    evidence = models.TextField(
        blank=True,
        help_text="The published evidence of this version, as exported: the canonical JSON its content hash is taken of. "
        "The first page after a publish and the next version's changes are worked out from it.",
    )
    changes = models.JSONField(
        default=list, blank=True, help_text="What this version added, corrected or retracted, with old and new figures."
    )

    class Meta:
        ordering = ["-number"]
        get_latest_by = "number"

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return version_label(self.number, self.content_hash)

    @property
    def records(self) -> list[dict]:
        """The evidence this version kept, as plain records; none for a version recorded before versions kept it."""
        return json.loads(self.evidence) if self.evidence else []


def version_label(number: int | None, content_hash: str) -> str:
    return f"v{number} (sha {content_hash[:12]})" if number else f"unversioned (sha {content_hash[:12]})"


class LiteratureSearch(models.Model):
    """A search of the literature for new evidence, as the curators ran it; the latest is shown to clinicians."""

    searched_on = models.DateField("searched on", help_text="The day the search was run.")
    description = models.TextField(
        help_text="Where and how it was searched, e.g. 'PubMed and Embase: thalidomide AND cutaneous lupus, all years'."
    )
    description_es = models.TextField("description (Spanish)", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-searched_on", "-recorded_at"]
        verbose_name_plural = "literature searches"

    def __str__(self):
        return f"{self.searched_on}: {self.description[:60]}"
