"""The label's safety facts and the studies' adverse events: shown to every patient, whatever the fit."""

from dataclasses import replace

from ..body_of_evidence import EvidenceSnapshot, Outcome, ReportedFinding, Role
from ..features import PatientFeatures
from ..phrases import _
from .claims import ISCHAEMIC_EVENTS, POOLED_STOPPED, POOLED_THROMBOSIS, REPORTED
from .reporting import Row, if_smoker, said, stated
from .results import Section, Statement, Tone

_CAN_BECOME_PREGNANT = _("This patient can become pregnant. ")
_HAD_THROMBOSIS = _("This patient has had a thrombosis or carries antiphospholipid antibodies. ")
# The card summary and key point for the birth-defect risk, which every thalidomide order must show first.
BIRTH_DEFECTS = _(
    "Boxed warning: embryo-fetal toxicity (severe birth defects); prescribed only within a pregnancy prevention "
    "programme (US REMS; EU/UK PPP)"
)
BIRTH_DEFECTS_FOR_THIS_PATIENT = _(
    "This patient can become pregnant: thalidomide causes severe birth defects (pregnancy prevention programme)"
)
_MALES = _("The programme's rules apply to males too: a condom during treatment and for 4 weeks after, no sperm donation")
_THROMBOEMBOLISM = _("Boxed warning: venous thromboembolism (the label's data come from multiple myeloma, not CLE)")
_THROMBOEMBOLISM_FOR_THIS_PATIENT = _(
    "This patient has had a thrombosis or carries antiphospholipid antibodies: the label's boxed warning covers "
    "venous thromboembolism"
)
# The REMS rule for males, which every patient's boxed-warning line names: the programme is not only for those
# who can become pregnant. Named by key, as the evidence model has no field for whom a rule binds.
MALES_RULE = ("thalidomide-label", "rems-males-and-blood")

LATER = (
    Row(Outcome.THROMBOSIS, POOLED_THROMBOSIS, Role.POOLED),
    Row(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, POOLED_STOPPED, Role.POOLED),
    Row(Outcome.LABEL_WARNINGS, REPORTED),
)


def safety_section(features: PatientFeatures, evidence: EvidenceSnapshot) -> Section:
    statements = (
        *_pregnancy(features, evidence),
        *_thrombosis(features, evidence),
        *stated(evidence, LATER),
    )
    return Section("safety", _("Pregnancy, thrombosis and other safety points"), statements)


def _pregnancy(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    pregnant = features.can_become_pregnant
    lead = _CAN_BECOME_PREGNANT if pregnant else ""
    tone, summary = (Tone.DANGER, BIRTH_DEFECTS_FOR_THIS_PATIENT) if pregnant else (Tone.WARNING, BIRTH_DEFECTS)
    birth_defects = tuple(
        said(REPORTED, f, tone=tone, lead=lead, summary=summary) for f in evidence.find(Outcome.TERATOGENICITY)
    )
    birth_defects = tuple(replace(s, boxed=True) for s in birth_defects)
    programme = evidence.find(Outcome.PREGNANCY_PREVENTION)
    return (*birth_defects, *(_programme_rule(f, Tone.WARNING if pregnant else Tone.INFO) for f in programme))


def _programme_rule(finding: ReportedFinding, tone: Tone) -> Statement:
    if (finding.source.key, finding.key) == MALES_RULE:
        return replace(said(REPORTED, finding, tone=tone, summary=_MALES), boxed=True)
    return said(REPORTED, finding, tone=tone)


def _thrombosis(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    had = features.thrombosis_risk
    tone, lead, summary = (
        (Tone.DANGER, _HAD_THROMBOSIS, _THROMBOEMBOLISM_FOR_THIS_PATIENT) if had else (Tone.WARNING, "", _THROMBOEMBOLISM)
    )
    label = tuple(
        replace(said(REPORTED, f, tone=tone, lead=lead, summary=summary), boxed=True)
        for f in evidence.find(Outcome.THROMBOSIS, role=Role.REGULATORY)
    )
    events = evidence.first(Outcome.CEREBRAL_ISCHAEMIA, role=Role.PRIMARY)
    if events is None:
        return label
    tone, lead = if_smoker(features)
    statements = [*label, said(ISCHAEMIC_EVENTS, events, tone=tone, lead=lead)]
    if features.thrombosis_risk:
        statements.append(
            Statement(
                _(
                    "This patient has had a thrombosis or carries antiphospholipid antibodies. The patients with "
                    "cerebral ischaemic events in %(study)s (%(figure)s) had no antiphospholipid antibodies, and its "
                    "abstract does not describe patients like this one.",
                    study=events.source.short,
                    figure=events.figure,
                ),
                (events,),
                tone=Tone.WARNING,
            )
        )
    return tuple(statements)
