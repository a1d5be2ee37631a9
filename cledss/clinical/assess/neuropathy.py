"""Peripheral neuropathy: how often, what the studies tie it to (conflicts included), and how they monitored it.

Shown to every patient: it is a safety matter from the label as well as a study finding. Where the
clinician gave the daily dose, the months on treatment or the SNAP amplitudes, the statements that
place this patient on that evidence come first (``exposure``).
"""

from ..dose_bands import dose_bands
from ..evidence import Association, EvidenceSnapshot, Finding, Outcome, Role
from ..features import PatientFeatures
from ..phrases import _
from ..visuals import dose_chart, icon_array
from .claims import (
    IRREVERSIBLE,
    NEUROPATHY_FREE_TIME,
    NEUROPATHY_RATE,
    PARAESTHESIA,
    PRACTICE,
    REPORTED,
    RESOLUTION,
)
from .exposure import placed
from .reporting import Row, claim_for, present, said, stated
from .results import Conflict, Section, Statement, Tone

_ALREADY = _("This patient already has a peripheral neuropathy. ")

HOW_OFTEN = (
    Row(Outcome.PARAESTHESIA, PARAESTHESIA, Role.PRIMARY, summary=_("paraesthesia in %(figure)s")),
    Row(Outcome.NEUROPATHY_CONFIRMED, REPORTED, Role.PRIMARY),
    Row(Outcome.NEUROPATHY_RESOLUTION_TIME, RESOLUTION, Role.PRIMARY),
    # The other CLE cohorts' neuropathy figures are in the cohorts table, beside their other outcomes.
    Row(Outcome.NEUROPATHY_CONFIRMED, NEUROPATHY_RATE, Role.SUPPORTING),
    Row(Outcome.NEUROPATHY_CONFIRMED, NEUROPATHY_RATE, Role.POOLED),
)
# Possible risk factors, each a question the studies answer; where they answer it both ways, the
# answers are shown side by side as a conflict.
RISK_FACTORS = {
    Outcome.NEUROPATHY_DAILY_DOSE: _("Daily dose"),
    Outcome.NEUROPATHY_CUMULATIVE_DOSE: _("Cumulative dose"),
    Outcome.NEUROPATHY_DURATION: _("Length of treatment"),
}
COURSE = (
    Row(Outcome.NEUROPATHY_AFTER_STOPPING, REPORTED),
    Row(Outcome.NEUROPATHY_IRREVERSIBLE, IRREVERSIBLE),
    Row(Outcome.NEUROPATHY_FREE_TIME, NEUROPATHY_FREE_TIME),
    Row(Outcome.NEUROPATHY_MONITORING, PRACTICE),
)


def neuropathy_section(features: PatientFeatures, evidence: EvidenceSnapshot) -> Section:
    bands = dose_bands(evidence)
    statements = [*_label(features, evidence), *placed(features, evidence, bands), *stated(evidence, HOW_OFTEN)]
    conflicts = []
    for outcome, question in RISK_FACTORS.items():
        conflict = _conflict(question, evidence.find(outcome))
        if conflict:
            conflicts.append(conflict)
        else:
            statements.extend(_reported(f) for f in evidence.find(outcome))
    statements.extend(stated(evidence, COURSE))
    picture = icon_array(_("Paraesthesia"), evidence.first(Outcome.PARAESTHESIA, role=Role.PRIMARY))
    charts = (dose_chart(study_bands, features.daily_dose_mg) for study_bands in bands.values())
    return Section(
        "monitoring", _("Neuropathy and neurological monitoring"), tuple(statements), present((picture, *charts)),
        tuple(conflicts),
    )


def _label(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    warnings = evidence.find(Outcome.NEUROPATHY_WARNING)
    if features.neuropathy:
        summary = _("This patient already has a peripheral neuropathy, a label warning of thalidomide")
        return tuple(said(REPORTED, f, tone=Tone.DANGER, lead=_ALREADY, summary=summary) for f in warnings)
    summary = _("peripheral neuropathy is a label warning")
    return tuple(said(REPORTED, f, tone=Tone.WARNING, summary=summary) for f in warnings)


def _reported(finding: Finding) -> Statement:
    return said(claim_for(REPORTED, finding), finding)


def _conflict(question, findings: tuple[Finding, ...]) -> Conflict | None:
    found = tuple(_reported(f) for f in findings if f.association == Association.ASSOCIATED)
    not_found = tuple(_reported(f) for f in findings if f.association == Association.NOT_ASSOCIATED)
    return Conflict(question, found, not_found) if found and not_found else None
