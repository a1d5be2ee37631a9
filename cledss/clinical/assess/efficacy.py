"""Response in the study, and relapse and remission: shown only for patients like those the primary study enrolled."""

from ..body_of_evidence import EvidenceSnapshot, Outcome, Role
from ..features import PatientFeatures
from ..phrases import _
from ..visuals import ForestPlot, forest_plot, icon_array
from .claims import (
    COMPLETE_RESPONSE,
    EARLY_RESPONSE,
    POOLED_RELAPSE_AFTER_WITHDRAWAL,
    POOLED_RELAPSE_ON_MAINTENANCE,
    POOLED_RESPONSE,
    RELAPSE,
    RESPONSE,
    STOPPED_EARLY,
    SUBTYPE_RELAPSE,
    SUBTYPE_REMISSION,
)
from .reporting import Row, present, said, stated
from .results import Section, Statement

RESPONSE_ROWS = (
    Row(Outcome.RESPONSE, RESPONSE, Role.PRIMARY, summary=_("%(figure)s responded")),
    Row(Outcome.COMPLETE_RESPONSE, COMPLETE_RESPONSE, Role.PRIMARY, summary=_("%(figure)s completely")),
    Row(Outcome.TIME_TO_RESPONSE, EARLY_RESPONSE, Role.PRIMARY),
    Row(Outcome.STOPPED_FOR_ADVERSE_EFFECTS, STOPPED_EARLY, Role.PRIMARY),
    Row(Outcome.RESPONSE, POOLED_RESPONSE, Role.POOLED),
)
POOLED_RELAPSE_ROWS = (
    Row(Outcome.RELAPSE_AFTER_WITHDRAWAL, POOLED_RELAPSE_AFTER_WITHDRAWAL, Role.POOLED),
    Row(Outcome.RELAPSE_ON_MAINTENANCE, POOLED_RELAPSE_ON_MAINTENANCE, Role.POOLED),
)
# Each subtype-specific outcome: the claim that states it and the short name its plot and key point carry.
SUBTYPE_OUTCOMES = {
    Outcome.LONG_TERM_REMISSION: (SUBTYPE_REMISSION, _("long-term remission after stopping")),
    Outcome.RELAPSE: (SUBTYPE_RELAPSE, _("relapse")),
}
SUBTYPE_SUMMARY = _("%(subtype)s, %(outcome)s: %(figure)s")


def response_section(evidence: EvidenceSnapshot) -> Section:
    visuals = (
        icon_array(_("Clinical response"), evidence.first(Outcome.RESPONSE, role=Role.PRIMARY)),
        icon_array(_("Complete response"), evidence.first(Outcome.COMPLETE_RESPONSE, role=Role.PRIMARY)),
    )
    return Section("response", _("Response in the study"), stated(evidence, RESPONSE_ROWS), present(visuals))


def relapse_section(features: PatientFeatures, evidence: EvidenceSnapshot) -> Section:
    statements = [*_relapse(evidence), *_subtype(features, evidence), *stated(evidence, POOLED_RELAPSE_ROWS)]
    withdrawal = evidence.first(Outcome.RELAPSE_AFTER_WITHDRAWAL, role=Role.POOLED)
    maintenance = evidence.first(Outcome.RELAPSE_ON_MAINTENANCE, role=Role.POOLED)
    if withdrawal and maintenance:
        statements.append(
            Statement(
                _(
                    "The two pooled relapse figures come from different sets of studies, so they do not compare "
                    "stopping thalidomide with keeping a maintenance dose."
                ),
                cited=(withdrawal.source,),
            )
        )
    # The two pooled relapse rates come from different sets of studies: drawn side by side they would
    # read as a comparison of stopping against a maintenance dose, so only words give them.
    visuals = _subtype_plots(features, evidence)
    return Section("relapse", _("Relapse and remission"), tuple(statements), present(visuals))


def _relapse(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    relapse = evidence.first(Outcome.RELAPSE, role=Role.PRIMARY)
    if relapse is None:
        return ()
    timing = evidence.first(Outcome.TIME_TO_RELAPSE, role=Role.PRIMARY)
    when = _(", usually %(figure)s after thalidomide was stopped or its dose reduced", figure=timing.figure) if timing else ""
    statement = said(RELAPSE, relapse, when=when, summary=_("relapse in %(figure)s%(when)s"))
    return (Statement(statement.message, present((relapse, timing)), summary=statement.summary),)


def _subtype(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """Only this patient's own subtype's estimates: another subtype's odds ratio says nothing about them."""
    subtype, primary = features.subtype, evidence.primary
    specific = tuple(
        said(claim, finding, outcome=name, summary=SUBTYPE_SUMMARY)
        for outcome, (claim, name) in SUBTYPE_OUTCOMES.items()
        for finding in evidence.find(outcome, role=Role.PRIMARY, subtype=subtype)
    )
    if specific or primary is None or subtype is None:
        return specific
    message = _(
        "The abstract of %(study)s gives no estimate of relapse or remission for %(subtype)s; only its whole-cohort "
        "figures are available.",
        study=primary.short,
        subtype=subtype.label,
    )
    summary = _("no estimate for %(subtype)s", subtype=subtype.label)
    return (Statement(message, cited=(primary,), summary=summary),)


def _subtype_plots(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[ForestPlot | None, ...]:
    """One plot per outcome, so an estimate of remission (good) never shares an axis with one of relapse (bad)."""
    return tuple(
        forest_plot(
            _("Odds ratio of %(outcome)s: %(subtype)s against %(comparator)s", outcome=name, subtype=finding.subtype.label,
              comparator=finding.comparator),
            [(finding.subtype.label, finding)],
            features.subtype,
        )
        for outcome, (_claim, name) in SUBTYPE_OUTCOMES.items()
        for finding in evidence.find(outcome, role=Role.PRIMARY, subtype=features.subtype)
        if features.subtype is not None
    )

