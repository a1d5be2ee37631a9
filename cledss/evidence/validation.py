"""Rules a study or finding must meet before anyone can save it; messages in the words a curator reads.

The rules live here, outside the models, so the model ``clean()`` methods stay short and the
tests can import each message by name.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from cledss.clinical.body_of_evidence import CERTAINTY_BY_ROLE, Measure
from cledss.clinical.features import Subtype
from cledss.clinical.stats import number

PMID_DIGITS = "A PMID is digits only, e.g. 21999437 (no 'PMID' prefix, no spaces)."
DOI_SYNTAX = "A DOI starts with '10.', then a registrant code, a slash and a suffix, e.g. 10.1111/j.1365-2133.2011.10693.x (no 'https://doi.org/' prefix)."
SOURCE_LOCATOR_REQUIRED = "Give a PMID, a DOI or a URL so a clinician can find the source."
TITLE_REQUIRED = (
    "Give the source's title as printed. Only a source with a PMID or DOI may go without one while its title is "
    "not verified (its record names it); never write a placeholder in its place."
)
CERTAINTY_HELP = (
    "Research (primary, pooled, supporting): a GRADE level. A guideline is expert consensus; a drug label or "
    "risk programme is regulatory. See docs/certainty.md for how each seed source was rated."
)
CERTAINTY_FOR_ROLE = "A {role} source carries the certainty '{certainty}', not a GRADE level."
CERTAINTY_NEEDS_GRADE = "Research evidence is rated with a GRADE level (high, moderate, low or very low)."
RATIO_NEEDS_COMPARATOR = "Say what the ratio compares against (e.g. 'the other subtypes'); a ratio without its comparator can be misread."
SUBTYPES_UNKNOWN = "List the subtypes as codes from: {codes}; for example [\"scle\", \"dle\"]."
COUNT_NEGATIVE = "A count cannot be negative."
DENOMINATOR_ZERO = "The number of patients (denominator) must be at least 1."
NUMERATOR_ABOVE_DENOMINATOR = "The number of patients with the outcome cannot exceed the number assessed (denominator)."
COUNTS_COME_IN_PAIRS = (
    "Give both the number with the outcome and the number assessed, or neither (a count printed without any "
    "denominator that fits needs a curator note)."
)
PROPORTION_MISMATCH = (
    "The percentage {estimate}% disagrees with {numerator}/{denominator} ({exact}%) beyond rounding. Record the "
    "counts as reported and check the percentage against the source; if the source printed it so, say that in the "
    "curator note."
)
PRINTED_AS_IS = "Printed so by the source (see the curator note): {problem}"
DOSE_BAND_ORDER = "The band's lower dose must be below its upper dose."
PROPORTION_RANGE = "A percentage lies between 0 and 100."
PROPORTION_NEEDS_FIGURE = "A proportion needs a percentage, or the counts (number with the outcome and number assessed)."
RATIO_POSITIVE = "An odds ratio or relative risk is always greater than 0."
DURATION_NEGATIVE = "A duration cannot be negative."
DURATION_NEEDS_UNIT = "Give the unit of the duration: days, weeks or months."
LOWER_ABOVE_UPPER = "The lower limit cannot be above the upper limit."
ESTIMATE_BELOW_LOWER = "The estimate cannot be below the lower limit of its interval."
ESTIMATE_ABOVE_UPPER = "The estimate cannot be above the upper limit of its interval."
INTERVAL_NEEDS_BOTH_LIMITS = "An interval needs both its lower and its upper limit."
LIMITS_NEED_INTERVAL_KIND = "Say what the limits are: a 95% confidence interval or a range."

# Proportions are reported rounded; half a percentage point is the most rounding to whole percents can explain.
ROUNDING_TOLERANCE = Decimal("0.5")

pmid_validator = RegexValidator(r"^[0-9]+\Z", PMID_DIGITS, code="pmid")
doi_validator = RegexValidator(r"^10\.[0-9]{4,9}(\.[0-9]+)*/\S+\Z", DOI_SYNTAX, code="doi")


def _certainty_problem(role: str, certainty: str) -> str:
    """The message for a certainty that does not fit the kind of source, or ''."""
    expected = CERTAINTY_BY_ROLE.get(role)
    if expected is not None and certainty != expected:
        return CERTAINTY_FOR_ROLE.format(role=role, certainty=expected.value)
    if expected is None and role and certainty in {c.value for c in CERTAINTY_BY_ROLE.values()}:
        return CERTAINTY_NEEDS_GRADE
    return ""


def check_study(study) -> None:
    errors = {}
    if not (study.pmid or study.doi or study.url):
        errors["pmid"] = SOURCE_LOCATOR_REQUIRED
    if not (study.title or "").strip() and not (study.pmid or study.doi):
        errors["title"] = TITLE_REQUIRED
    if problem := _certainty_problem(study.role, study.certainty):
        errors["certainty"] = problem
    codes = [s.value for s in Subtype]
    reported = study.subtypes_reported
    if not isinstance(reported, list) or any(code not in codes for code in reported):
        errors["subtypes_reported"] = SUBTYPES_UNKNOWN.format(codes=", ".join(codes))
    if errors:
        raise ValidationError(errors)


def printed_mismatches(finding) -> list[str]:
    """The figures a source printed that do not add up, whether or not a curator note accepts them."""
    problems: dict[str, list[str]] = {}
    _check_printed(finding, lambda field, message: problems.setdefault(field, []).append(message))
    return [message for messages in problems.values() for message in messages]


def check_finding(finding) -> None:
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    _check_counts(finding, add)
    _check_interval(finding, add)
    _check_measure(finding, add)
    # What the source printed wrongly is stored as printed, but only with a curator note saying so.
    if not (finding.curator_note or "").strip():
        _check_printed(finding, add)
    above, up_to = finding.daily_dose_above, finding.daily_dose_up_to
    if above is not None and up_to is not None and above >= up_to:
        add("daily_dose_above", DOSE_BAND_ORDER)
    if getattr(finding, "study_id", None) is not None and (problem := _certainty_problem(finding.study.role, finding.certainty)):
        add("certainty", problem)
    if errors:
        raise ValidationError(errors)


def _check_counts(finding, add) -> None:
    numerator, denominator = finding.numerator, finding.denominator
    for name in ("numerator", "denominator"):
        value = getattr(finding, name)
        if value is not None and value < 0:
            add(name, COUNT_NEGATIVE)
    if denominator is not None and denominator == 0:
        add("denominator", DENOMINATOR_ZERO)
    if numerator is not None and denominator is not None and 0 <= denominator < numerator:
        add("numerator", NUMERATOR_ABOVE_DENOMINATOR)


def _check_interval(finding, add) -> None:
    lower, upper, estimate = finding.lower, finding.upper, finding.estimate
    if finding.interval and (lower is None or upper is None):
        add("lower" if lower is None else "upper", INTERVAL_NEEDS_BOTH_LIMITS)
    if not finding.interval and (lower is not None or upper is not None):
        add("interval", LIMITS_NEED_INTERVAL_KIND)
    if lower is not None and upper is not None and lower > upper:
        add("lower", LOWER_ABOVE_UPPER)
        return
    if estimate is not None and lower is not None and estimate < lower:
        add("estimate", ESTIMATE_BELOW_LOWER)
    if estimate is not None and upper is not None and estimate > upper:
        add("estimate", ESTIMATE_ABOVE_UPPER)


def _check_measure(finding, add) -> None:
    measure, estimate = finding.measure, finding.estimate
    if measure == Measure.PROPORTION:
        for name in ("estimate", "lower", "upper"):
            value = getattr(finding, name)
            if value is not None and not 0 <= value <= 100:
                add(name, PROPORTION_RANGE)
        has_counts = finding.numerator is not None and finding.denominator is not None
        if estimate is None and not has_counts:
            add("estimate", PROPORTION_NEEDS_FIGURE)
    elif measure in (Measure.ODDS_RATIO, Measure.RELATIVE_RISK):
        for name in ("estimate", "lower", "upper"):
            value = getattr(finding, name)
            if value is not None and value <= 0:
                add(name, RATIO_POSITIVE)
        if not (finding.comparator or "").strip():
            add("comparator", RATIO_NEEDS_COMPARATOR)
    elif measure == Measure.DURATION:
        for name in ("estimate", "lower", "upper"):
            value = getattr(finding, name)
            if value is not None and value < 0:
                add(name, DURATION_NEGATIVE)
        if estimate is not None and not finding.unit.strip():
            add("unit", DURATION_NEEDS_UNIT)



def _check_printed(finding, add) -> None:
    """Counts without a denominator, and a percentage that disagrees with its counts beyond rounding."""
    numerator, denominator, estimate = finding.numerator, finding.denominator, finding.estimate
    if (numerator is None) != (denominator is None):
        add("denominator" if denominator is None else "numerator", COUNTS_COME_IN_PAIRS)
    if finding.measure != Measure.PROPORTION or estimate is None or numerator is None or not denominator:
        return
    exact = Decimal(100) * numerator / denominator
    if abs(Decimal(estimate) - exact) > ROUNDING_TOLERANCE:
        add(
            "estimate",
            PROPORTION_MISMATCH.format(
                estimate=number(Decimal(estimate)), numerator=numerator, denominator=denominator, exact=round(exact, 1)
            ),
        )
