"""Does the evidence apply to this patient? The fit gates only the primary study's efficacy figures."""

from ..body_of_evidence import EvidenceSnapshot, Outcome, Source
from ..features import AntimalarialStatus, PatientFeatures
from ..phrases import Phrase, _
from .claims import ANTIMALARIAL_RESPONSE, REPORTED, SMOKING
from .reporting import claim_for, if_smoker, said
from .results import Applicability, Fit, Statement, Tone

# The reasons antimalarials fail that studies report, shown where a patient's CLE is called resistant.
_ANTIMALARIAL_FAILING = (AntimalarialStatus.REFRACTORY, AntimalarialStatus.INTOLERANT)

_OUTSIDE = {
    AntimalarialStatus.NOT_TRIED: _(
        "%(study)s enrolled only patients whose CLE had resisted antimalarials, and this patient has not tried one "
        "yet, so the study's response and relapse figures are not shown. The safety evidence below applies whatever "
        "the antimalarial history."
    ),
    AntimalarialStatus.RESPONDING: _(
        "%(study)s enrolled only patients whose CLE had resisted antimalarials, and this patient's CLE is responding "
        "to one, so the study's response and relapse figures are not shown. The safety evidence below applies "
        "whatever the antimalarial history."
    ),
}
_VERDICTS = {
    Fit.INSIDE: _("Matches the population of %(study)s"),
    Fit.UNCERTAIN: _("Partly matches the population of %(study)s: see the caveats"),
    Fit.OUTSIDE: _("Outside the population of %(study)s: its response and relapse figures are not shown"),
    Fit.UNKNOWN: _("Not known whether this patient matches the population of %(study)s"),
}
_HEADLINES = {
    Fit.INSIDE: _(
        "This patient matches the population of %(study)s: %(population)s The response and relapse figures below "
        "come from that population."
    ),
    Fit.UNCERTAIN: _(
        "This patient only partly matches the population of %(study)s: %(population)s The caveats listed here apply "
        "to the response and relapse figures below."
    ),
    Fit.OUTSIDE: _("This patient is outside the population of %(study)s: %(population)s"),
    Fit.UNKNOWN: _(
        "cledss could not tell whether this patient matches the population of %(study)s: %(population)s Its response "
        "and relapse figures are shown only when the CLE subtype and the antimalarial history are known."
    ),
}


def applicability(features: PatientFeatures, evidence: EvidenceSnapshot) -> Applicability:
    primary = evidence.primary
    context = (*_off_label(evidence), *_guideline(features, evidence), *_antimalarial_response(features, evidence))
    refractoriness = _refractoriness(features, evidence)
    if primary is None:
        headline = _("No published primary study is in the evidence base, so cledss has no efficacy figures to apply.")
        return Applicability(Fit.UNKNOWN, headline, context, refractoriness=refractoriness)
    fit, caveats = _fit(features, primary)
    headline = _HEADLINES[fit].bind(study=primary.short, population=primary.population)
    verdict = Statement(
        headline,
        cited=(primary,),
        tone=Tone.INFO if fit == Fit.INSIDE else Tone.WARNING,
        summary=_VERDICTS[fit].bind(study=primary.short),
    )
    return Applicability(fit, headline, (*caveats, *context), verdict, refractoriness)


def _fit(features: PatientFeatures, primary: Source) -> tuple[Fit, tuple[Statement, ...]]:
    status, subtype = features.antimalarial_status, features.subtype
    if status is None or subtype is None:
        return Fit.UNKNOWN, ()
    if status in _OUTSIDE:
        return Fit.OUTSIDE, (_caveat(_OUTSIDE[status], primary),)
    caveats = []
    if status == AntimalarialStatus.INTOLERANT:
        caveats.append(
            _caveat(
                _(
                    "%(study)s enrolled patients whose CLE had not responded to antimalarials; its abstract does not "
                    "describe patients who could not take them, so its figures may not transfer to this patient."
                ),
                primary,
            )
        )
    if subtype not in primary.subtypes_reported:
        caveats.append(
            _caveat(
                _(
                    "The abstract of %(study)s gives no estimate for %(subtype)s: its whole-cohort figures below "
                    "describe refractory CLE in general, not this subtype."
                ),
                primary,
                subtype=subtype.label,
            )
        )
    return (Fit.UNCERTAIN if caveats else Fit.INSIDE), tuple(caveats)


def _caveat(message: Phrase, primary: Source, **params) -> Statement:
    return Statement(message.bind(study=primary.short, **params), cited=(primary,), tone=Tone.WARNING)


def _off_label(evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    return tuple(said(REPORTED, f, tone=Tone.WARNING) for f in evidence.find(Outcome.LICENSED_INDICATIONS))


def _guideline(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    place = evidence.find(Outcome.FIRST_LINE_THERAPY)
    # Adding thalidomide to an antimalarial says nothing to a patient who cannot take one.
    combined = () if features.antimalarial_status == AntimalarialStatus.INTOLERANT else evidence.find(
        Outcome.WITH_ANTIMALARIAL
    )
    return tuple(said(REPORTED, f) for f in (*place, *combined))


def _refractoriness(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    """What studies report on why antimalarials fail: blood levels and adherence, a raised dose, smoking."""
    if features.antimalarial_status not in _ANTIMALARIAL_FAILING:
        return ()
    found = (*evidence.find(Outcome.ANTIMALARIAL_LEVELS), *evidence.find(Outcome.ANTIMALARIAL_DOSE_RAISED))
    return (*(said(claim_for(REPORTED, f), f) for f in found), *_smoking(features, evidence))


def _smoking(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    tone, lead = if_smoker(features)
    return tuple(said(SMOKING, f, tone=tone, lead=lead) for f in evidence.find(Outcome.ANTIMALARIAL_SMOKING))


def _antimalarial_response(features: PatientFeatures, evidence: EvidenceSnapshot) -> tuple[Statement, ...]:
    status = features.antimalarial_status
    statements = []
    if status not in _ANTIMALARIAL_FAILING and features.smoker:
        statements.extend(_smoking(features, evidence))
    if status in _OUTSIDE:
        overall = evidence.find(Outcome.ANTIMALARIAL_RESPONSE)
        statements.extend(said(ANTIMALARIAL_RESPONSE, f, subtype=_("CLE")) for f in overall)
    if features.subtype is not None:
        by_subtype = evidence.find(Outcome.ANTIMALARIAL_RESPONSE, subtype=features.subtype)
        statements.extend(said(ANTIMALARIAL_RESPONSE, f) for f in by_subtype)
    return tuple(statements)
