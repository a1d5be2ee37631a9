"""Numbers cledss derives, from what a source reported or from what the clinician entered."""

from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

# A month on treatment, counted as the mean Gregorian month (365.25 days / 12, to two decimals).
DAYS_PER_MONTH = Decimal("30.44")
TENTH = Decimal("0.1")

# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z_95 = 1.959963984540054


def number(value: Decimal | int) -> str:
    """A number as written, without the padding zeros or exponent a Decimal may carry (5.8200 -> 5.82, 1E+1 -> 10)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent(numerator: int, denominator: int) -> Decimal:
    """n/N as a whole percentage, rounded half up the way papers print it (58/59 -> 98)."""
    return (Decimal(100 * numerator) / Decimal(denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def wilson_interval(numerator: int, denominator: int, z: float = Z_95) -> tuple[Decimal, Decimal]:
    """Wilson score interval for a proportion, in percent to one decimal.

    Chosen over the Wald interval because it stays inside 0-100% and keeps its coverage
    when n/N is near 0 or 1, which is where thalidomide's response rates sit (58/59).
    """
    if denominator <= 0 or not 0 <= numerator <= denominator:
        raise ValueError(f"not a proportion: {numerator}/{denominator}")
    p = numerator / denominator
    centre = (p + z * z / (2 * denominator)) / (1 + z * z / denominator)
    half = z * sqrt(p * (1 - p) / denominator + z * z / (4 * denominator * denominator)) / (1 + z * z / denominator)
    step = Decimal("0.1")
    low = Decimal(str(max(0.0, centre - half) * 100)).quantize(step, rounding=ROUND_HALF_UP)
    high = Decimal(str(min(1.0, centre + half) * 100)).quantize(step, rounding=ROUND_HALF_UP)
    return low, high


def cumulative_grams(daily_mg: int, months: int) -> Decimal:
    """Thalidomide taken over ``months`` at a constant daily dose, in grams to one decimal (150 mg, 8 months: 36.5)."""
    return (Decimal(daily_mg) * months * DAYS_PER_MONTH / 1000).quantize(TENTH, rounding=ROUND_HALF_UP)


def percent_fall(baseline: Decimal, now: Decimal) -> Decimal:
    """How far a measurement fell from its baseline, in percent of the baseline (negative for a rise), unrounded
    so that comparing it with a criterion is not changed by rounding."""
    return (baseline - now) / baseline * 100
