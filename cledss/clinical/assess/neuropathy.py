"""Peripheral neuropathy: how often, what the studies tie it to (conflicts included), and how they monitored it.

Shown to every patient: it is a safety matter from the label as well as a study finding. Where the
clinician gave the daily dose, the months on treatment or the SNAP amplitudes, the statements that
place this patient on that evidence come first (``exposure``). How often neuropathy is found depends on
whom a study tested: the primary study reported nerve conduction only for the patients with
paraesthesia, so the cohorts that tested every patient's nerves are set beside it.
"""

from ..body_of_evidence import Association, EvidenceSnapshot, NerveTesting, Outcome, ReportedFinding, Role
from ..dose_bands import dose_bands
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
    SCREENED_NEUROPATHY,
)
from .exposure import placed
from .reporting import Row, claim_for, present, said, stated
from .results import Conflict, Section, Statement, Tone

_ALREADY = _("This patient already has a peripheral neuropathy. ")

PRIMARY_HOW_OFTEN = (
    Row(Outcome.PARAESTHESIA, PARAESTHESIA, Role.PRIMARY, summary=_("paraesthesia in %(figure)s")),
    Row(
        Outcome.NEUROPATHY_CONFIRMED, REPORTED, Role.PRIMARY,
        summary=_("neuropathy confirmed in %(figure)s of those with paraesthesia, the only patients reported as "
                  "tested (%(study)s)"),
    ),
)
# Its short form, beside the primary study's: how often neuropathy is found when nobody is left untested.
SCREENED_SUMMARY = _("neuropathy in %(figure)s with every patient's nerves tested (%(study)s)")
RESOLVED = Row(Outcome.NEUROPATHY_RESOLUTION_TIME, RESOLUTION, Role.PRIMARY)
# Other studies' neuropathy figures that tested not every patient's nerves, or did not say; the other CLE
# cohorts' are in the cohorts table, beside their other outcomes.
HOW_OFTEN_ELSEWHERE = (Role.SUPPORTING, Role.POOLED)
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
    statements = [
        *_label(features, evidence),
        *placed(features, evidence, bands),
        *stated(evidence, PRIMARY_HOW_OFTEN),
        *_tested_every_patient(evidence),
        *RESOLVED.statements(evidence),
        *_how_often_elsewhere(evidence),
    ]
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


def _tested_every_patient(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """The figures of the studies that tested every patient's nerves, set beside the primary study's, which
    reported nerve conduction only for the patients with symptoms."""
    return tuple(
        said(SCREENED_NEUROPATHY, f, summary=SCREENED_SUMMARY)
        for f in evidence.find(Outcome.NEUROPATHY_CONFIRMED)
        if _screened(f) and f.source.role != Role.PRIMARY
    )


def _how_often_elsewhere(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    return tuple(
        said(claim_for(NEUROPATHY_RATE, f), f)
        for role in HOW_OFTEN_ELSEWHERE
        for f in evidence.find(Outcome.NEUROPATHY_CONFIRMED, role=role)
        if not _screened(f)
    )


def _screened(finding: ReportedFinding) -> bool:
    return finding.nerve_testing == NerveTesting.EVERY_PATIENT


def _label(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    warnings = evidence.find(Outcome.NEUROPATHY_WARNING)
    if features.neuropathy:
        summary = _("This patient already has a peripheral neuropathy, a label warning of thalidomide")
        return tuple(said(REPORTED, f, tone=Tone.DANGER, lead=_ALREADY, summary=summary) for f in warnings)
    summary = _("peripheral neuropathy is a label warning")
    return tuple(said(REPORTED, f, tone=Tone.WARNING, summary=summary) for f in warnings)


def _reported(finding: ReportedFinding) -> Statement:
    return said(claim_for(REPORTED, finding), finding)


def _conflict(question, findings: tuple[ReportedFinding, ...]) -> Conflict | None:
    found = tuple(_reported(f) for f in findings if f.association == Association.ASSOCIATED)
    not_found = tuple(_reported(f) for f in findings if f.association == Association.NOT_ASSOCIATED)
    return Conflict(question, found, not_found) if found and not_found else None
