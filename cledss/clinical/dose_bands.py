"""The daily-dose bands of a study's neuropathy findings, read from the findings themselves.

A band finding says which daily doses it covers (``daily_dose_above``, ``daily_dose_up_to``).
Its relative risk compares against a reference group: the doses up to the lowest dose where the
ratio bands start (Bastuji-Garin 2002: "a daily dose of 50 mg or less"). No dose is written here,
so a curator's correction of a band reaches the statements and the picture unchanged.
"""

from dataclasses import dataclass
from decimal import Decimal

from .evidence import EvidenceSnapshot, Finding, Measure, Outcome, Source
from .phrases import Phrase, _
from .stats import number


@dataclass(frozen=True)
class Band:
    """Daily doses over ``above`` (from 0 if None) and up to ``up_to`` included (open if None).

    ``findings`` is the band's own finding or, for the reference band, the ratios that compare against it.
    """

    above: Decimal | None
    up_to: Decimal | None
    findings: tuple[Finding, ...]
    reference: bool = False

    def holds(self, dose: int) -> bool:
        return (self.above is None or dose > self.above) and (self.up_to is None or dose <= self.up_to)

    @property
    def source(self) -> Source:
        return self.findings[0].source

    @property
    def label(self) -> Phrase:
        if self.above is None:
            return _("up to %(up_to)s mg/day", up_to=number(self.up_to))
        if self.up_to is None:
            return _("over %(above)s mg/day", above=number(self.above))
        return _("over %(above)s to %(up_to)s mg/day", above=number(self.above), up_to=number(self.up_to))

    @property
    def ratio(self) -> Decimal | None:
        """The band's relative risk: 1 for the reference, the finding's own for a ratio band, None for a narrative."""
        if self.reference:
            return Decimal(1)
        return self.findings[0].estimate if _is_ratio(self.findings[0]) else None


def dose_bands(evidence: EvidenceSnapshot) -> dict[Source, tuple[Band, ...]]:
    """Each study's bands, lowest first, with the reference band its relative risks compare against."""
    banded = [
        f for f in evidence.find(Outcome.NEUROPATHY_DAILY_DOSE)
        if f.daily_dose_above is not None or f.daily_dose_up_to is not None
    ]
    studies = {}
    for source in dict.fromkeys(f.source for f in banded):
        own = [f for f in banded if f.source == source]
        bands = [Band(f.daily_dose_above, f.daily_dose_up_to, (f,)) for f in own]
        ratios = tuple(f for f in own if _is_ratio(f) and f.daily_dose_above is not None)
        if ratios:
            bands.append(Band(None, min(f.daily_dose_above for f in ratios), ratios, reference=True))
        studies[source] = tuple(sorted(bands, key=lambda b: (b.up_to is None, b.up_to or 0, b.above or 0)))
    return studies


def band_for(dose: int, bands: tuple[Band, ...]) -> Band | None:
    """The band holding the dose; a band the study reported comes before the reference group it lies in."""
    return min((b for b in bands if b.holds(dose)), key=lambda b: b.reference, default=None)


def _is_ratio(finding: Finding) -> bool:
    return finding.measure == Measure.RELATIVE_RISK and finding.estimate is not None
