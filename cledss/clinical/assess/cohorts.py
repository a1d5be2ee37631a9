"""Every published thalidomide cohort in CLE side by side, then the meta-analysis, each cell as reported."""

from ..body_of_evidence import EvidenceSnapshot, Outcome, ReportedFinding, Role, Source
from ..features import PatientFeatures
from .results import CohortRow

# Where each column's figure comes from, in order of preference (a relapse time when no rate is given;
# paraesthesia when a cohort reports no confirmed neuropathy).
COLUMNS = {
    "response": (Outcome.RESPONSE,),
    "complete_response": (Outcome.COMPLETE_RESPONSE,),
    "partial_response": (Outcome.PARTIAL_RESPONSE,),
    "relapse": (Outcome.RELAPSE, Outcome.RELAPSE_AFTER_WITHDRAWAL, Outcome.TIME_TO_RELAPSE),
    "neuropathy": (Outcome.NEUROPATHY_CONFIRMED, Outcome.PARAESTHESIA),
}
# The adverse-events column holds every one of these a source reports, each under its own outcome's name:
# stopping for adverse effects, and vascular events as each source names them.
ADVERSE_EVENTS = (
    Outcome.STOPPED_FOR_ADVERSE_EFFECTS,
    Outcome.CEREBRAL_ISCHAEMIA,
    Outcome.ARTERIAL_STENT_THROMBOSIS,
    Outcome.THROMBOSIS,
)


def cohorts(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[CohortRow, ...]:
    """The primary study, the other cohorts by year, and the meta-analysis as the last row."""
    sources = [s for s in evidence.sources if s.role in (Role.PRIMARY, Role.COHORT)]
    sources.sort(key=lambda s: (s.role != Role.PRIMARY, s.year or 9999, s.key))
    sources += [s for s in evidence.sources if s.role == Role.POOLED]
    return tuple(_row(source, features, evidence) for source in sources)


def _row(source: Source, features: PatientFeatures, evidence: EvidenceSnapshot) -> CohortRow:
    cells = {name: _cell(evidence, source, outcomes) for name, outcomes in COLUMNS.items()}
    adverse_events = tuple(f for outcome in ADVERSE_EVENTS for f in evidence.find(outcome, source=source))
    return CohortRow(
        source, **cells, adverse_events=adverse_events, includes_subtype=features.subtype in source.subtypes_reported
    )


def _cell(evidence: EvidenceSnapshot, source: Source, outcomes: tuple[Outcome, ...]) -> tuple[ReportedFinding, ...]:
    """Every finding of the first outcome the source reports, in the column's order of preference."""
    return next((found for outcome in outcomes if (found := evidence.find(outcome, source=source))), ())
