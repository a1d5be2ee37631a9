"""The curated evidence base: studies (and labels, guidelines) and the findings they report."""

from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from cledss.clinical.evidence import Certainty, EstimateKind, Interval, Measure, Outcome, Role
from cledss.clinical.features import SUBTYPE_LABELS


def _choices(enum, labels=None):
    return [(m.value, (labels or {}).get(m, m.value.replace("_", " ").capitalize())) for m in enum]


CERTAINTY_CHOICES = [(c.value, capfirst(gettext_lazy(c.label.message))) for c in Certainty]
SUBTYPE_CHOICES = [(s.value, gettext_lazy(label.message)) for s, label in SUBTYPE_LABELS.items()]


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Study(models.Model):
    key = models.SlugField(unique=True, help_text="A short stable identifier, e.g. cortes-hernandez-2012.")
    short = models.CharField(
        "short citation", max_length=120, help_text="How the app names the source in a sentence, e.g. 'Cortés-Hernández et al. 2012'."
    )
    short_es = models.CharField("short citation (Spanish)", max_length=120, blank=True)
    citation = models.TextField("full citation", help_text="Authors, title, journal, year, volume and pages.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave blank for a living document such as a drug label.")
    pmid = models.CharField("PMID", max_length=12, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    url = models.URLField("URL", blank=True, help_text="For labels and guidelines without a PMID or DOI.")
    role = models.CharField(max_length=20, choices=_choices(Role))
    design = models.CharField(max_length=200, help_text="e.g. prospective observational cohort, single centre.")
    design_es = models.CharField("design (Spanish)", max_length=200, blank=True)
    setting = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField("participants", null=True, blank=True)
    population = models.TextField(blank=True, help_text="Who was studied, in one or two sentences.")
    population_es = models.TextField("population (Spanish)", blank=True)
    intervention = models.CharField("intervention and dose", max_length=200, blank=True)
    follow_up = models.CharField("follow-up", max_length=200, blank=True)
    subtypes_reported = models.JSONField(
        "CLE subtypes reported",
        default=list,
        blank=True,
        help_text="The subtypes the study reports on; other subtypes are told the study does not describe them.",
    )
    certainty = models.CharField("certainty of evidence", max_length=10, choices=CERTAINTY_CHOICES)
    certainty_reason = models.CharField(max_length=300, blank=True)
    certainty_reason_es = models.CharField("certainty reason (Spanish)", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["year", "key"]
        verbose_name_plural = "studies"

    def __str__(self):
        return self.short


class Finding(models.Model):
    study = models.ForeignKey(Study, on_delete=models.PROTECT, related_name="findings")
    key = models.SlugField(help_text="Unique within the study, e.g. response.")
    outcome = models.CharField(max_length=40, choices=_choices(Outcome))
    subtype = models.CharField(
        max_length=20, choices=SUBTYPE_CHOICES, blank=True, help_text="Leave blank when the finding is for all patients."
    )
    measure = models.CharField(max_length=20, choices=_choices(Measure))
    numerator = models.PositiveIntegerField(null=True, blank=True)
    denominator = models.PositiveIntegerField(null=True, blank=True)
    estimate = models.DecimalField(
        max_digits=12, decimal_places=4, null=True, blank=True, help_text="As reported: a percentage, ratio or duration."
    )
    estimate_kind = models.CharField(max_length=12, choices=_choices(EstimateKind, {EstimateKind.EXACT: "As stated"}), blank=True)
    lower = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    upper = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    interval = models.CharField(
        max_length=8, choices=_choices(Interval, {Interval.NONE: "None", Interval.CI95: "95% confidence interval", Interval.RANGE: "Range"}),
        blank=True,
    )
    unit = models.CharField(max_length=20, blank=True, help_text="For durations: days, weeks or months.")
    time_frame = models.CharField(max_length=200, blank=True)
    statement = models.TextField("plain-language statement", help_text="What the source found, in our own words.")
    statement_es = models.TextField(
        "plain-language statement (Spanish)", blank=True, help_text="Shown on Spanish pages; the English one is used when empty."
    )
    certainty = models.CharField("certainty of evidence", max_length=10, choices=CERTAINTY_CHOICES)
    certainty_reason = models.CharField(max_length=300, blank=True)
    certainty_reason_es = models.CharField("certainty reason (Spanish)", max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["study", "id"]
        constraints = [models.UniqueConstraint(fields=["study", "key"], name="finding_key_unique_in_study")]

    def __str__(self):
        return f"{self.study.short}: {self.get_outcome_display()}"
