"""This patient on the neuropathy evidence: the band of the daily dose (and any observation beside the
bands that covers it), a dose above those the CLE cohorts used, the time on treatment, the cumulative dose
and the fall in sural SNAP amplitude, each set beside the findings it is compared with.

Only what the clinician entered is placed; an input left empty says nothing. The numbers cledss
works out (the cumulative dose, the SNAP fall) say so, and the cumulative dose says what it assumes.
Each statement has a short form with its figure (``summary``) for the key points and CDS cards.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ..body_of_evidence import Association, EvidenceSnapshot, Outcome, ReportedFinding, Role, Source
from ..dose_bands import Band, Observation, band_for, dose_observations
from ..features import PatientFeatures
from ..phrases import Joined, Phrase, _, listing
from ..stats import DAYS_PER_MONTH, TENTH, cumulative_grams, percent_fall
from .claims import CUMULATIVE_DOSE, DOSE_BAND_RISK, DOSE_OBSERVATION, DOSE_REFERENCE_BAND, LONG_TREATMENT, SNAP_FALL
from .reporting import said, said_together
from .results import Statement, Tone


@dataclass(frozen=True)
class WordedThreshold:
    """A threshold a finding gives only in its words ("6 months or more"). The evidence model has no field
    for it, so it is named here beside the finding it belongs to, and a test checks the words still say it."""

    source: str
    finding: str
    outcome: Outcome
    value: int

    def find(self, evidence: EvidenceSnapshot) -> ReportedFinding | None:
        found = evidence.find(self.outcome)
        return next((f for f in found if f.source.key == self.source and f.key == self.finding), None)


LONG_TREATMENT_MONTHS = WordedThreshold("yuki-2021", "duration", Outcome.NEUROPATHY_DURATION, 6)
SNAP_CRITERION = WordedThreshold("briani-2005", "snap-criterion", Outcome.NEUROPATHY_MONITORING, 50)

# The CLE cohorts give their daily doses only in the words of their intervention ("Thalidomide 100 mg/day,
# then 50-25 mg/day"): each number of milligrams named there, a range's ends included, is a dose they used.
COHORTS = (Role.PRIMARY, Role.COHORT)
_MILLIGRAMS = re.compile(r"(\d+(?:\.\d+)?)(?:\s*-\s*(\d+(?:\.\d+)?))?\s*mg\b")


def cohort_doses(evidence: EvidenceSnapshot) -> dict[Source, Decimal]:
    """Each CLE cohort whose intervention names its daily doses, with the highest of them: the primary study
    first, then the others by year."""
    cohorts = (s for s in evidence.sources if s.role in COHORTS)
    doses = {}
    for source in sorted(cohorts, key=lambda s: (s.role != Role.PRIMARY, s.year or 0, s.short)):
        named = [Decimal(n) for match in _MILLIGRAMS.findall(source.intervention) for n in match if n]
        if named:
            doses[source] = max(named)
    return doses


def placed(
    features: PatientFeatures, evidence: EvidenceSnapshot, bands: dict[Source, tuple[Band, ...]]
) -> tuple[Statement, ...]:
    """The statements that place this patient: the daily dose in its band, beside any observation that covers it
    and the doses the CLE cohorts used; time on treatment; cumulative dose; nerve conduction."""
    dose, months = features.daily_dose_mg, features.months_on_thalidomide
    in_bands = () if dose is None else tuple(
        _in_band(dose, band, study_bands, evidence)
        for study_bands in bands.values()
        if (band := band_for(dose, study_bands)) is not None
    )
    observed = () if dose is None else tuple(_observed(dose, o) for o in dose_observations(evidence) if o.holds(dose))
    long_treatment = _long_treatment(months, evidence)
    already = tuple(f for s in long_treatment for f in s.findings)
    return (
        *in_bands,
        *observed,
        *_above_cohort_doses(dose, evidence),
        *long_treatment,
        *_cumulative_dose(dose, months, evidence, already),
        *_snap_fall(features.snap_baseline_uv, features.snap_now_uv, evidence),
    )


def _in_band(dose: int, band: Band, bands: tuple[Band, ...], evidence: EvidenceSnapshot) -> Statement:
    """The band's relative risk (or, for the reference band, the ratios against it), with the study's size and
    incidence."""
    study, cohort = _study(band.source, evidence)
    findings, place = (*band.findings, *cohort), {"dose": dose, "band": band.label}
    short = band.source.short
    if band.reference:
        higher = tuple(
            _("%(ratio)s %(band)s", ratio=b.ratio, band=b.label)
            for b in bands
            if not b.reference
        )
        summary = _(
            "%(dose)s mg/day: %(band)s, the reference band for relative risks of neuropathy (%(study)s)",
            study=short, **place,
        )
        return said_together(DOSE_REFERENCE_BAND, findings, study=study, ratios=listing(higher), summary=summary, **place)
    finding = band.findings[0]
    reference = next((b for b in bands if b.reference), None)
    against = _("≤ %(up_to)s mg/day", up_to=reference.up_to) if reference else finding.comparator
    summary = _(
        "%(dose)s mg/day: %(band)s, relative risk of neuropathy %(ratio)s against %(against)s (%(study)s)",
        ratio=band.ratio, against=against, study=short, **place,
    )
    return said_together(
        DOSE_BAND_RISK, findings, study=study, figure=finding.figure, tone=Tone.WARNING, summary=summary, **place
    )


def _observed(dose: int, observation: Observation) -> Statement:
    """What a study saw over a dose range holding this dose, told beside the band and not as one."""
    finding = observation.finding
    summary = _("%(dose)s mg/day: %(statement)s", dose=dose, statement=finding.statement)
    return said(DOSE_OBSERVATION, finding, dose=dose, summary=summary)


def _above_cohort_doses(dose: int | None, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """A daily dose above every dose the CLE cohorts name, set beside the doses they used, each cited."""
    doses = {} if dose is None else cohort_doses(evidence)
    if not doses or dose <= (highest := max(doses.values())):
        return ()
    used = Joined(tuple(
        _("%(study)s: %(intervention)s", study=source.short, intervention=source.intervention.rstrip("."))
        for source in doses
    ))
    message = _(
        "At %(dose)s mg/day this patient's daily dose is above those of the CLE cohorts: the cohorts that give their "
        "daily dose used %(highest)s mg/day or less (%(used)s).",
        dose=dose, highest=highest, used=used,
    )
    summary = _("%(dose)s mg/day: above the %(highest)s mg/day or less that the CLE cohorts used",
                dose=dose, highest=highest)
    return (Statement(message, cited=tuple(doses), tone=Tone.WARNING, summary=summary),)


def _study(source: Source, evidence: EvidenceSnapshot) -> tuple[Phrase | str, tuple[ReportedFinding, ...]]:
    """The study named with its size and neuropathy incidence when the evidence has both, and that finding."""
    incidence = evidence.first(Outcome.NEUROPATHY_CONFIRMED, source=source)
    if incidence is None or not source.size:
        return source.short, ()
    named = _(
        "%(study)s (%(size)s patients; neuropathy in %(incidence)s of them)",
        study=source.short, size=source.size, incidence=incidence.figure,
    )
    return named, (incidence,)


def _long_treatment(months: int | None, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    finding = LONG_TREATMENT_MONTHS.find(evidence)
    if months is None or months < LONG_TREATMENT_MONTHS.value or finding is None:
        return ()
    summary = _(
        "%(months)s months on thalidomide: treatment for %(threshold)s months or more predicted neuropathy (%(study)s)",
        months=months, threshold=LONG_TREATMENT_MONTHS.value, study=finding.source.short,
    )
    return (said(LONG_TREATMENT, finding, months=months, summary=summary),)


def _cumulative_dose(
    dose: int | None, months: int | None, evidence: EvidenceSnapshot, already: tuple[ReportedFinding, ...]
) -> tuple[Statement, ...]:
    """The dose taken so far, computed, beside the studies on both sides of whether it matters.

    A study that found the cumulative dose predicted neuropathy is quoted with the other predictors it found
    (the length of treatment), unless ``already`` placed them for this patient.
    """
    findings = evidence.find(Outcome.NEUROPATHY_CUMULATIVE_DOSE)
    found = tuple(f for f in findings if f.association == Association.ASSOCIATED)
    not_found = tuple(f for f in findings if f.association == Association.NOT_ASSOCIATED)
    if dose is None or not months or not found:
        return ()
    by_them = {f.source for f in found}
    predictors = tuple(
        f for f in evidence.find(Outcome.NEUROPATHY_DURATION)
        if f.association == Association.ASSOCIATED and f.source in by_them and f not in already
    )
    amount = {"grams": cumulative_grams(dose, months), "dose": dose}
    computed = _(
        "Cumulative dose so far: about %(grams)s g if the daily dose has been constant (%(dose)s mg/day for "
        "%(months)s months, a month counted as %(days)s days; computed by cledss).",
        months=months, days=DAYS_PER_MONTH, **amount,
    )
    if not_found:
        other_side = _(" %(sources)s found no association between the cumulative dose and neuropathy; the conflicting "
                       "evidence is set out below.", sources=_named(not_found))
        summary = _("About %(grams)s g so far if %(dose)s mg/day has been constant (computed by cledss); studies "
                    "disagree on its effect", **amount)
    else:
        other_side = ""
        summary = _("About %(grams)s g so far if %(dose)s mg/day has been constant (computed by cledss)", **amount)
    return (
        said_together(
            CUMULATIVE_DOSE, (*found, *predictors, *not_found), computed=computed,
            found=Joined(tuple(f.statement for f in (*found, *predictors)), " "), other_side=other_side,
            summary=summary,
        ),
    )


def _named(findings: tuple[ReportedFinding, ...]) -> Phrase | str:
    return listing(tuple(dict.fromkeys(f.source.short for f in findings)))


def _snap_fall(baseline: Decimal | None, now: Decimal | None, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """The fall from baseline, computed, beside the criterion Briani et al. counted as neuropathy."""
    criterion = SNAP_CRITERION.find(evidence)
    if baseline is None or now is None or criterion is None:
        return ()
    fall = percent_fall(baseline, now)
    measured = {"baseline": baseline, "now": now}
    tone = Tone.INFO
    if fall > 0:
        # Cut, not rounded, to a tenth: a fall shown as 50% is never one that misses a 50% criterion.
        reached = fall >= SNAP_CRITERION.value
        beside = {
            "fall": fall.quantize(TENTH, rounding=ROUND_DOWN),
            "side": _("at or above") if reached else _("below"),
            "criterion": SNAP_CRITERION.value,
            "study": criterion.source.short,
        }
        computed = _(
            "The sural SNAP amplitude has fallen by %(fall)s%% from baseline (%(baseline)s to %(now)s µV; computed by "
            "cledss), %(side)s the %(criterion)s%% fall that %(study)s counted as neuropathy.",
            **beside, **measured,
        )
        summary = _("Sural SNAP fall of %(fall)s%% (computed by cledss), %(side)s the %(criterion)s%% criterion of "
                    "%(study)s", **beside)
        # A fall at or past the criterion is neuropathy by the study's own measure: danger-level for this patient.
        tone = Tone.DANGER if reached else Tone.INFO
    else:
        computed = _("The sural SNAP amplitude has not fallen from baseline (%(baseline)s to %(now)s µV).", **measured)
        summary = _("Sural SNAP amplitude not fallen from baseline (%(baseline)s to %(now)s µV)", **measured)
    return (said(SNAP_FALL, criterion, computed=computed, criterion=SNAP_CRITERION.value, tone=tone, summary=summary),)
