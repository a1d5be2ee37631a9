"""What the published evidence says for one patient.

``assess`` is the only place cledss reasons about a patient. It reads nothing but its
arguments and returns an ``Assessment`` whose every statement names the findings and
sources it rests on; the web page, the PDF and the API only render it.
"""

from dataclasses import dataclass
from enum import StrEnum

from .evidence import Certainty, EvidenceSnapshot, Finding, Outcome, Role, Source
from .features import AntimalarialStatus, PatientFeatures, Subtype
from .phrases import Phrase, _
from .visuals import ForestPlot, IconArray, forest_plot, icon_array

LABEL = _("Informational, not a prescribing tool")


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
    message: Phrase | str
    findings: tuple[Finding, ...] = ()
    cited: tuple[Source, ...] = ()
    tone: Tone = Tone.INFO

    @property
    def text(self) -> str:
        """The statement in the active language."""
        return str(self.message)

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
    title: Phrase
    statements: tuple[Statement, ...]
    visuals: tuple[IconArray | ForestPlot, ...] = ()


@dataclass(frozen=True)
class SummaryRow:
    """One outcome of the summary-of-findings table: the primary study beside the meta-analysis."""

    outcome: Phrase
    study: Finding | None
    pooled: Finding | None

    @property
    def cells(self) -> tuple[Finding | None, Finding | None]:
        return self.study, self.pooled


@dataclass(frozen=True)
class Summary:
    """The summary-of-findings table; every figure in a column comes from that column's source."""

    study: Source | None
    pooled: Source | None
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class Applicability:
    fit: Fit
    headline: Phrase
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Assessment:
    features: PatientFeatures
    evidence_version: str
    applicability: Applicability
    sections: tuple[Section, ...]
    summary: "Summary | None" = None
    label: Phrase = LABEL

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
        Section("response", _("Likely response"), _response(evidence), _response_visuals(evidence)),
        Section(
            "relapse", _("Relapse and remission"), _relapse(features, evidence), _relapse_visuals(features, evidence)
        ),
        Section(
            "monitoring",
            _("Neurological monitoring"),
            _monitoring(features, evidence),
            _present(icon_array(_("Paraesthesia"), evidence.first(Outcome.PARAESTHESIA, role=Role.PRIMARY))),
        ),
        Section("safety", _("Other safety points"), _safety(features, evidence)),
    )
    sections = tuple(s for s in candidates if s.statements)
    return Assessment(features, evidence.version, applicability, sections, summary_of_findings(evidence))


def worded(certainty: Certainty, *, high: Phrase, moderate: Phrase, low: Phrase, very_low: Phrase) -> Phrase:
    """Choose the sentence whose wording matches the certainty of its evidence.

    GRADE guideline 26: plain statements for high certainty, "probably" for moderate, "may"
    for low, and "may ... the evidence is very uncertain" for very low. Whole sentences are
    chosen, not inserted verbs, so that each language can word them naturally.
    """
    return {
        Certainty.HIGH: high,
        Certainty.MODERATE: moderate,
        Certainty.LOW: low,
        Certainty.VERY_LOW: very_low,
    }[certainty]


_SUMMARY_OUTCOMES = (
    (_("Clinical response"), Outcome.RESPONSE, Outcome.RESPONSE),
    (_("Complete response"), Outcome.COMPLETE_RESPONSE, Outcome.COMPLETE_RESPONSE),
    (_("Relapse after stopping or reducing"), Outcome.RELAPSE, Outcome.RELAPSE_AFTER_WITHDRAWAL),
    (_("Relapse with a maintenance dose"), Outcome.RELAPSE_ON_MAINTENANCE, Outcome.RELAPSE_ON_MAINTENANCE),
    (_("Confirmed peripheral neuropathy"), Outcome.NEUROPATHY_CONFIRMED, Outcome.NEUROPATHY_CONFIRMED),
    (_("Thromboembolic events"), Outcome.THROMBOSIS, Outcome.THROMBOSIS),
    (_("Stopped for adverse effects"), Outcome.STOPPED_FOR_ADVERSE_EFFECTS, Outcome.STOPPED_FOR_ADVERSE_EFFECTS),
)


def summary_of_findings(evidence: EvidenceSnapshot) -> Summary | None:
    study, pooled = evidence.primary, evidence.first_source(Role.POOLED)
    rows = (
        SummaryRow(
            name,
            evidence.first(study_outcome, source=study) if study else None,
            evidence.first(pooled_outcome, source=pooled) if pooled else None,
        )
        for name, study_outcome, pooled_outcome in _SUMMARY_OUTCOMES
    )
    kept = tuple(row for row in rows if row.study or row.pooled)
    return Summary(study, pooled, kept) if kept else None


def _present(*items):
    """Drop the parts of the evidence base that are not published (None) and keep the order."""
    return tuple(i for i in items if i is not None)


def _applicability(features: PatientFeatures, evidence: EvidenceSnapshot) -> Applicability:
    primary = evidence.primary
    first_line = evidence.first(Outcome.FIRST_LINE_THERAPY)
    first_line_statement = Statement(_curated(first_line), (first_line,)) if first_line else None
    if primary is None:
        return Applicability(
            Fit.OUTSIDE,
            _("No published primary study is in the evidence base, so cledss has nothing to apply to this patient."),
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
                _(
                    "%(study)s enrolled patients whose CLE had not responded to antimalarials. It does not describe "
                    "patients who could not take them, so its figures below may not transfer to this patient.",
                    study=primary.short,
                ),
                cited=(primary,),
                tone=Tone.WARNING,
            )
        )
    else:
        levels = evidence.first(Outcome.ANTIMALARIAL_LEVELS)
        if levels:
            statements.append(Statement(_curated(levels), (levels,)))

    if features.subtype not in primary.subtypes_reported:
        fit = Fit.UNCERTAIN
        statements.append(
            Statement(
                _(
                    "%(study)s does not report results for %(subtype)s and gives no estimate for it. The whole-cohort "
                    "figures below describe refractory CLE in general, not this subtype.",
                    study=primary.short,
                    subtype=features.subtype.label,
                ),
                cited=(primary,),
                tone=Tone.WARNING,
            )
        )
    statements.extend(_present(first_line_statement))

    if fit == Fit.INSIDE:
        headline = _(
            "This patient matches the population of %(study)s: %(population)s The figures below come from that "
            "population.",
            study=primary.short,
            population=primary.population,
        )
    else:
        headline = _(
            "This patient only partly matches the population of %(study)s: %(population)s Read the figures below "
            "with the caveats listed here.",
            study=primary.short,
            population=primary.population,
        )
    return Applicability(fit, headline, tuple(statements))


def _outside_population(features, evidence, primary, first_line_statement) -> Applicability:
    if features.antimalarial_status == AntimalarialStatus.NOT_TRIED:
        message = _(
            "%(study)s enrolled only patients whose CLE had resisted antimalarials. This patient has not yet tried "
            "an antimalarial, so the study's response, relapse and safety figures are not shown as if they applied.",
            study=primary.short,
        )
    else:
        message = _(
            "%(study)s enrolled only patients whose CLE had resisted antimalarials. This patient is responding to "
            "an antimalarial, so the study's response, relapse and safety figures are not shown as if they applied.",
            study=primary.short,
        )
    statements = [Statement(message, cited=(primary,), tone=Tone.WARNING), *_present(first_line_statement)]
    pooled = evidence.first(Outcome.ANTIMALARIAL_RESPONSE)
    if pooled:
        statements.append(
            Statement(
                _("Antimalarials helped %(figure)s of patients with CLE in a pooled analysis.", figure=pooled.figure),
                (pooled,),
            )
        )
    by_subtype = evidence.first(Outcome.ANTIMALARIAL_RESPONSE, subtype=features.subtype)
    if by_subtype:
        statements.append(
            Statement(
                _(
                    "For %(subtype)s, the pooled antimalarial response was %(figure)s.",
                    subtype=features.subtype.label,
                    figure=by_subtype.figure,
                ),
                (by_subtype,),
            )
        )
    return Applicability(
        Fit.OUTSIDE,
        _(
            "This patient is outside the population of %(study)s: %(population)s",
            study=primary.short,
            population=primary.population,
        ),
        tuple(statements),
    )


def _curated(finding: Finding) -> str:
    """A finding's own plain-language statement, as its curators wrote it (already in the page's language)."""
    return finding.statement


def _response(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    response = evidence.first(Outcome.RESPONSE, role=Role.PRIMARY)
    if response:
        figures = {"figure": response.figure, "wilson": _wilson(response)}
        statements.append(
            Statement(
                worded(
                    response.certainty,
                    high=_(
                        "Thalidomide brings a clinical response in most patients like this one: %(figure)s of the "
                        "patients assessed responded%(wilson)s.",
                        **figures,
                    ),
                    moderate=_(
                        "Thalidomide probably brings a clinical response in most patients like this one: %(figure)s "
                        "of the patients assessed responded%(wilson)s.",
                        **figures,
                    ),
                    low=_(
                        "Thalidomide may bring a clinical response in most patients like this one: %(figure)s of the "
                        "patients assessed responded%(wilson)s.",
                        **figures,
                    ),
                    very_low=_(
                        "Thalidomide may bring a clinical response in most patients like this one: %(figure)s of the "
                        "patients assessed responded%(wilson)s. The evidence is very uncertain.",
                        **figures,
                    ),
                ),
                (response,),
            )
        )
    complete = evidence.first(Outcome.COMPLETE_RESPONSE, role=Role.PRIMARY)
    if complete:
        statements.append(
            Statement(
                _(
                    "Complete response: %(figure)s of the patients assessed%(wilson)s.",
                    figure=complete.figure,
                    wilson=_wilson(complete),
                ),
                (complete,),
            )
        )
    onset = evidence.first(Outcome.TIME_TO_RESPONSE, role=Role.PRIMARY)
    if onset:
        statements.append(
            Statement(_("Improvement was noticeable early: %(figure)s after starting.", figure=onset.figure), (onset,))
        )
    stopped = evidence.first(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, role=Role.PRIMARY)
    if stopped:
        statements.append(
            Statement(
                _(
                    "Stopped because of adverse effects before response could be judged: %(figure)s.",
                    figure=stopped.figure,
                ),
                (stopped,),
            )
        )
    pooled = evidence.first(Outcome.RESPONSE, role=Role.POOLED)
    if pooled:
        statements.append(
            Statement(_("Pooled across studies, the response rate was %(figure)s.", figure=pooled.figure), (pooled,))
        )
    return tuple(statements)


def _response_visuals(evidence: EvidenceSnapshot) -> tuple[IconArray, ...]:
    return _present(
        icon_array(_("Clinical response"), evidence.first(Outcome.RESPONSE, role=Role.PRIMARY)),
        icon_array(_("Complete response"), evidence.first(Outcome.COMPLETE_RESPONSE, role=Role.PRIMARY)),
    )


def _wilson(finding: Finding) -> Phrase | str:
    interval = finding.wilson
    if interval is None:
        return ""
    return _(
        " (95%% CI %(low)s%% to %(high)s%%, Wilson interval computed by cledss from these counts)",
        low=interval[0],
        high=interval[1],
    )


# Each subtype-specific outcome: its short name for plots and, by certainty, how a sentence says it.
_SUBTYPE_NAMES = {
    Outcome.LONG_TERM_REMISSION: _("long-term remission"),
    Outcome.RELAPSE: _("relapse"),
}
_SUBTYPE_SENTENCES = {
    Outcome.LONG_TERM_REMISSION: {
        Certainty.HIGH: _("%(subtype)s is associated with long-term remission after thalidomide is stopped: %(figure)s."),
        Certainty.MODERATE: _(
            "%(subtype)s is probably associated with long-term remission after thalidomide is stopped: %(figure)s."
        ),
        Certainty.LOW: _(
            "%(subtype)s may be associated with long-term remission after thalidomide is stopped: %(figure)s."
        ),
        Certainty.VERY_LOW: _(
            "%(subtype)s may be associated with long-term remission after thalidomide is stopped: %(figure)s. "
            "The evidence is very uncertain."
        ),
    },
    Outcome.RELAPSE: {
        Certainty.HIGH: _("%(subtype)s is associated with relapse: %(figure)s."),
        Certainty.MODERATE: _("%(subtype)s is probably associated with relapse: %(figure)s."),
        Certainty.LOW: _("%(subtype)s may be associated with relapse: %(figure)s."),
        Certainty.VERY_LOW: _(
            "%(subtype)s may be associated with relapse: %(figure)s. The evidence is very uncertain."
        ),
    },
}


def _relapse(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    relapse = evidence.first(Outcome.RELAPSE, role=Role.PRIMARY)
    timing = evidence.first(Outcome.TIME_TO_RELAPSE, role=Role.PRIMARY)
    if relapse:
        when = (
            _(", usually %(figure)s after thalidomide was stopped or its dose reduced", figure=timing.figure)
            if timing
            else ""
        )
        figures = {"figure": relapse.figure, "when": when}
        statements.append(
            Statement(
                worded(
                    relapse.certainty,
                    high=_("Relapse is common after thalidomide: %(figure)s of patients relapsed%(when)s.", **figures),
                    moderate=_(
                        "Relapse is probably common after thalidomide: %(figure)s of patients relapsed%(when)s.",
                        **figures,
                    ),
                    low=_("Relapse may be common after thalidomide: %(figure)s of patients relapsed%(when)s.", **figures),
                    very_low=_(
                        "Relapse may be common after thalidomide: %(figure)s of patients relapsed%(when)s. "
                        "The evidence is very uncertain.",
                        **figures,
                    ),
                ),
                _present(relapse, timing),
            )
        )
    specific = [
        f for outcome in _SUBTYPE_SENTENCES for f in evidence.find(outcome, role=Role.PRIMARY, subtype=features.subtype)
    ]
    for finding in specific:
        sentence = _SUBTYPE_SENTENCES[finding.outcome][finding.certainty]
        statements.append(Statement(sentence.bind(subtype=features.subtype.label, figure=finding.figure), (finding,)))
    primary = evidence.primary
    if not specific and primary is not None:
        statements.append(
            Statement(
                _(
                    "%(study)s gives no subtype-specific estimate of relapse or remission for %(subtype)s; only the "
                    "whole-cohort figures apply.",
                    study=primary.short,
                    subtype=features.subtype.label,
                ),
                cited=(primary,),
            )
        )
    withdrawal = evidence.first(Outcome.RELAPSE_AFTER_WITHDRAWAL, role=Role.POOLED)
    maintenance = evidence.first(Outcome.RELAPSE_ON_MAINTENANCE, role=Role.POOLED)
    if withdrawal and maintenance:
        statements.append(
            Statement(
                _(
                    "Pooled across studies, relapse was %(withdrawal)s after thalidomide was withdrawn, against "
                    "%(maintenance)s when a maintenance dose was kept.",
                    withdrawal=withdrawal.figure,
                    maintenance=maintenance.figure,
                ),
                (withdrawal, maintenance),
            )
        )
    return tuple(statements)


def _relapse_visuals(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[IconArray | ForestPlot, ...]:
    subtype_findings = [
        (_("%(subtype)s: %(outcome)s", subtype=subtype.label, outcome=_SUBTYPE_NAMES[finding.outcome]), finding)
        for subtype in Subtype
        for outcome in _SUBTYPE_NAMES
        for finding in evidence.find(outcome, role=Role.PRIMARY, subtype=subtype)
    ]
    return _present(
        icon_array(_("Relapse after withdrawal"), evidence.first(Outcome.RELAPSE_AFTER_WITHDRAWAL, role=Role.POOLED)),
        icon_array(
            _("Relapse with a maintenance dose"), evidence.first(Outcome.RELAPSE_ON_MAINTENANCE, role=Role.POOLED)
        ),
        forest_plot(_("Odds ratios by CLE subtype"), subtype_findings, features.subtype),
    )


def _monitoring(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    statements = []
    if features.neuropathy:
        neuropathy_sources = [f.source for f in evidence.find(Outcome.NEUROPATHY_CONFIRMED)]
        statements.append(
            Statement(
                _(
                    "This patient already has peripheral neuropathy. Thalidomide's main long-term harm is a sensory "
                    "axonal neuropathy that does not always reverse, so existing nerve damage weighs heavily against "
                    "it: document a baseline neurological examination and nerve conduction study, and seek "
                    "neurological advice before starting."
                ),
                cited=tuple(dict.fromkeys(neuropathy_sources)),
                tone=Tone.DANGER,
            )
        )
    paraesthesia = evidence.first(Outcome.PARAESTHESIA, role=Role.PRIMARY)
    confirmed = evidence.first(Outcome.NEUROPATHY_CONFIRMED, role=Role.PRIMARY)
    if paraesthesia and confirmed:
        statements.append(
            Statement(
                _(
                    "Paraesthesia was reported by %(paraesthesia)s of patients; nerve conduction studies confirmed a "
                    "sensory polyneuropathy in %(confirmed)s, all of them among those with paraesthesia.",
                    paraesthesia=paraesthesia.figure,
                    confirmed=confirmed.figure,
                ),
                (paraesthesia, confirmed),
            )
        )
    elif paraesthesia:
        statements.append(
            Statement(
                _("Paraesthesia was reported by %(figure)s of patients.", figure=paraesthesia.figure), (paraesthesia,)
            )
        )
    resolution = evidence.first(Outcome.NEUROPATHY_RESOLUTION_TIME, role=Role.PRIMARY)
    if resolution:
        statements.append(
            Statement(
                _(
                    "Time for neurological symptoms to resolve after thalidomide was stopped: %(figure)s.",
                    figure=resolution.figure,
                ),
                (resolution,),
            )
        )
    for finding in evidence.find(Outcome.NEUROPATHY_CONFIRMED):
        if finding.source.role != Role.PRIMARY:
            statements.append(
                Statement(
                    _(
                        "%(study)s: %(figure)s %(statement)s.",
                        study=finding.source.short,
                        figure=finding.figure,
                        statement=finding.statement,
                    ),
                    (finding,),
                )
            )
    for finding in evidence.find(Outcome.NEUROPATHY_FREE_TIME):
        statements.append(
            Statement(
                _("Time free of neuropathy in %(study)s: %(figure)s.", study=finding.source.short, figure=finding.figure),
                (finding,),
            )
        )
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
                    _(
                        "This patient can become pregnant. %(statement)s Estrogen-containing contraceptives add to "
                        "thalidomide's thrombosis risk, which matters when choosing the methods.",
                        statement=finding.statement,
                    ),
                    (finding,),
                    tone=Tone.DANGER,
                )
            )
        else:
            statements.append(Statement(_curated(finding), (finding,)))
    statements.extend(_thrombosis(features, evidence))
    stopped = evidence.first(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, role=Role.POOLED)
    if stopped:
        statements.append(
            Statement(
                _(
                    "Pooled across studies, %(figure)s of patients stopped thalidomide for adverse events.",
                    figure=stopped.figure,
                ),
                (stopped,),
            )
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
        statements.append(
            Statement(_curated(label), (label,), tone=Tone.WARNING if features.thrombosis_risk else Tone.INFO)
        )
    if events:
        figures = {"figure": events.figure, "statement": events.statement}
        if features.smoker:
            statements.append(
                Statement(
                    _("This patient smokes. Cerebral ischaemic events: %(figure)s. %(statement)s", **figures),
                    (events,),
                    tone=Tone.WARNING,
                )
            )
        else:
            statements.append(Statement(_("Cerebral ischaemic events: %(figure)s. %(statement)s", **figures), (events,)))
    if pooled:
        statements.append(
            Statement(
                _("Pooled across studies, thromboembolic events occurred in %(figure)s.", figure=pooled.figure),
                (pooled,),
            )
        )
    if features.thrombosis_risk:
        statements.append(
            Statement(
                _(
                    "This patient has had a thrombosis or carries antiphospholipid antibodies, which adds to the "
                    "thromboembolic risk described here."
                ),
                _present(label, pooled),
                tone=Tone.WARNING,
            )
        )
    return tuple(statements)
