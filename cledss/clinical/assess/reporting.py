"""Turning findings into statements: one finding, one claim, worded for the finding's certainty."""

from dataclasses import dataclass

from ..body_of_evidence import EvidenceSnapshot, Measure, Outcome, ReportedFinding, Role, weakest
from ..phrases import Digits, Phrase, _
from .claims import MEASURED, MEASURED_AFTER_SENTENCE, PRACTICE, REPORTED, Claim
from .results import Statement, Tone


def wilson(finding: ReportedFinding) -> Phrase | str:
    """cledss's own 95% interval for a proportion with counts, labelled as computed by cledss."""
    interval = finding.wilson
    if interval is None:
        return ""
    return _(
        " (95%% CI %(low)s%% to %(high)s%%, Wilson interval computed by cledss from these counts)",
        # Computed to a tenth, and shown to a tenth: 91.0, not 91.
        low=Digits(format(interval[0], "f")),
        high=Digits(format(interval[1], "f")),
    )


def said(
    claim: Claim, finding: ReportedFinding, *, tone: Tone = Tone.INFO, lead: Phrase | str = "", summary: Phrase | None = None,
    **params,
) -> Statement:
    """The statement ``claim`` makes of ``finding``, in the wording for the finding's certainty.

    ``summary`` is its short form for the key points: a noun phrase with the figure, no verb and so
    no certainty wording (the badge beside it carries the certainty), filled in with the same values.
    """
    own = {
        "study": finding.source.short,
        "figure": finding.figure,
        "wilson": wilson(finding) if finding.measure == Measure.PROPORTION else "",
        "statement": finding.statement,
        "subtype": finding.subtype.label if finding.subtype else "",
        "lead": lead,
    }
    values = own | params
    # A summary may come with values of its own (a dose, a threshold); the finding's fill in the rest.
    short = summary.bind(**(values | dict(summary.params))) if summary is not None else None
    return Statement(claim.say(finding.certainty, **values), (finding,), tone=tone, summary=short)


def said_together(
    claim: Claim, findings: tuple[ReportedFinding, ...], *, tone: Tone = Tone.INFO, summary=None, **params
) -> Statement:
    """One statement resting on several findings, worded for the weakest certainty among them."""
    return Statement(claim.say(weakest(f.certainty for f in findings), **params), findings, tone=tone, summary=summary)


@dataclass(frozen=True)
class Row:
    """Every published finding of one outcome (from sources of one role, if given) stated with one claim."""

    outcome: Outcome
    claim: Claim
    role: Role | None = None
    tone: Tone = Tone.INFO
    summary: Phrase | None = None

    def statements(self, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
        return tuple(
            said(claim_for(self.claim, finding), finding, tone=self.tone, summary=self.summary)
            for finding in evidence.find(self.outcome, role=self.role)
        )


def claim_for(claim: Claim, finding: ReportedFinding) -> Claim:
    """The row's claim, unless the finding is worded by its curators: a narrative is reported in its own
    terms, and a figure a source reported in its own terms is given beside them."""
    if not finding.figure:
        return claim if claim in (REPORTED, PRACTICE) else REPORTED
    if claim is not REPORTED:
        return claim
    return MEASURED_AFTER_SENTENCE if finding.statement.rstrip().endswith(".") else MEASURED


def stated(evidence: EvidenceSnapshot, rows: tuple[Row, ...]) -> tuple[Statement, ...]:
    return tuple(statement for row in rows for statement in row.statements(evidence))


SMOKES = _("This patient smokes. ")


def if_smoker(features) -> tuple[Tone, Phrase | str]:
    """A smoker's statement about smoking opens by saying so and is raised to a warning."""
    return (Tone.WARNING, SMOKES) if features.smoker else (Tone.INFO, "")


def present(items) -> tuple:
    """Drop the parts of the evidence base that are not published (None) and keep the order."""
    return tuple(i for i in items if i is not None)
