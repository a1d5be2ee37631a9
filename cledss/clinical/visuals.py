"""Pictures of the evidence, as numbers: what to draw, never how.

Icon-array counts are derived here, beside the Wilson interval, so every rendering draws
the same people; the SVG geometry lives with the templates.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .evidence import Finding, Measure
from .features import Subtype
from .phrases import Phrase, _
from .stats import percent

PEOPLE = 100


@dataclass(frozen=True)
class IconArray:
    """Out of 100 people like those studied, how many had the outcome."""

    title: Phrase
    finding: Finding
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


def icon_array(title: Phrase, finding: Finding | None) -> IconArray | None:
    if finding is None or finding.measure != Measure.PROPORTION:
        return None
    if finding.numerator is not None and finding.denominator:
        share = percent(finding.numerator, finding.denominator)
    elif finding.estimate is not None:
        share = finding.estimate.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    else:
        return None
    return IconArray(title, finding, int(share))


@dataclass(frozen=True)
class ForestRow:
    label: Phrase
    finding: Finding
    highlighted: bool

    @property
    def description(self) -> Phrase:
        return _("%(label)s: %(figure)s.", label=self.label, figure=self.finding.figure)


@dataclass(frozen=True)
class ForestPlot:
    """Subtype odds ratios on a log scale, each with its 95% CI and the line of no effect."""

    title: Phrase
    rows: tuple[ForestRow, ...]

    @property
    def description(self) -> str:
        return " ".join(str(row.description) for row in self.rows)


def forest_plot(title: Phrase, labelled: list[tuple[Phrase, Finding]], subtype: Subtype) -> ForestPlot | None:
    rows = tuple(
        ForestRow(label, finding, finding.subtype == subtype)
        for label, finding in labelled
        if finding.measure == Measure.ODDS_RATIO and finding.lower and finding.upper and finding.estimate
    )
    return ForestPlot(title, rows) if rows else None
