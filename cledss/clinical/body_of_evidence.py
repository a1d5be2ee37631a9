"""Published evidence as plain values.

These dataclasses stand in for the database rows of ``cledss.evidence`` so that the
clinical reasoning can be read and tested without Django.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache, cached_property, partial
from typing import get_args, get_origin

from .features import Subtype
from .phrases import Phrase, _
from .stats import percent, wilson_interval


class Certainty(StrEnum):
    """How much a statement can be trusted, and on what basis.

    The four GRADE levels rate research evidence, strongest first. A guideline's
    recommendation is expert consensus and a drug label's content is regulatory: neither is
    a GRADE rating, so each has a level of its own rather than borrowing one.
    """

    HIGH = "high"
    MODERATE = "moderate"
    LOW = "low"
    VERY_LOW = "very_low"
    CONSENSUS = "consensus"
    REGULATORY = "regulatory"

    @property
    def label(self) -> Phrase:
        return CERTAINTY_LABELS[self]

    @property
    def is_grade(self) -> bool:
        return self in GRADE_LEVELS

    @property
    def rank(self) -> int:
        """Strongest first within GRADE; statements never mix GRADE with the other two kinds."""
        return list(Certainty).index(self)


GRADE_LEVELS = (Certainty.HIGH, Certainty.MODERATE, Certainty.LOW, Certainty.VERY_LOW)


def weakest(certainties) -> Certainty:
    """The certainty of what rests on all of them: the weakest (the core never mixes GRADE with the other kinds)."""
    return max(certainties, key=lambda c: c.rank)

CERTAINTY_LABELS = {
    Certainty.HIGH: _("high"),
    Certainty.MODERATE: _("moderate"),
    Certainty.LOW: _("low"),
    Certainty.VERY_LOW: _("very low"),
    Certainty.CONSENSUS: _("expert consensus"),
    Certainty.REGULATORY: _("regulatory"),
}

# The certainty that each kind of source carries; research sources take one of the GRADE levels.
CERTAINTY_BY_ROLE = {"guideline": Certainty.CONSENSUS, "regulatory": Certainty.REGULATORY}


class Measure(StrEnum):
    PROPORTION = "proportion"
    ODDS_RATIO = "odds_ratio"
    RELATIVE_RISK = "relative_risk"
    DURATION = "duration"
    NARRATIVE = "narrative"


class Association(StrEnum):
    """What a study found about a possible risk factor; findings on both sides make a conflict."""

    NONE = ""
    ASSOCIATED = "associated"
    NOT_ASSOCIATED = "not_associated"


class Interval(StrEnum):
    NONE = ""
    CI95 = "ci95"
    RANGE = "range"


class EstimateKind(StrEnum):
    EXACT = ""
    APPROXIMATE = "approximate"
    MEDIAN = "median"
    MEAN = "mean"


class Role(StrEnum):
    """Why cledss cites a source; the clinical core reads the primary study's figures first."""

    PRIMARY = "primary"
    POOLED = "pooled"
    COHORT = "cohort"  # another thalidomide cohort in CLE, set beside the primary study
    SUPPORTING = "supporting"
    REGULATORY = "regulatory"
    GUIDELINE = "guideline"


class Outcome(StrEnum):
    RESPONSE = "response"
    COMPLETE_RESPONSE = "complete_response"
    PARTIAL_RESPONSE = "partial_response"
    TIME_TO_RESPONSE = "time_to_response"
    STOPPED_FOR_ADVERSE_EFFECTS = "stopped_for_adverse_effects"
    RELAPSE = "relapse"
    TIME_TO_RELAPSE = "time_to_relapse"
    RELAPSE_AFTER_WITHDRAWAL = "relapse_after_withdrawal"
    RELAPSE_ON_MAINTENANCE = "relapse_on_maintenance"
    LONG_TERM_REMISSION = "long_term_remission"
    PARAESTHESIA = "paraesthesia"
    NEUROPATHY_CONFIRMED = "neuropathy_confirmed"
    NEUROPATHY_RESOLUTION_TIME = "neuropathy_resolution_time"
    NEUROPATHY_FREE_TIME = "neuropathy_free_time"
    NEUROPATHY_MONITORING = "neuropathy_monitoring"
    NEUROPATHY_WARNING = "neuropathy_warning"
    NEUROPATHY_DAILY_DOSE = "neuropathy_daily_dose"
    NEUROPATHY_CUMULATIVE_DOSE = "neuropathy_cumulative_dose"
    NEUROPATHY_DURATION = "neuropathy_duration"
    NEUROPATHY_AFTER_STOPPING = "neuropathy_after_stopping"
    NEUROPATHY_IRREVERSIBLE = "neuropathy_irreversible"
    THROMBOSIS = "thrombosis"
    CEREBRAL_ISCHAEMIA = "cerebral_ischaemic_events"
    ARTERIAL_STENT_THROMBOSIS = "arterial_stent_thrombosis"
    TERATOGENICITY = "teratogenicity"
    PREGNANCY_PREVENTION = "pregnancy_prevention"
    LICENSED_INDICATIONS = "licensed_indications"
    LABEL_WARNINGS = "label_warnings"
    COMMON_ADVERSE_EFFECTS = "common_adverse_effects"
    DOSE_REGIMEN = "dose_regimen"
    FIRST_LINE_THERAPY = "first_line_therapy"
    WITH_ANTIMALARIAL = "with_antimalarial"
    ANTIMALARIAL_RESPONSE = "antimalarial_response"
    ANTIMALARIAL_LEVELS = "antimalarial_levels"
    ANTIMALARIAL_DOSE_RAISED = "antimalarial_dose_raised"
    ANTIMALARIAL_SMOKING = "antimalarial_smoking"

    @property
    def label(self) -> Phrase:
        """The outcome as its sources name it, where a figure is shown beside figures of other outcomes."""
        return OUTCOME_LABELS.get(self) or Phrase(self.value.replace("_", " "))


# Outcomes named beside others (a cohort's adverse events, an odds-ratio picture's axis, the FHIR export's
# measured variable); any other outcome is named by its code. Cerebral ischaemic events are not
# thromboembolic events: each keeps its source's name.
OUTCOME_LABELS = {
    Outcome.LONG_TERM_REMISSION: _("long-term remission after stopping"),
    Outcome.RELAPSE: _("relapse"),
    Outcome.STOPPED_FOR_ADVERSE_EFFECTS: _("stopped for adverse effects"),
    Outcome.THROMBOSIS: _("thromboembolic events"),
    Outcome.CEREBRAL_ISCHAEMIA: _("cerebral ischaemic events"),
    Outcome.ARTERIAL_STENT_THROMBOSIS: _("arterial stent thrombosis"),
}


class NerveTesting(StrEnum):
    """Whose nerves a neuropathy figure's source tested: a figure from symptoms, or from testing only the
    patients with symptoms, is not a rate among all patients as one from testing every patient is."""

    NOT_STATED = ""
    EVERY_PATIENT = "every_patient"
    PATIENTS_WITH_SYMPTOMS = "patients_with_symptoms"
    NONE = "none"

    @property
    def label(self) -> Phrase | None:
        return NERVE_TESTING_LABELS.get(self)


NERVE_TESTING_LABELS = {
    NerveTesting.EVERY_PATIENT: _("every patient's nerves tested"),
    NerveTesting.PATIENTS_WITH_SYMPTOMS: _("nerves tested only in patients with symptoms"),
    NerveTesting.NONE: _("symptoms only, no nerve tests"),
}


@dataclass(frozen=True)
class Source:
    """A publication or label the evidence comes from, as a clinician would cite it."""

    key: str
    short: str
    citation: str
    year: int | None
    title: str
    design: str
    role: Role
    certainty: Certainty
    certainty_reason: str = ""
    pmid: str = ""
    doi: str = ""
    url: str = ""
    population: str = ""
    size: int | None = None
    subtypes_reported: frozenset[Subtype] = frozenset()
    intervention: str = ""
    follow_up: str = ""

    @property
    def pubmed_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else ""

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def identifiers(self) -> str:
        parts = [f"PMID {self.pmid}" if self.pmid else "", f"DOI {self.doi}" if self.doi else ""]
        return "; ".join(p for p in parts if p) or self.url


@dataclass(frozen=True)
class ReportedFinding:
    """One result exactly as its source reported it; derived numbers are computed, never stored."""

    key: str
    source: Source
    outcome: Outcome
    measure: Measure
    statement: str
    certainty: Certainty
    certainty_reason: str = ""
    subtype: Subtype | None = None
    numerator: int | None = None
    denominator: int | None = None
    estimate: Decimal | None = None
    estimate_kind: EstimateKind = EstimateKind.EXACT
    lower: Decimal | None = None
    upper: Decimal | None = None
    interval: Interval = Interval.NONE
    unit: str = ""
    time_frame: str = ""
    comparator: str = ""
    association: Association = Association.NONE
    curator_note: str = ""
    daily_dose_above: Decimal | None = None
    daily_dose_up_to: Decimal | None = None
    nerve_testing: NerveTesting = NerveTesting.NOT_STATED

    @property
    def wilson(self) -> tuple[Decimal, Decimal] | None:
        if self.measure != Measure.PROPORTION or self.numerator is None or not self.denominator:
            return None
        return wilson_interval(self.numerator, self.denominator)

    @property
    def figure(self) -> Phrase | str:
        """The finding's numbers in one readable phrase, as reported."""
        return _FIGURE_FORMATS[self.measure](self)


_INTERVALS = {
    (Interval.CI95, False): _("95%% CI %(low)s to %(high)s"),
    (Interval.CI95, True): _("95%% CI %(low)s%% to %(high)s%%"),
    (Interval.RANGE, False): _("range %(low)s to %(high)s"),
    (Interval.RANGE, True): _("range %(low)s%% to %(high)s%%"),
}


def _interval(finding: ReportedFinding, percent: bool = False) -> Phrase | None:
    if finding.interval == Interval.NONE or finding.lower is None or finding.upper is None:
        return None
    return _INTERVALS[finding.interval, percent].bind(low=finding.lower, high=finding.upper)


def _proportion(finding: ReportedFinding) -> Phrase:
    reported = _interval(finding, percent=True)
    if finding.numerator is not None and finding.denominator:
        shown = finding.estimate if finding.estimate is not None else percent(finding.numerator, finding.denominator)
        counts = f"{finding.numerator}/{finding.denominator}"
        if reported:
            return _("%(counts)s (%(percent)s%%; %(interval)s)", counts=counts, percent=shown, interval=reported)
        return _("%(counts)s (%(percent)s%%)", counts=counts, percent=shown)
    if finding.estimate is None:
        return _("not reported")
    if finding.numerator is not None:  # a count printed without a denominator that fits (see its curator note)
        return _("%(count)s (%(percent)s%%)", count=finding.numerator, percent=finding.estimate)
    if reported:
        return _("%(percent)s%% (%(interval)s)", percent=finding.estimate, interval=reported)
    return _("%(percent)s%%", percent=finding.estimate)


def _ratio(name: Phrase):
    def render(finding: ReportedFinding) -> Phrase:
        if finding.estimate is None:
            return _("%(name)s not reported", name=name)
        reported = _interval(finding)
        if reported:
            figure = _("%(name)s %(value)s (%(interval)s)", name=name, value=finding.estimate, interval=reported)
        else:
            figure = _("%(name)s %(value)s", name=name, value=finding.estimate)
        # A ratio means nothing without what it compares against, so the figure always says.
        if finding.comparator:
            return _("%(figure)s, against %(comparator)s", figure=figure, comparator=finding.comparator)
        return figure

    return render


UNITS = {"days": _("days"), "weeks": _("weeks"), "months": _("months"), "years": _("years")}

_DURATION_KINDS = {
    EstimateKind.EXACT: _("%(value)s %(unit)s"),
    EstimateKind.APPROXIMATE: _("about %(value)s %(unit)s"),
    EstimateKind.MEDIAN: _("a median of %(value)s %(unit)s"),
    EstimateKind.MEAN: _("a mean of %(value)s %(unit)s"),
}


def _duration(finding: ReportedFinding) -> Phrase:
    if finding.estimate is None:
        return _("not reported")
    unit = UNITS.get(finding.unit, finding.unit)
    head = _DURATION_KINDS[finding.estimate_kind].bind(value=finding.estimate, unit=unit)
    reported = _interval(finding)
    if reported:
        return _("%(estimate)s (%(interval)s %(unit)s)", estimate=head, interval=reported, unit=unit)
    return head


_FIGURE_FORMATS = {
    Measure.PROPORTION: _proportion,
    Measure.ODDS_RATIO: _ratio(_("odds ratio")),
    Measure.RELATIVE_RISK: _ratio(_("relative risk")),
    Measure.DURATION: _duration,
    Measure.NARRATIVE: lambda finding: "",
}


@dataclass(frozen=True)
class EvidenceSnapshot:
    """The published findings of one evidence version."""

    version: str
    findings: tuple[ReportedFinding, ...] = field(default_factory=tuple)

    def find(
        self, outcome: Outcome, *, role: Role | None = None, subtype: Subtype | None = None, source: Source | None = None
    ) -> tuple[ReportedFinding, ...]:
        """Findings for an outcome, for one subtype (or for the whole population when subtype is None)."""
        if source is not None:
            found = self._by_source.get((outcome, subtype, source), ())
            return found if role is None else tuple(f for f in found if f.source.role == role)
        return tuple(f for f in self._by_outcome.get((outcome, subtype), ()) if role is None or f.source.role == role)

    def first(
        self, outcome: Outcome, *, role: Role | None = None, subtype: Subtype | None = None, source: Source | None = None
    ) -> ReportedFinding | None:
        found = self.find(outcome, role=role, subtype=subtype, source=source)
        return found[0] if found else None

    def first_source(self, role: Role) -> Source | None:
        return next((s for s in self.sources if s.role == role), None)

    @classmethod
    def from_records(cls, records: list[dict], *, version: str, language: str = "en") -> "EvidenceSnapshot":
        """Build a snapshot from studies written as plain values (the evidence file format).

        Curated text is read in ``language`` where curators have given it (``statement_es``
        beside ``statement``), and in English otherwise; numbers never depend on language.
        """
        return cls(version=version, findings=tuple(f for record in records for f in read_study(record, language)))

    # A snapshot never changes and serves every request of its evidence version, so what is
    # derived from all its findings is worked out once; an assessment then costs the same
    # whether the evidence base holds ten studies or a thousand.
    @cached_property
    def sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys(f.source for f in self.findings))

    @cached_property
    def _by_outcome(self) -> dict[tuple[str, Subtype | None], tuple[ReportedFinding, ...]]:
        """Findings by outcome and subtype, in the snapshot's order."""
        grouped: dict[tuple[str, Subtype | None], list[ReportedFinding]] = {}
        for finding in self.findings:
            grouped.setdefault((finding.outcome, finding.subtype), []).append(finding)
        return {key: tuple(findings) for key, findings in grouped.items()}

    @cached_property
    def _by_source(self) -> dict[tuple[str, Subtype | None, Source], tuple[ReportedFinding, ...]]:
        """Findings by outcome, subtype and source: the cohorts table asks once per source."""
        grouped: dict[tuple[str, Subtype | None, Source], list[ReportedFinding]] = {}
        for finding in self.findings:
            grouped.setdefault((finding.outcome, finding.subtype, finding.source), []).append(finding)
        return {key: tuple(findings) for key, findings in grouped.items()}

    @property
    def primary(self) -> Source | None:
        return self.first_source(Role.PRIMARY)


def read_study(record: dict, language: str = "en") -> tuple[ReportedFinding, ...]:
    """A study's findings (the evidence file's format), each citing the study as its source, in ``language``."""
    source = _source(_localized(record, language))
    return tuple(_finding(_localized(f, language), source) for f in record["findings"])


def _localized(record: dict, language: str) -> dict:
    """The record with each curated text in ``language`` where it is given."""
    translated = {field: record[name] for field, name in _translations(tuple(record), language) if record[name]}
    return {**record, **translated} if translated else record


@cache
def _translations(names: tuple[str, ...], language: str) -> tuple[tuple[str, str], ...]:
    """Which of ``names`` translates which into ``language``: a thousand records share a handful of sets of names."""
    suffix = f"_{language}"
    return tuple((name[: -len(suffix)], name) for name in names if name.endswith(suffix))


@cache
def _member(kind: type[StrEnum], value: str) -> StrEnum:
    """``kind(value)``, remembered: a snapshot of a thousand studies reads some 15,000 of them."""
    return kind(value)


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _reader(kind) -> Callable | None:
    """How a record's JSON value becomes a value of ``kind`` (a field's type); None where it is the value as it is."""
    if kind == Decimal | None:
        return _decimal
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return partial(_member, kind)
    if get_origin(kind) is frozenset:
        (member,) = get_args(kind)
        return lambda values: frozenset(_member(member, value) for value in values)
    optional = [k for k in get_args(kind) if k is not type(None)]
    if len(optional) == 1 and isinstance(optional[0], type) and issubclass(optional[0], StrEnum):
        return lambda value: _member(optional[0], value) if value else None
    return None


@cache
def _readers(kind: type) -> tuple[tuple[str, Callable | None], ...]:
    """Each field of ``kind`` that a record holds under its own name, with its reader: every field but the source."""
    return tuple((f.name, _reader(f.type)) for f in fields(kind) if not is_dataclass(f.type))


def _read(kind: type, record: dict, **given):
    """A ``kind`` (Source or ReportedFinding) from a record that holds each of its fields under the field's name."""
    return kind(
        **given, **{name: record[name] if read is None else read(record[name]) for name, read in _readers(kind)}
    )


def _source(record: dict) -> Source:
    return _read(Source, record)


def _finding(record: dict, source: Source) -> ReportedFinding:
    return _read(ReportedFinding, record, source=source)
