"""Numbers cledss derives from what a source reported."""

from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

# Two-sided 95%: the 0.975 quantile of the standard normal distribution.
Z_95 = 1.959963984540054


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
