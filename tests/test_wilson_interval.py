from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cledss.clinical.stats import percent, wilson_interval


def test_response_58_of_59_has_the_published_wilson_interval():
    assert wilson_interval(58, 59) == (Decimal("91.0"), Decimal("99.7"))


def test_complete_response_50_of_59_has_the_published_wilson_interval():
    assert wilson_interval(50, 59) == (Decimal("73.5"), Decimal("91.8"))


def test_all_or_none_stays_inside_0_to_100():
    assert wilson_interval(0, 10)[0] == Decimal("0.0")
    assert wilson_interval(10, 10)[1] == Decimal("100.0")


def test_percent_rounds_half_up_like_the_paper():
    assert percent(58, 59) == 98
    assert percent(50, 59) == 85
    assert percent(11, 60) == 18
    assert percent(1, 8) == 13


@pytest.mark.parametrize("numerator, denominator", [(1, 0), (-1, 5), (6, 5)])
def test_impossible_counts_are_refused(numerator, denominator):
    with pytest.raises(ValueError):
        wilson_interval(numerator, denominator)


@given(st.integers(min_value=1, max_value=10_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_interval_always_contains_the_observed_proportion(counts):
    numerator, denominator = counts
    low, high = wilson_interval(numerator, denominator)
    observed = Decimal(100 * numerator) / denominator
    assert Decimal(0) <= low <= observed + Decimal("0.05")
    assert observed - Decimal("0.05") <= high <= Decimal(100)
