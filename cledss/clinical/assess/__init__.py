"""What the published evidence says for one patient.

``assess`` is the only place cledss reasons about a patient. It reads nothing but its
arguments and returns an ``Assessment`` whose every statement names the findings and
sources it rests on; the web page, the PDF, the API and the CDS cards only render it.

The applicability verdict gates only the primary study's efficacy figures (response, relapse):
the label's safety facts and the neuropathy evidence reach every patient.
"""

from ..body_of_evidence import EvidenceSnapshot
from ..features import PatientFeatures
from .applicability import applicability
from .cohorts import cohorts
from .efficacy import relapse_section, response_section
from .key_points import key_points
from .neuropathy import neuropathy_section
from .practical import practical_section
from .results import (
    INTENDED_USE,
    LABEL,
    Applicability,
    Assessment,
    CohortRow,
    Conflict,
    Fit,
    KeyPoint,
    Section,
    Statement,
    Summary,
    SummaryRow,
    Tone,
)
from .safety import BIRTH_DEFECTS, safety_section
from .summary import summary_of_findings

__all__ = [
    "BIRTH_DEFECTS", "INTENDED_USE", "LABEL", "Applicability", "Assessment", "CohortRow", "Conflict", "Fit",
    "KeyPoint", "Section", "Statement", "Summary", "SummaryRow", "Tone", "assess", "summary_of_findings",
]


def assess(features: PatientFeatures, evidence: EvidenceSnapshot) -> Assessment:
    fit = applicability(features, evidence)
    efficacy = fit.fit.shows_efficacy
    sections = (
        *((response_section(evidence), relapse_section(features, evidence)) if efficacy else ()),
        neuropathy_section(features, evidence),
        safety_section(features, evidence),
        practical_section(evidence),
    )
    kept = tuple(s for s in sections if s.all_statements)
    return Assessment(
        features,
        evidence.version,
        fit,
        kept,
        summary_of_findings(evidence, efficacy=efficacy),
        key_points(fit, kept),
        # The cohorts' figures are efficacy figures too: gated like the primary study's.
        cohorts(features, evidence) if efficacy else (),
    )
