"""Pictures of the evidence, as numbers: what to draw, never how.

Icon-array counts are derived here, beside the Wilson interval, so every rendering draws
the same people; the SVG geometry lives with the templates.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .body_of_evidence import Measure, ReportedFinding, Source
from .dose_bands import Band, band_for
from .features import Subtype
from .phrases import Joined, Phrase, _
from .stats import percent

PEOPLE = 100


@dataclass(frozen=True)
class IconArray:
    """Out of 100 people like those studied, how many had the outcome."""

    title: Phrase
    finding: ReportedFinding
    filled: int

    @property
    def description(self) -> Phrase:
        return _(
            "%(title)s: %(figure)s, drawn as %(filled)s of %(people)s people.",
            title=self.title,
            figure=self.finding.figure,
            filled=self.filled,
            people=PEOPLE,
        )


def icon_array(title: Phrase, finding: ReportedFinding | None) -> IconArray | None:
    filled = out_of_100(finding)
    return None if filled is None else IconArray(title, finding, filled)


def out_of_100(finding: ReportedFinding | None) -> int | None:
    """How many of 100 people a proportion is: its counts as a whole percentage, rounded as papers print them, or
    its reported percentage rounded the same way; the icon arrays and the patient's handout both count with it."""
    if finding is None or finding.measure != Measure.PROPORTION:
        return None
    if finding.numerator is not None and finding.denominator:
        return int(percent(finding.numerator, finding.denominator))
    if finding.estimate is not None:
        return int(finding.estimate.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return None


@dataclass(frozen=True)
class ForestRow:
    label: Phrase
    finding: ReportedFinding
    highlighted: bool

    @property
    def description(self) -> Phrase:
        return _("%(label)s: %(figure)s.", label=self.label, figure=self.finding.figure)


@dataclass(frozen=True)
class ForestPlot:
    """Subtype odds ratios of one outcome on a log scale, each with its 95% CI and the line of no effect.

    Its visible words name the outcome and which way is more of it, as its title does: an odds ratio of
    remission (good) and one of relapse (bad) look alike once drawn.
    """

    title: Phrase
    rows: tuple[ForestRow, ...]

    @property
    def description(self) -> str:
        return " ".join(str(row.description) for row in self.rows)

    @property
    def outcome(self) -> Phrase:
        """The one outcome drawn: estimates of different outcomes never share an axis."""
        return self.rows[0].finding.outcome.label

    @property
    def axis_label(self) -> Phrase:
        return _("Odds ratio of %(outcome)s (log scale)", outcome=self.outcome)

    @property
    def higher(self) -> Phrase:
        """What lies right of the line of no effect, written under that end of the axis."""
        return _("higher odds of %(outcome)s →", outcome=self.outcome)

    lower = _("← lower odds")

    @property
    def caption(self) -> Joined:
        """The picture in words under it: which outcome, in whom against whom, then each estimate."""
        scale = _(
            "Log scale; the vertical line marks no effect (1), and an odds ratio above 1 means higher odds of "
            "%(outcome)s.",
            outcome=self.outcome,
        )
        return Joined((self.title, Joined((self.description, scale), " ")), ". ")


def forest_plot(title: Phrase, labelled: list[tuple[Phrase, ReportedFinding]], subtype: Subtype) -> ForestPlot | None:
    rows = tuple(
        ForestRow(label, finding, finding.subtype == subtype)
        for label, finding in labelled
        if finding.measure == Measure.ODDS_RATIO and finding.lower and finding.upper and finding.estimate
    )
    return ForestPlot(title, rows) if rows else None


@dataclass(frozen=True)
class DoseChart:
    """One study's relative risk of neuropathy by daily-dose band on a log scale, the reference band at 1,
    with the band of this patient's daily dose marked when it is known."""

    bands: tuple[Band, ...]
    dose: int | None = None

    @property
    def source(self) -> Source:
        return self.bands[0].source

    @property
    def patient_band(self) -> Band | None:
        return band_for(self.dose, self.bands) if self.dose is not None else None

    @property
    def title(self) -> Phrase:
        return _("Relative risk of neuropathy by daily dose, %(study)s", study=self.source.short)

    @property
    def description(self) -> Joined:
        rows = Joined(tuple(_band_figure(band) for band in self.bands))
        parts = [_("%(title)s: %(rows)s.", title=self.title, rows=rows)]
        if self.patient_band is not None:
            parts.append(
                _("This patient's %(dose)s mg/day is in the band %(band)s.", dose=self.dose, band=self.patient_band.label)
            )
        return Joined(tuple(parts), " ")

    @property
    def caption(self) -> Phrase:
        """The picture in words under it: the outcome, what each band is compared with, and the scale."""
        reference = next((b for b in self.bands if b.reference), None)
        if reference is not None:
            against = _("the reference band, %(band)s", band=reference.label)
        else:
            against = self.bands[0].findings[0].comparator
        return _("Relative risk of neuropathy by daily dose against %(against)s, on a log scale; the vertical line "
                 "marks a relative risk of 1.", against=against)


def _band_figure(band: Band) -> Phrase:
    if band.reference:
        return _("%(band)s: 1, the reference", band=band.label)
    return _("%(band)s: %(ratio)s", band=band.label, ratio=band.ratio)


def dose_chart(bands: tuple[Band, ...], dose: int | None) -> DoseChart | None:
    """A study's bands; a chart needs the reference and at least one band against it."""
    return DoseChart(bands, dose) if len(bands) > 1 else None
