"""This patient on the neuropathy evidence: the band of the daily dose, the time on treatment, the
cumulative dose and the fall in sural SNAP amplitude, each set beside the findings it is compared with.

Only what the clinician entered is placed; an input left empty says nothing. The numbers cledss
works out (the cumulative dose, the SNAP fall) say so, and the cumulative dose says what it assumes.
Each statement has a short form with its figure (``summary``) for the key points and CDS cards.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from ..dose_bands import Band, band_for
from ..evidence import Association, EvidenceSnapshot, Finding, Outcome, Source
from ..features import PatientFeatures
from ..phrases import Phrase, _, listing
from ..stats import DAYS_PER_MONTH, TENTH, cumulative_grams, number, percent_fall
from .claims import CUMULATIVE_DOSE, DOSE_BAND_REPORTED, DOSE_BAND_RISK, DOSE_REFERENCE_BAND, LONG_TREATMENT, SNAP_FALL
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

    def find(self, evidence: EvidenceSnapshot) -> Finding | None:
        found = evidence.find(self.outcome)
        return next((f for f in found if f.source.key == self.source and f.key == self.finding), None)


LONG_TREATMENT_MONTHS = WordedThreshold("yuki-2021", "duration", Outcome.NEUROPATHY_DURATION, 6)
SNAP_CRITERION = WordedThreshold("briani-2005", "snap-criterion", Outcome.NEUROPATHY_MONITORING, 50)


def placed(
    features: PatientFeatures, evidence: EvidenceSnapshot, bands: dict[Source, tuple[Band, ...]]
) -> tuple[Statement, ...]:
    """The statements that place this patient: daily dose, time on treatment, cumulative dose, nerve conduction."""
    dose, months = features.daily_dose_mg, features.months_on_thalidomide
    in_bands = () if dose is None else tuple(
        _in_band(dose, band, study_bands, evidence)
        for study_bands in bands.values()
        if (band := band_for(dose, study_bands)) is not None
    )
    return (
        *in_bands,
        *_long_treatment(months, evidence),
        *_cumulative_dose(dose, months, evidence),
        *_snap_fall(features.snap_baseline_uv, features.snap_now_uv, evidence),
    )


def _in_band(dose: int, band: Band, bands: tuple[Band, ...], evidence: EvidenceSnapshot) -> Statement:
    """The band's finding (or, for the reference band, the ratios against it), with the study's size and incidence."""
    study, cohort = _study(band.source, evidence)
    findings, place = (*band.findings, *cohort), {"dose": dose, "band": band.label}
    short = band.source.short
    if band.reference:
        higher = tuple(
            _("%(ratio)s %(band)s", ratio=number(b.ratio), band=b.label)
            for b in bands
            if b.ratio is not None and not b.reference
        )
        summary = _(
            "%(dose)s mg/day: %(band)s, the reference band for relative risks of neuropathy (%(study)s)",
            study=short, **place,
        )
        return said_together(DOSE_REFERENCE_BAND, findings, study=study, ratios=listing(higher), summary=summary, **place)
    finding = band.findings[0]
    if band.ratio is None:
        summary = _("%(dose)s mg/day: %(statement)s", dose=dose, statement=finding.statement)
        return said_together(
            DOSE_BAND_REPORTED, findings, study=study, statement=finding.statement, summary=summary, **place
        )
    reference = next((b for b in bands if b.reference), None)
    against = _("≤ %(up_to)s mg/day", up_to=number(reference.up_to)) if reference else finding.comparator
    summary = _(
        "%(dose)s mg/day: %(band)s, relative risk of neuropathy %(ratio)s against %(against)s (%(study)s)",
        ratio=number(band.ratio), against=against, study=short, **place,
    )
    return said_together(
        DOSE_BAND_RISK, findings, study=study, figure=finding.figure, tone=Tone.WARNING, summary=summary, **place
    )


def _study(source: Source, evidence: EvidenceSnapshot) -> tuple[Phrase | str, tuple[Finding, ...]]:
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


def _cumulative_dose(dose: int | None, months: int | None, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """The dose taken so far, computed, beside the studies on both sides of whether it matters."""
    findings = evidence.find(Outcome.NEUROPATHY_CUMULATIVE_DOSE)
    found = tuple(f for f in findings if f.association == Association.ASSOCIATED)
    not_found = tuple(f for f in findings if f.association == Association.NOT_ASSOCIATED)
    if dose is None or not months or not found:
        return ()
    amount = {"grams": number(cumulative_grams(dose, months)), "dose": dose}
    computed = _(
        "Cumulative dose so far: about %(grams)s g if the daily dose has been constant (%(dose)s mg/day for "
        "%(months)s months, a month counted as %(days)s days; computed by cledss).",
        months=months, days=number(DAYS_PER_MONTH), **amount,
    )
    if not_found:
        other_side = _(" %(sources)s found no association; the conflicting evidence is set out below.",
                       sources=_named(not_found))
        summary = _("About %(grams)s g so far if %(dose)s mg/day has been constant (computed by cledss); studies "
                    "disagree on its effect", **amount)
    else:
        other_side = ""
        summary = _("About %(grams)s g so far if %(dose)s mg/day has been constant (computed by cledss)", **amount)
    return (
        said_together(
            CUMULATIVE_DOSE, (*found, *not_found), computed=computed, found=_named(found), other_side=other_side,
            summary=summary,
        ),
    )


def _named(findings: tuple[Finding, ...]) -> Phrase | str:
    return listing(tuple(dict.fromkeys(f.source.short for f in findings)))


def _snap_fall(baseline: Decimal | None, now: Decimal | None, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """The fall from baseline, computed, beside the criterion Briani et al. counted as neuropathy."""
    criterion = SNAP_CRITERION.find(evidence)
    if baseline is None or now is None or criterion is None:
        return ()
    fall = percent_fall(baseline, now)
    measured = {"baseline": number(baseline), "now": number(now)}
    tone = Tone.INFO
    if fall > 0:
        # Cut, not rounded, to a tenth: a fall shown as 50% is never one that misses a 50% criterion.
        reached = fall >= SNAP_CRITERION.value
        beside = {
            "fall": number(fall.quantize(TENTH, rounding=ROUND_DOWN)),
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
        tone = Tone.WARNING if reached else Tone.INFO
    else:
        computed = _("The sural SNAP amplitude has not fallen from baseline (%(baseline)s to %(now)s µV).", **measured)
        summary = _("Sural SNAP amplitude not fallen from baseline (%(baseline)s to %(now)s µV)", **measured)
    return (said(SNAP_FALL, criterion, computed=computed, criterion=SNAP_CRITERION.value, tone=tone, summary=summary),)
