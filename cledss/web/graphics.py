"""Geometry of the evidence pictures, kept out of the templates and free of Django."""

import math
from dataclasses import dataclass
from decimal import Decimal

from cledss.clinical.phrases import Phrase, written
from cledss.clinical.visuals import PEOPLE, DoseChart, ForestPlot, IconArray

ICON_COLUMNS = 10
ICON_PITCH = 14

# Forest plot canvas, in SVG user units; the axis spans 0.1 to 1000 on a log scale and each
# row's label sits above its interval, so long (e.g. Spanish) labels never overlap the plot.
PLOT_LEFT = 20
PLOT_WIDTH = 520
MARKER = 10
AXIS_LOW = Decimal("0.1")
AXIS_HIGH = Decimal("1000")
ROW_HEIGHT = 44
TEXT_LINE = 16  # a line of 12px text under the axis
NO_EFFECT = Decimal(1)
TICKS = (Decimal("0.1"), Decimal("1"), Decimal("10"), Decimal("100"), Decimal("1000"))


@dataclass(frozen=True)
class Block:
    """A rectangle of whole icons, drawn with one repeated pattern instead of a shape per person."""

    x: int
    y: int
    width: int
    height: int
    affected: bool

    @property
    def people(self) -> int:
        return (self.width // ICON_PITCH) * (self.height // ICON_PITCH)


def icon_blocks(array: IconArray) -> list[Block]:
    """Row by row from the top left, the affected people first, as icon-array studies advise: full rows of
    affected people, the affected and unaffected parts of the row they share, then full unaffected rows."""
    full_rows, rest = divmod(array.filled, ICON_COLUMNS)
    rows = PEOPLE // ICON_COLUMNS
    side = ICON_COLUMNS * ICON_PITCH
    blocks = [
        Block(0, 0, side, full_rows * ICON_PITCH, True),
        Block(0, full_rows * ICON_PITCH, rest * ICON_PITCH, ICON_PITCH if rest else 0, True),
        Block(rest * ICON_PITCH, full_rows * ICON_PITCH, side - rest * ICON_PITCH, ICON_PITCH if rest else 0, False),
        Block(0, (full_rows + (1 if rest else 0)) * ICON_PITCH, side, (rows - full_rows - (1 if rest else 0)) * ICON_PITCH, False),
    ]
    return [block for block in blocks if block.width and block.height]


@dataclass(frozen=True)
class Person:
    x: float
    y: float
    affected: bool


def icon_people(array: IconArray) -> list[Person]:
    """Each person's centre, in the order icon_blocks lays them out: row by row from the top left, affected first.

    The handout draws its people one by one, because WeasyPrint paints the shapes inside an SVG pattern black
    whatever their colour; the result page keeps the lighter patterns (it leaves its pictures off paper).
    """
    centre = ICON_PITCH / 2
    return [
        Person((i % ICON_COLUMNS) * ICON_PITCH + centre, (i // ICON_COLUMNS) * ICON_PITCH + centre, i < array.filled)
        for i in range(PEOPLE)
    ]


def log_x(value: Decimal) -> float:
    """Horizontal position of a ratio on the forest plot's log scale, clamped to the axis."""
    return _log_position(value, AXIS_LOW, AXIS_HIGH, PLOT_LEFT, PLOT_WIDTH)


def _log_position(value: Decimal, low: Decimal, high: Decimal, left: int, width: int) -> float:
    value = min(max(value, low), high)
    span = math.log10(high) - math.log10(low)
    return round(left + width * (math.log10(value) - math.log10(low)) / span, 2)


@dataclass(frozen=True)
class PlottedRow:
    label: str
    y: int
    lower: float
    estimate: float
    upper: float
    marker_x: float
    label_y: int
    highlighted: bool
    description: str


def forest_rows(plot: ForestPlot) -> list[PlottedRow]:
    return [
        PlottedRow(
            row.label,
            ROW_HEIGHT * (index + 1),
            log_x(row.finding.lower),
            log_x(row.finding.estimate),
            log_x(row.finding.upper),
            log_x(row.finding.estimate) - MARKER / 2,
            ROW_HEIGHT * (index + 1) - 14,
            row.highlighted,
            row.description,
        )
        for index, row in enumerate(plot.rows)
    ]


def forest_ticks() -> list[tuple[float, str]]:
    return [(log_x(tick), format(tick.normalize(), "f")) for tick in TICKS]


# Dose chart canvas: band labels on the left, bars on a log scale from the reference (1) to a power of ten,
# and room after each bar for its value and, on the patient's band, the words that say so.
DOSE_LEFT = 175
DOSE_WIDTH = 200
DOSE_CANVAS = 480
DOSE_ROW = 28
DOSE_BAR = 12
REFERENCE = Decimal(1)


@dataclass(frozen=True)
class PlottedBand:
    label: Phrase
    ratio: str
    bar_y: int
    text_y: int
    width: float
    value_x: float
    highlighted: bool
    reference: bool


def dose_axis_high(chart: DoseChart) -> Decimal:
    """The power of ten at or above the largest ratio (20.2 -> 100), at least 10."""
    largest = max(band.ratio for band in chart.bands)
    return Decimal(10) ** max(1, math.ceil(math.log10(largest)))


def dose_x(chart: DoseChart, value: Decimal) -> float:
    return _log_position(value, REFERENCE, dose_axis_high(chart), DOSE_LEFT, DOSE_WIDTH)


def dose_rows(chart: DoseChart) -> list[PlottedBand]:
    """One bar per band from the reference line to its ratio; the reference itself shows as a short mark."""
    rows = []
    for index, band in enumerate(chart.bands):
        end = dose_x(chart, band.ratio)
        top = DOSE_ROW * index + (DOSE_ROW - DOSE_BAR) // 2
        width = round(max(end - DOSE_LEFT, 3), 2)
        rows.append(
            PlottedBand(
                band.label, written(band.ratio), top, top + DOSE_BAR - 1, width, DOSE_LEFT + width + 6,
                band == chart.patient_band, band.reference,
            )
        )
    return rows


def dose_ticks(chart: DoseChart) -> list[tuple[float, str]]:
    """The powers of ten from the reference to the axis end."""
    ticks, tick = [], REFERENCE
    while tick <= dose_axis_high(chart):
        ticks.append((dose_x(chart, tick), written(tick)))
        tick *= 10
    return ticks
