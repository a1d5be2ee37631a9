"""The validation rules hold outside the admin too: in full_clean and, for counts and limits, in the database."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cledss.evidence import validation
from cledss.evidence.models import Finding, Study
from tests.support import draft_finding


def test_every_seed_finding_and_study_passes_validation(seeded):
    for obj in [*Study.objects.all(), *Finding.objects.all()]:
        obj.full_clean()


def test_a_one_decimal_percentage_passes_when_it_matches_its_counts_and_fails_when_it_does_not(seeded):
    draft_finding(key="briani-like", numerator=10, denominator=14, estimate="71.4")
    with pytest.raises(ValidationError, match="disagrees with 10/14"):
        draft_finding(key="off-by-one", numerator=10, denominator=14, estimate="72.5")


def test_the_s4_abstracts_partial_response_mismatch_is_caught(seeded):
    with pytest.raises(ValidationError) as error:
        draft_finding(key="partial-response", numerator=4, denominator=24, estimate="27")
    assert error.value.message_dict["estimate"] == [
        validation.PROPORTION_MISMATCH.format(estimate="27", numerator=4, denominator=24, exact="16.7")
    ]


def test_database_refuses_a_numerator_above_its_denominator(seeded):
    finding = draft_finding()
    with pytest.raises(IntegrityError):
        Finding.objects.filter(pk=finding.pk).update(numerator=49)


def test_database_refuses_a_lower_limit_above_the_upper(seeded):
    finding = draft_finding()
    with pytest.raises(IntegrityError):
        Finding.objects.filter(pk=finding.pk).update(lower=30, upper=20)


def test_database_refuses_an_unknown_status(seeded):
    with pytest.raises(IntegrityError):
        Study.objects.filter(key="yuki-2021").update(status="approved")
