"""How a finding's numbers read: exactly as reported, never rounded away."""

from cledss.clinical.body_of_evidence import Outcome, Role
from cledss.clinical.features import Subtype


def test_proportion_shows_counts_and_the_reported_percentage(snapshot):
    assert str(snapshot.first(Outcome.RESPONSE, role=Role.PRIMARY).figure) == "58/59 (98%)"


def test_percentage_without_counts_is_not_given_invented_counts(snapshot):
    assert str(snapshot.first(Outcome.RELAPSE, role=Role.PRIMARY).figure) == "70%"


def test_pooled_rate_carries_its_confidence_interval(snapshot):
    assert str(snapshot.first(Outcome.RESPONSE, role=Role.POOLED).figure) == "90% (95% CI 85% to 94%)"


def test_odds_ratio_keeps_every_reported_decimal(snapshot):
    figure = str(snapshot.first(Outcome.LONG_TERM_REMISSION, role=Role.PRIMARY, subtype=Subtype.SCLE).figure)
    assert figure == "odds ratio 30 (95% CI 5.82 to 154.63), against the study's patients with other subtypes"


def test_median_with_range_is_labelled_as_a_range_not_a_confidence_interval(snapshot):
    figure = str(snapshot.first(Outcome.NEUROPATHY_RESOLUTION_TIME).figure)
    assert figure == "12 months (range 6 to 18 months)"


def test_a_median_is_called_a_median(snapshot):
    assert str(snapshot.first(Outcome.NEUROPATHY_FREE_TIME).figure) == "a median of 14 months"


def test_one_decimal_percentage_is_kept(snapshot):
    briani = [f for f in snapshot.find(Outcome.NEUROPATHY_CONFIRMED) if f.source.key == "briani-2005"][0]
    assert str(briani.figure) == "10/14 (71.4%)"
