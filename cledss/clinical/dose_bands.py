"""The daily-dose bands of a study's neuropathy findings, read from the findings themselves.

A finding says which daily doses it covers (``daily_dose_above``, ``daily_dose_up_to``). A band is a
dose range the study gave a relative risk for, or the reference group those ratios compare against:
the doses up to the lowest dose where the ratio bands start (Bastuji-Garin 2002: "a daily dose of
50 mg or less"). A finding that covers a dose range but gives no ratio ("no neuropathy at 25 mg/day
or less") is an observation, not a band: a patient's dose is placed in one band of a study, and an
observation it falls in is told beside that band. No dose is written here, so a curator's correction
of a band reaches the statements and the picture unchanged.
"""

from dataclasses import dataclass
from decimal import Decimal

from .body_of_evidence import EvidenceSnapshot, Measure, Outcome, ReportedFinding, Source
from .phrases import Phrase, _


@dataclass(frozen=True)
class DoseRange:
    """Daily doses over ``above`` (from 0 if None) and up to ``up_to`` included (open if None)."""

    above: Decimal | None
    up_to: Decimal | None

    def holds(self, dose: int) -> bool:
        return (self.above is None or dose > self.above) and (self.up_to is None or dose <= self.up_to)

    @property
    def label(self) -> Phrase:
        if self.above is None:
            return _("up to %(up_to)s mg/day", up_to=self.up_to)
        if self.up_to is None:
            return _("over %(above)s mg/day", above=self.above)
        return _("over %(above)s to %(up_to)s mg/day", above=self.above, up_to=self.up_to)


@dataclass(frozen=True)
class Band(DoseRange):
    """``findings`` is the band's own relative risk or, for the reference band, the ratios that compare against it."""

    findings: tuple[ReportedFinding, ...]
    reference: bool = False

    @property
    def source(self) -> Source:
        return self.findings[0].source

    @property
    def ratio(self) -> Decimal:
        """The band's relative risk: 1 for the reference, the finding's own otherwise."""
        return Decimal(1) if self.reference else self.findings[0].estimate


@dataclass(frozen=True)
class Observation(DoseRange):
    """What a study saw over a dose range without a relative risk; never a band of its own."""

    finding: ReportedFinding


def dose_bands(evidence: EvidenceSnapshot) -> dict[Source, tuple[Band, ...]]:
    """Each study's bands, lowest first, with the reference band its relative risks compare against."""
    ratios = [f for f in _ranged(evidence) if _is_ratio(f)]
    studies = {}
    for source in dict.fromkeys(f.source for f in ratios):
        own = [f for f in ratios if f.source == source]
        bands = [Band(f.daily_dose_above, f.daily_dose_up_to, (f,)) for f in own]
        starts = [f.daily_dose_above for f in own if f.daily_dose_above is not None]
        if starts:
            against = tuple(f for f in own if f.daily_dose_above is not None)
            bands.append(Band(None, min(starts), against, reference=True))
        studies[source] = tuple(sorted(bands, key=lambda b: (b.up_to is None, b.up_to or 0, b.above or 0)))
    return studies


def dose_observations(evidence: EvidenceSnapshot) -> tuple[Observation, ...]:
    """The findings that cover a dose range without a relative risk."""
    return tuple(Observation(f.daily_dose_above, f.daily_dose_up_to, f) for f in _ranged(evidence) if not _is_ratio(f))


def band_for(dose: int, bands: tuple[Band, ...]) -> Band | None:
    """The band holding the dose."""
    return next((b for b in bands if b.holds(dose)), None)


def _ranged(evidence: EvidenceSnapshot) -> tuple[ReportedFinding, ...]:
    return tuple(
        f for f in evidence.find(Outcome.NEUROPATHY_DAILY_DOSE)
        if f.daily_dose_above is not None or f.daily_dose_up_to is not None
    )


def _is_ratio(finding: ReportedFinding) -> bool:
    return finding.measure == Measure.RELATIVE_RISK and finding.estimate is not None
