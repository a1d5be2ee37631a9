"""One patient's assessment as a handout in plain language, for the clinician to give to the patient.

``handout`` reads nothing but the ``Assessment`` the result page renders. The parts that apply come from
it (the fit hides the main study's efficacy figures here exactly as it does there; the label's safety
facts reach everyone), and every figure comes from its findings, counted out of 100 with the same
function as its icon arrays (``visuals.out_of_100``). So the handout never shows a number the
clinician's page does not. Its words are the tables of ``wording``; each sentence is a ``Statement``
resting on its findings, so it names its source and certainty as every statement does.
"""

from dataclasses import dataclass
from functools import cached_property

from ..assess.results import Assessment, Fit, Statement, Tone
from ..body_of_evidence import Interval, NerveTesting, Outcome, ReportedFinding, Role, Source
from ..phrases import Joined, Phrase, listing
from ..visuals import IconArray, icon_array, out_of_100
from . import wording


@dataclass(frozen=True)
class Picture:
    """An icon array of the clinician's page (same finding, same text alternative) with its plain sentence."""

    array: IconArray
    statement: Statement


@dataclass(frozen=True)
class Part:
    key: str
    title: Phrase
    statements: tuple[Statement, ...]
    pictures: tuple[Picture, ...] = ()

    @property
    def all_statements(self) -> tuple[Statement, ...]:
        return (*(p.statement for p in self.pictures), *self.statements)


@dataclass(frozen=True)
class Handout:
    assessment: Assessment
    parts: tuple[Part, ...]
    questions: tuple[Phrase, ...]
    label: Phrase = wording.LABEL
    title: Phrase = wording.TITLE
    questions_title: Phrase = wording.QUESTIONS
    sources_title: Phrase = wording.SOURCES

    @property
    def evidence_version(self) -> str:
        return self.assessment.evidence_version

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for part in self.parts for s in part.all_statements)

    @cached_property
    def sources(self) -> tuple[Source, ...]:
        """The sources the handout cites, in the order of the result page's reference list."""
        cited = {source for s in self.statements for source in s.sources}
        return tuple(source for source in self.assessment.sources if source in cited)

    @cached_property
    def references(self) -> dict[str, int]:
        """Each cited source's number in the handout's own short list, by key."""
        return {source.key: number for number, source in enumerate(self.sources, 1)}

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


def handout(assessment: Assessment) -> Handout:
    features = assessment.features
    found = _Found(assessment)
    parts = [_about(assessment, found), _benefit(assessment, found), _nerves(assessment, found)]
    pregnancy = _pregnancy(assessment, found)
    # For someone who can become pregnant the programme's rules come right after what the sheet is for.
    parts.insert(1 if features.can_become_pregnant else len(parts), pregnancy)
    parts.append(_other(assessment, found))
    questions = (*wording.ASK, *(q for feature, q in wording.ASK_IF.items() if getattr(features, feature)))
    return Handout(assessment, tuple(p for p in parts if p is not None and p.all_statements), questions)


class _Found:
    """The findings and icon arrays of one assessment, looked up by outcome, role and key."""

    def __init__(self, assessment: Assessment):
        self.findings = tuple(dict.fromkeys(f for s in assessment.statements for f in s.findings))
        self.arrays = {
            v.finding.outcome: v for section in assessment.sections for v in section.visuals if isinstance(v, IconArray)
        }

    def all(self, outcome: Outcome, *, role: Role | None = None, whole_cohort: bool = True) -> tuple[ReportedFinding, ...]:
        return tuple(
            f for f in self.findings
            if f.outcome == outcome and (role is None or f.source.role == role) and (f.subtype is None) == whole_cohort
        )

    def first(self, outcome: Outcome, **kwargs) -> ReportedFinding | None:
        return next(iter(self.all(outcome, **kwargs)), None)

    def keyed(self, outcome: Outcome, table: dict, keys=None) -> tuple[Statement, ...]:
        """One statement per entry of ``table`` (in the order of ``keys``) whose finding is published."""
        return tuple(
            Statement(table[key], findings)
            for key in (keys or table)
            if (findings := tuple(f for f in self.all(outcome) if f.key == key))
        )


def _sentences(*sentences: Phrase) -> Joined:
    """Sentences one after another, each worded in the active language when shown."""
    return Joined(sentences, " ")


def _about(assessment: Assessment, found: _Found) -> Part:
    fit = assessment.applicability
    statements = [
        Statement(wording.FOR),
        *(Statement(wording.OFF_LABEL, (f,), tone=Tone.WARNING) for f in found.all(Outcome.LICENSED_INDICATIONS)),
        *(Statement(wording.GUIDELINE, (f,)) for f in found.all(Outcome.FIRST_LINE_THERAPY)),
        Statement(
            _sentences(wording.STUDIED, wording.FIT[fit.fit.value], *(() if fit.fit.shows_efficacy else (wording.LEFT_OUT,))),
            cited=fit.verdict.cited if fit.verdict else (),
            tone=Tone.INFO if fit.fit == Fit.INSIDE else Tone.WARNING,
        ),
        Statement(wording.DECISION),
    ]
    return Part("about", wording.ABOUT, tuple(statements))


def _benefit(assessment: Assessment, found: _Found) -> Part | None:
    """The main study's response, complete response and relapse, only where the result page shows them."""
    if not assessment.applicability.fit.shows_efficacy:
        return None
    relapse = found.first(Outcome.RELAPSE, role=Role.PRIMARY)
    arrays = (
        (found.arrays.get(Outcome.RESPONSE), wording.RESPONSE),
        (found.arrays.get(Outcome.COMPLETE_RESPONSE), wording.COMPLETE_RESPONSE),
        (icon_array(wording.RELAPSE_TITLE, relapse), wording.RELAPSE),
    )
    pictures = tuple(
        Picture(array, Statement(caption.bind(people=array.filled), (array.finding,)))
        for array, caption in arrays
        if array is not None and array.finding.source.role == Role.PRIMARY
    )
    timing = (
        (found.first(Outcome.TIME_TO_RESPONSE, role=Role.PRIMARY), wording.EARLY_RESPONSE),
        (found.first(Outcome.TIME_TO_RELAPSE, role=Role.PRIMARY), wording.RELAPSE_TIME),
    )
    statements = (
        *_subtype(assessment, found, beside_pictures=bool(pictures)),
        *(Statement(phrase.bind(figure=f.figure), (f,)) for f, phrase in timing if f is not None),
    )
    return Part("benefit", wording.BENEFIT, statements, pictures)


def _subtype(assessment: Assessment, found: _Found, *, beside_pictures: bool) -> tuple[Statement, ...]:
    """What the main study found for the patient's own subtype against its other subtypes. Right under the
    pictures, which count everyone, it says so first: a subtype that relapsed more is not hidden in the whole
    study's count."""
    subtype = assessment.features.subtype
    lead = (wording.WHOLE_STUDY,) if beside_pictures else ()
    return tuple(
        Statement(_sentences(*lead, wording.SUBTYPE[f.outcome.value].bind(subtype=subtype.label)), (f,))
        for outcome in (Outcome.LONG_TERM_REMISSION, Outcome.RELAPSE)
        for f in found.all(outcome, role=Role.PRIMARY, whole_cohort=False)
        if f.subtype == subtype
    )


def _nerves(assessment: Assessment, found: _Found) -> Part:
    if assessment.features.neuropathy:
        warning, tone = _sentences(wording.ALREADY, wording.NERVE_WARNING, wording.MATTERS_MORE), Tone.DANGER
    else:
        warning, tone = wording.NERVE_WARNING, Tone.WARNING
    paraesthesia = found.arrays.get(Outcome.PARAESTHESIA)
    pictures = (
        (Picture(paraesthesia, Statement(wording.PARAESTHESIA.bind(people=paraesthesia.filled), (paraesthesia.finding,))),)
        if paraesthesia is not None and paraesthesia.finding.source.role == Role.PRIMARY
        else ()
    )
    irreversible = found.first(Outcome.NEUROPATHY_IRREVERSIBLE)
    statements = (
        *(Statement(warning, (f,), tone=tone) for f in found.all(Outcome.NEUROPATHY_WARNING)),
        *_screened(found),
        *found.keyed(Outcome.NEUROPATHY_MONITORING, wording.NERVE_TESTS),
        *found.keyed(Outcome.NEUROPATHY_AFTER_STOPPING, wording.AFTER_STOPPING),
        *(
            (Statement(wording.NOT_REVERSED.bind(people=out_of_100(irreversible)), (irreversible,), tone=tone),)
            if out_of_100(irreversible) is not None
            else ()
        ),
    )
    return Part("nerves", wording.NERVES, statements, pictures)


def _counted(finding: ReportedFinding) -> bool:
    return finding.numerator is not None and bool(finding.denominator)


def _screened(found: _Found) -> tuple[Statement, ...]:
    """Neuropathy as testing every patient's nerves finds it, then the main study's count among the patients it
    tested, those with paraesthesia: symptom-led testing finds fewer cases."""
    screened = tuple(
        f
        for f in found.all(Outcome.NEUROPATHY_CONFIRMED)
        if f.nerve_testing == NerveTesting.EVERY_PATIENT and _counted(f)
    )
    counts = tuple(
        wording.SCREENED_COUNT.get((f.source.key, f.key), wording.COUNTED).bind(count=f.numerator, total=f.denominator)
        for f in screened
    )
    main = tuple(
        f
        for f in found.all(Outcome.NEUROPATHY_CONFIRMED, role=Role.PRIMARY)
        if f.nerve_testing == NerveTesting.PATIENTS_WITH_SYMPTOMS and _counted(f)
    )
    return (
        *((Statement(wording.SCREENED.bind(counts=listing(counts)), screened),) if screened else ()),
        *(Statement(wording.TESTED_IF_TINGLING.bind(count=f.numerator, total=f.denominator), (f,)) for f in main),
    )


def _pregnancy(assessment: Assessment, found: _Found) -> Part:
    pregnant = assessment.features.can_become_pregnant
    if pregnant:
        warning, tone = _sentences(wording.CAN_BECOME_PREGNANT, wording.BIRTH_DEFECTS), Tone.DANGER
    else:
        warning, tone = wording.BIRTH_DEFECTS, Tone.WARNING
    rules = wording.RULES_FOR_PREGNANCY if pregnant else wording.RULES_FOR_OTHERS
    statements = (
        *(Statement(warning, (f,), tone=tone) for f in found.all(Outcome.TERATOGENICITY)),
        *_left_out(found, rules),
        *found.keyed(Outcome.PREGNANCY_PREVENTION, wording.RULES, rules),
    )
    return Part("pregnancy", wording.PREGNANCY, statements)


def _left_out(found: _Found, rules: tuple[str, ...]) -> tuple[Statement, ...]:
    """The programme's rules this sheet does not give, named, with the reason: no rule is dropped without a word."""
    left_out = tuple(
        f for f in found.all(Outcome.PREGNANCY_PREVENTION)
        if f.key in wording.RULES_FOR_PREGNANCY and f.key not in rules
    )
    if not left_out:
        return ()
    names = tuple(dict.fromkeys(wording.RULE_NAMES[f.key] for f in left_out))
    return (Statement(wording.RULES_LEFT_OUT.bind(rules=listing(names)), left_out),)


def _other(assessment: Assessment, found: _Found) -> Part:
    """Blood clots first (the label's boxed warning, with where its data come from, then what CLE studies saw),
    then the other effects."""
    features = assessment.features
    if features.thrombosis_risk:
        label, tone = _sentences(wording.CLOT_HAD, wording.CLOTS), Tone.DANGER
    else:
        label, tone = wording.CLOTS, Tone.WARNING
    statements = [
        *(Statement(label, (f,), tone=tone) for f in found.all(Outcome.THROMBOSIS, role=Role.REGULATORY)),
        *(_pooled_clots(f) for f in found.all(Outcome.THROMBOSIS, role=Role.POOLED) if out_of_100(f) is not None),
    ]
    events = found.first(Outcome.CEREBRAL_ISCHAEMIA, role=Role.PRIMARY)
    if events is not None and _counted(events):
        brain = wording.BRAIN_EVENTS.bind(count=events.numerator, total=events.denominator)
        if features.smoker:
            statements.append(Statement(_sentences(wording.SMOKES, brain), (events,), tone=Tone.WARNING))
        else:
            statements.append(Statement(brain, (events,)))
        if features.thrombosis_risk:
            statements.append(Statement(wording.CLOT_HISTORY, (events,), tone=Tone.WARNING))
    statements += [
        *found.keyed(Outcome.COMMON_ADVERSE_EFFECTS, wording.EFFECTS),
        *found.keyed(Outcome.LABEL_WARNINGS, wording.EFFECTS),
    ]
    return Part("other", wording.OTHER, tuple(statements))


def _pooled_clots(finding: ReportedFinding) -> Statement:
    rate = wording.POOLED_CLOTS.bind(people=out_of_100(finding))
    if finding.interval == Interval.CI95 and finding.lower is not None and finding.upper is not None:
        rate = _sentences(rate, wording.POOLED_RANGE.bind(low=finding.lower, high=finding.upper))
    return Statement(rate, (finding,))
