"""What the published evidence says for one patient.

``assess`` is the only place cledss reasons about a patient. It reads nothing but its
arguments and returns an ``Assessment`` whose every statement names the findings and
sources it rests on; the web page, the PDF and the API only render it.
"""

from dataclasses import dataclass
from enum import StrEnum

from .evidence import Certainty, EvidenceSnapshot, Finding, Outcome, Role, Source
from .features import AntimalarialStatus, PatientFeatures, Subtype
from .visuals import ForestPlot, IconArray, forest_plot, icon_array

LABEL = "Informational, not a prescribing tool"


class Fit(StrEnum):
    """How well the patient matches the population the primary study enrolled."""

    INSIDE = "inside"
    UNCERTAIN = "uncertain"
    OUTSIDE = "outside"


class Tone(StrEnum):
    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"


@dataclass(frozen=True)
class Statement:
    text: str
    findings: tuple[Finding, ...] = ()
    cited: tuple[Source, ...] = ()
    tone: Tone = Tone.INFO

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys((*self.cited, *(f.source for f in self.findings))))

    @property
    def certainty(self) -> Certainty:
        """The weakest certainty among what the statement rests on."""
        grades = [f.certainty for f in self.findings] or [s.certainty for s in self.sources]
        return max(grades, key=lambda c: c.rank)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    statements: tuple[Statement, ...]
    visuals: tuple[IconArray | ForestPlot, ...] = ()


@dataclass(frozen=True)
class SummaryRow:
    """One outcome of the summary-of-findings table: the primary study beside the meta-analysis."""

    outcome: str
    study: Finding | None
    pooled: Finding | None

    @property
    def cells(self) -> tuple[Finding | None, Finding | None]:
        return self.study, self.pooled


@dataclass(frozen=True)
class Applicability:
    fit: Fit
    headline: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Assessment:
    features: PatientFeatures
    evidence_version: str
    applicability: Applicability
    sections: tuple[Section, ...]
    summary: tuple[SummaryRow, ...] = ()
    label: str = LABEL

    @property
    def statements(self) -> tuple[Statement, ...]:
        return (*self.applicability.statements, *(s for section in self.sections for s in section.statements))

    @property
    def sources(self) -> tuple[Source, ...]:
        """Every source cited, the primary study first, as a reference list would order them."""
        cited = dict.fromkeys(source for s in self.statements for source in s.sources)
        return tuple(sorted(cited, key=lambda source: list(Role).index(source.role)))


def assess(features: PatientFeatures, evidence: EvidenceSnapshot) -> Assessment:
    applicability = _applicability(features, evidence)
    if applicability.fit == Fit.OUTSIDE:
        return Assessment(features, evidence.version, applicability, sections=())
    candidates = (
        Section("response", "Likely response", _response(evidence), _response_visuals(evidence)),
        Section("relapse", "Relapse and remission", _relapse(features, evidence), _relapse_visuals(features, evidence)),
        Section(
            "monitoring",
            "Neurological monitoring",
            _monitoring(features, evidence),
            _present(icon_array("Paraesthesia", evidence.first(Outcome.PARAESTHESIA, role=Role.PRIMARY))),
        ),
        Section("safety", "Other safety points", _safety(features, evidence)),
    )
    sections = tuple(s for s in candidates if s.statements)
    return Assessment(features, evidence.version, applicability, sections, summary_of_findings(evidence))


_SUMMARY_OUTCOMES = (
    ("Clinical response", Outcome.RESPONSE, Outcome.RESPONSE),
    ("Complete response", Outcome.COMPLETE_RESPONSE, Outcome.COMPLETE_RESPONSE),
    ("Relapse after stopping or reducing", Outcome.RELAPSE, Outcome.RELAPSE_AFTER_WITHDRAWAL),
    ("Relapse with a maintenance dose", Outcome.RELAPSE_ON_MAINTENANCE, Outcome.RELAPSE_ON_MAINTENANCE),
    ("Confirmed peripheral neuropathy", Outcome.NEUROPATHY_CONFIRMED, Outcome.NEUROPATHY_CONFIRMED),
    ("Thromboembolic events", Outcome.THROMBOSIS, Outcome.THROMBOSIS),
    ("Stopped for adverse effects", Outcome.STOPPED_FOR_ADVERSE_EFFECTS, Outcome.STOPPED_FOR_ADVERSE_EFFECTS),
)


def summary_of_findings(evidence: EvidenceSnapshot) -> tuple[SummaryRow, ...]:
    rows = (
        SummaryRow(
            name,
            evidence.first(study_outcome, role=Role.PRIMARY),
            evidence.first(pooled_outcome, role=Role.POOLED),
        )
        for name, study_outcome, pooled_outcome in _SUMMARY_OUTCOMES
    )
    return tuple(row for row in rows if row.study or row.pooled)


def modal(certainty: Certainty, third_person: str, base: str) -> str:
    """A verb worded to the certainty of its evidence (GRADE guideline 26 on informative statements)."""
    return {
        Certainty.HIGH: third_person,
        Certainty.MODERATE: f"probably {third_person}",
        Certainty.LOW: f"may {base}",
        Certainty.VERY_LOW: f"may {base}",
    }[certainty]


def caveat(certainty: Certainty) -> str:
    """The sentence GRADE adds when the evidence is too weak for even a 'may'."""
    return " The evidence is very uncertain." if certainty == Certainty.VERY_LOW else ""


def _present(*items):
    """Drop the parts of the evidence base that are not published (None) and keep the order."""
    return tuple(i for i in items if i is not None)


def _applicability(features: PatientFeatures, evidence: EvidenceSnapshot) -> Applicability:
    primary = evidence.primary
    first_line = evidence.first(Outcome.FIRST_LINE_THERAPY)
    first_line_statement = (
        Statement(first_line.statement, (first_line,)) if first_line else None
    )
    if primary is None:
        return Applicability(
            Fit.OUTSIDE,
            "No published primary study is in the evidence base, so cledss has nothing to apply to this patient.",
            _present(first_line_statement),
        )

    status = features.antimalarial_status
    if status in (AntimalarialStatus.NOT_TRIED, AntimalarialStatus.RESPONDING):
        return _outside_population(features, evidence, primary, first_line_statement)

    statements = []
    fit = Fit.INSIDE
    if status == AntimalarialStatus.INTOLERANT:
        fit = Fit.UNCERTAIN
        statements.append(
            Statement(
                f"{primary.short} enrolled patients whose CLE had not responded to antimalarials. It does not "
                "describe patients who could not take them, so its figures below may not transfer to this patient.",
                cited=(primary,),
                tone=Tone.WARNING,
            )
        )
    else:
        levels = evidence.first(Outcome.ANTIMALARIAL_LEVELS)
        if levels:
            statements.append(Statement(levels.statement, (levels,)))

    if features.subtype not in primary.subtypes_reported:
        fit = Fit.UNCERTAIN
        statements.append(
            Statement(
                f"{primary.short} does not report results for {features.subtype.label} and gives no estimate "
                "for it. The whole-cohort figures below describe refractory CLE in general, not this subtype.",
                cited=(primary,),
                tone=Tone.WARNING,
            )
        )
    statements.extend(_present(first_line_statement))

    headline = {
        Fit.INSIDE: (
            f"This patient matches the population of {primary.short}: {primary.population} "
            "The figures below come from that population."
        ),
        Fit.UNCERTAIN: (
            f"This patient only partly matches the population of {primary.short}: {primary.population} "
            "Read the figures below with the caveats listed here."
        ),
    }[fit]
    return Applicability(fit, headline, tuple(statements))


def _outside_population(features, evidence, primary, first_line_statement) -> Applicability:
    if features.antimalarial_status == AntimalarialStatus.NOT_TRIED:
        why = "has not yet tried an antimalarial"
    else:
        why = "is responding to an antimalarial"
    statements = [
        Statement(
            f"{primary.short} enrolled only patients whose CLE had resisted antimalarials. This patient {why}, "
            "so the study's response, relapse and safety figures are not shown as if they applied.",
            cited=(primary,),
            tone=Tone.WARNING,
        ),
        *_present(first_line_statement),
    ]
    pooled = evidence.first(Outcome.ANTIMALARIAL_RESPONSE)
    if pooled:
        statements.append(
            Statement(f"Antimalarials helped {pooled.figure} of patients with CLE in a pooled analysis.", (pooled,))
        )
    by_subtype = evidence.first(Outcome.ANTIMALARIAL_RESPONSE, subtype=features.subtype)
    if by_subtype:
        statements.append(
            Statement(
                f"For {features.subtype.label}, the pooled antimalarial response was {by_subtype.figure}.",
                (by_subtype,),
            )
        )
    return Applicability(
        Fit.OUTSIDE,
        f"This patient is outside the population of {primary.short}: {primary.population}",
        tuple(statements),
    )


def _response(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    response = evidence.first(Outcome.RESPONSE, role=Role.PRIMARY)
    if response:
        statements.append(
            Statement(
                f"Thalidomide {modal(response.certainty, 'brings', 'bring')} a clinical response in most patients "
                f"like this one: {response.figure} of the patients assessed responded{_wilson(response)}.",
                (response,),
            )
        )
    complete = evidence.first(Outcome.COMPLETE_RESPONSE, role=Role.PRIMARY)
    if complete:
        statements.append(
            Statement(
                f"Complete response: {complete.figure} of the patients assessed{_wilson(complete)}.",
                (complete,),
            )
        )
    onset = evidence.first(Outcome.TIME_TO_RESPONSE, role=Role.PRIMARY)
    if onset:
        statements.append(Statement(f"Improvement was noticeable early: {onset.figure} after starting.", (onset,)))
    stopped = evidence.first(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, role=Role.PRIMARY)
    if stopped:
        statements.append(
            Statement(f"Stopped because of adverse effects before response could be judged: {stopped.figure}.", (stopped,))
        )
    pooled = evidence.first(Outcome.RESPONSE, role=Role.POOLED)
    if pooled:
        statements.append(Statement(f"Pooled across studies, the response rate was {pooled.figure}.", (pooled,)))
    return tuple(statements)


def _response_visuals(evidence: EvidenceSnapshot) -> tuple[IconArray, ...]:
    return _present(
        icon_array("Clinical response", evidence.first(Outcome.RESPONSE, role=Role.PRIMARY)),
        icon_array("Complete response", evidence.first(Outcome.COMPLETE_RESPONSE, role=Role.PRIMARY)),
    )


def _relapse_visuals(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[IconArray | ForestPlot, ...]:
    subtype_findings = [
        (f"{subtype.label}: {_SUBTYPE_OUTCOMES[finding.outcome][0]}", finding)
        for subtype in Subtype
        for outcome in _SUBTYPE_OUTCOMES
        for finding in evidence.find(outcome, role=Role.PRIMARY, subtype=subtype)
    ]
    return _present(
        icon_array("Relapse after withdrawal", evidence.first(Outcome.RELAPSE_AFTER_WITHDRAWAL, role=Role.POOLED)),
        icon_array("Relapse with a maintenance dose", evidence.first(Outcome.RELAPSE_ON_MAINTENANCE, role=Role.POOLED)),
        forest_plot("Odds ratios by CLE subtype", subtype_findings, features.subtype),
    )


def _wilson(finding: Finding) -> str:
    interval = finding.wilson
    if interval is None:
        return ""
    return f" (95% CI {interval[0]}% to {interval[1]}%, Wilson interval computed by cledss from these counts)"


# For each subtype-specific outcome: its short name (for plots) and how a sentence says it.
_SUBTYPE_OUTCOMES = {
    Outcome.LONG_TERM_REMISSION: ("long-term remission", "associated with long-term remission after thalidomide is stopped"),
    Outcome.RELAPSE: ("relapse", "associated with relapse"),
}


def _relapse(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    relapse = evidence.first(Outcome.RELAPSE, role=Role.PRIMARY)
    timing = evidence.first(Outcome.TIME_TO_RELAPSE, role=Role.PRIMARY)
    if relapse:
        when = f", usually {timing.figure} after thalidomide was stopped or its dose reduced" if timing else ""
        statements.append(
            Statement(
                f"Relapse {modal(relapse.certainty, 'is', 'be')} common after thalidomide: "
                f"{relapse.figure} of patients relapsed{when}.",
                _present(relapse, timing),
            )
        )
    specific = [
        f
        for outcome in _SUBTYPE_OUTCOMES
        for f in evidence.find(outcome, role=Role.PRIMARY, subtype=features.subtype)
    ]
    for finding in specific:
        statements.append(
            Statement(
                f"{features.subtype.label} {modal(finding.certainty, 'is', 'be')} "
                f"{_SUBTYPE_OUTCOMES[finding.outcome][1]}: {finding.figure}.{caveat(finding.certainty)}",
                (finding,),
            )
        )
    primary = evidence.primary
    if not specific and primary is not None:
        statements.append(
            Statement(
                f"{primary.short} gives no subtype-specific estimate of relapse or remission for "
                f"{features.subtype.label}; only the whole-cohort figures apply.",
                cited=(primary,),
            )
        )
    withdrawal = evidence.first(Outcome.RELAPSE_AFTER_WITHDRAWAL, role=Role.POOLED)
    maintenance = evidence.first(Outcome.RELAPSE_ON_MAINTENANCE, role=Role.POOLED)
    if withdrawal and maintenance:
        statements.append(
            Statement(
                f"Pooled across studies, relapse was {withdrawal.figure} after thalidomide was withdrawn, "
                f"against {maintenance.figure} when a maintenance dose was kept.",
                (withdrawal, maintenance),
            )
        )
    return tuple(statements)


def _monitoring(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    if features.neuropathy:
        neuropathy_sources = [f.source for f in evidence.find(Outcome.NEUROPATHY_CONFIRMED)]
        statements.append(
            Statement(
                "This patient already has peripheral neuropathy. Thalidomide's main long-term harm is a sensory "
                "axonal neuropathy that does not always reverse, so existing nerve damage weighs heavily against "
                "it: document a baseline neurological examination and nerve conduction study, and seek "
                "neurological advice before starting.",
                cited=tuple(dict.fromkeys(neuropathy_sources)),
                tone=Tone.DANGER,
            )
        )
    paraesthesia = evidence.first(Outcome.PARAESTHESIA, role=Role.PRIMARY)
    confirmed = evidence.first(Outcome.NEUROPATHY_CONFIRMED, role=Role.PRIMARY)
    if paraesthesia:
        then = (
            f"; nerve conduction studies confirmed a sensory polyneuropathy in {confirmed.figure}, all of them "
            "among those with paraesthesia"
            if confirmed
            else ""
        )
        statements.append(
            Statement(f"Paraesthesia was reported by {paraesthesia.figure} of patients{then}.", _present(paraesthesia, confirmed))
        )
    resolution = evidence.first(Outcome.NEUROPATHY_RESOLUTION_TIME, role=Role.PRIMARY)
    if resolution:
        statements.append(
            Statement(
                f"Time for neurological symptoms to resolve after thalidomide was stopped: {resolution.figure}.",
                (resolution,),
            )
        )
    for finding in evidence.find(Outcome.NEUROPATHY_CONFIRMED):
        if finding.source.role != Role.PRIMARY:
            statements.append(Statement(f"{finding.source.short}: {finding.figure} {finding.statement}.", (finding,)))
    for finding in evidence.find(Outcome.NEUROPATHY_FREE_TIME):
        statements.append(Statement(f"Time free of neuropathy in {finding.source.short}: {finding.figure}.", (finding,)))
    plan = evidence.find(Outcome.NEUROPATHY_MONITORING)
    if plan:
        statements.append(
            Statement(
                " ".join(f.statement for f in plan),
                plan,
                tone=Tone.DANGER if features.neuropathy else Tone.WARNING,
            )
        )
    return tuple(statements)


def _safety(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    for finding in evidence.find(Outcome.TERATOGENICITY):
        if features.can_become_pregnant:
            statements.append(
                Statement(
                    f"This patient can become pregnant. {finding.statement} Estrogen-containing contraceptives add "
                    "to thalidomide's thrombosis risk, which matters when choosing the methods.",
                    (finding,),
                    tone=Tone.DANGER,
                )
            )
        else:
            statements.append(Statement(finding.statement, (finding,)))
    statements.extend(_thrombosis(features, evidence))
    stopped = evidence.first(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, role=Role.POOLED)
    if stopped:
        statements.append(
            Statement(f"Pooled across studies, {stopped.figure} of patients stopped thalidomide for adverse events.", (stopped,))
        )
    common = evidence.find(Outcome.COMMON_ADVERSE_EFFECTS)
    if common:
        statements.append(Statement(" ".join(f.statement for f in common), common))
    return tuple(statements)


def _thrombosis(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    events = evidence.first(Outcome.THROMBOSIS, role=Role.PRIMARY)
    pooled = evidence.first(Outcome.THROMBOSIS, role=Role.POOLED)
    label = evidence.first(Outcome.THROMBOSIS, role=Role.REGULATORY)
    statements = []
    if label:
        statements.append(Statement(label.statement, (label,), tone=Tone.WARNING if features.thrombosis_risk else Tone.INFO))
    if events:
        text = f"Cerebral ischaemic events: {events.figure}. {events.statement}"
        if features.smoker:
            text = f"This patient smokes. {text}"
        statements.append(Statement(text, (events,), tone=Tone.WARNING if features.smoker else Tone.INFO))
    if pooled:
        statements.append(Statement(f"Pooled across studies, thromboembolic events occurred in {pooled.figure}.", (pooled,)))
    if features.thrombosis_risk:
        statements.append(
            Statement(
                "This patient has had a thrombosis or carries antiphospholipid antibodies, which adds to the "
                "thromboembolic risk described here.",
                _present(label, pooled),
                tone=Tone.WARNING,
            )
        )
    return tuple(statements)
