"""Practical issues as the studies and the label report them: the doses studies used, what patients noticed."""

from ..body_of_evidence import EvidenceSnapshot, Outcome
from ..phrases import _
from .claims import PRACTICE, REPORTED
from .reporting import Row, stated
from .results import Section

ROWS = (
    Row(Outcome.DOSE_REGIMEN, PRACTICE),
    Row(Outcome.COMMON_ADVERSE_EFFECTS, REPORTED),
)


def practical_section(evidence: EvidenceSnapshot) -> Section:
    return Section("practical", _("Practical issues: doses studied and what patients noticed"), stated(evidence, ROWS))
