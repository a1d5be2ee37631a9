"""The summary-of-findings table: the primary study beside the meta-analysis, outcome by outcome."""

from dataclasses import dataclass

from ..body_of_evidence import EvidenceSnapshot, Outcome, Role
from ..phrases import Phrase, _
from .results import Summary, SummaryRow


@dataclass(frozen=True)
class _Line:
    """One row: an outcome as the sources name it; an outcome a source names otherwise is another row."""

    name: Phrase
    study_outcome: Outcome | None
    pooled_outcome: Outcome
    efficacy: bool
    study_note: Phrase | None = None


LINES = (
    _Line(_("Clinical response"), Outcome.RESPONSE, Outcome.RESPONSE, True),
    _Line(_("Complete response"), Outcome.COMPLETE_RESPONSE, Outcome.COMPLETE_RESPONSE, True),
    _Line(_("Relapse after stopping or reducing"), Outcome.RELAPSE, Outcome.RELAPSE_AFTER_WITHDRAWAL, True),
    _Line(_("Relapse with a maintenance dose"), Outcome.RELAPSE_ON_MAINTENANCE, Outcome.RELAPSE_ON_MAINTENANCE, True),
    # The primary study reported nerve conduction only for patients with paraesthesia, so its count
    # is not a rate among all patients and is not set beside the pooled rate.
    _Line(
        _("Confirmed peripheral neuropathy"), None, Outcome.NEUROPATHY_CONFIRMED, False,
        _("Not comparable: nerve conduction was reported only for the patients with paraesthesia."),
    ),
    # The primary study reported cerebral ischaemic events and the meta-analysis thromboembolic events: neither is
    # the other's outcome, so each has its own row.
    _Line(_("Thromboembolic events"), Outcome.THROMBOSIS, Outcome.THROMBOSIS, False),
    _Line(_("Cerebral ischaemic events"), Outcome.CEREBRAL_ISCHAEMIA, Outcome.CEREBRAL_ISCHAEMIA, False),
    _Line(_("Stopped for adverse effects"), Outcome.STOPPED_FOR_ADVERSE_EFFECTS, Outcome.STOPPED_FOR_ADVERSE_EFFECTS, False),
)


def summary_of_findings(evidence: EvidenceSnapshot, *, efficacy: bool) -> Summary | None:
    """The table's rows; without ``efficacy`` (a patient outside the study population) only its safety rows."""
    study, pooled = evidence.primary, evidence.first_source(Role.POOLED)
    rows = (
        SummaryRow(
            line.name,
            evidence.first(line.study_outcome, source=study) if study and line.study_outcome else None,
            evidence.first(line.pooled_outcome, source=pooled) if pooled else None,
            line.study_note,
        )
        for line in LINES
        if efficacy or not line.efficacy
    )
    kept = tuple(row for row in rows if row.study or row.pooled)
    return Summary(study, pooled, kept) if kept else None
