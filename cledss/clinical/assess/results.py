"""What an assessment is made of: statements that each carry their findings and sources."""

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from ..body_of_evidence import Certainty, ReportedFinding, Source, weakest
from ..features import PatientFeatures
from ..phrases import Phrase, _
from ..visuals import DoseChart, ForestPlot, IconArray

LABEL = _("Informational, not a prescribing tool")
INTENDED_USE = _(
    "cledss reports what published studies and the thalidomide label say, for a clinician who decides with the "
    "patient; it does not recommend, prescribe or dose. Its evidence is curated from study abstracts and the "
    "label, and the thalidomide studies in CLE are small cohorts without a control group."
)


class Fit(StrEnum):
    """How well the patient matches the population the primary study enrolled."""

    INSIDE = "inside"
    UNCERTAIN = "uncertain"
    OUTSIDE = "outside"
    UNKNOWN = "unknown"

    @property
    def shows_efficacy(self) -> bool:
        """The study's response and relapse figures describe only patients like those it enrolled."""
        return self in (Fit.INSIDE, Fit.UNCERTAIN)


class Tone(StrEnum):
    """How much a statement matters for this patient, weakest first; renderings take severity from it."""

    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"

    @property
    def rank(self) -> int:
        return list(Tone).index(self)


@dataclass(frozen=True)
class Statement:
    message: Phrase | str
    findings: tuple[ReportedFinding, ...] = ()
    cited: tuple[Source, ...] = ()
    tone: Tone = Tone.INFO
    # A short form for places with little room (a CDS card's summary, a key point).
    summary: Phrase | str | None = None
    # Part of the label's boxed warning, which every patient's key points carry.
    boxed: bool = False

    @property
    def text(self) -> str:
        """The statement in the active language."""
        return str(self.message)

    @property
    def sources(self) -> tuple[Source, ...]:
        return tuple(dict.fromkeys((*self.cited, *(f.source for f in self.findings))))

    @property
    def certainty(self) -> Certainty:
        """The weakest certainty among what the statement rests on (the core never mixes GRADE with consensus
        or regulatory facts in one statement)."""
        return weakest([f.certainty for f in self.findings] or [s.certainty for s in self.sources])

    @property
    def certainty_reason(self) -> str:
        """Why a finding is rated as it is, where that differs from its source's reason (which the reference
        list gives beside the source)."""
        reasons = [f.certainty_reason for f in self.findings if f.certainty_reason != f.source.certainty_reason]
        return " ".join(dict.fromkeys(reasons))


@dataclass(frozen=True)
class Conflict:
    """Studies that disagree on one question, side by side; cledss does not resolve the disagreement."""

    question: Phrase
    found: tuple[Statement, ...]
    not_found: tuple[Statement, ...]

    @property
    def statements(self) -> tuple[Statement, ...]:
        return (*self.found, *self.not_found)


@dataclass(frozen=True)
class Section:
    key: str
    title: Phrase
    statements: tuple[Statement, ...]
    visuals: tuple[IconArray | ForestPlot | DoseChart, ...] = ()
    conflicts: tuple[Conflict, ...] = ()

    @property
    def all_statements(self) -> tuple[Statement, ...]:
        return (*self.statements, *(s for conflict in self.conflicts for s in conflict.statements))


@dataclass(frozen=True)
class SummaryRow:
    """One outcome of the summary-of-findings table: the primary study beside the meta-analysis."""

    outcome: Phrase
    study: ReportedFinding | None
    pooled: ReportedFinding | None
    # Why the primary study's figure is not set beside the pooled one, when it is not.
    study_note: Phrase | None = None

    @property
    def cells(self) -> tuple[ReportedFinding | None, ReportedFinding | None]:
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
    # The fit in one short line, for the key points.
    verdict: Statement | None = None
    # What studies report on why antimalarials fail, for a patient whose CLE is called refractory.
    refractoriness: tuple[Statement, ...] = ()

    @property
    def all_statements(self) -> tuple[Statement, ...]:
        return (*self.statements, *self.refractoriness)


@dataclass(frozen=True)
class KeyPoint:
    """One line at the top of the result: the short form of what the evidence says, linking to its details."""

    topic: Phrase
    statements: tuple[Statement, ...]
    anchor: str
    # The fit compares the patient's features with the study's population: it grades no evidence.
    graded: bool = True

    @property
    def tone(self) -> "Tone":
        return max((s.tone for s in self.statements), key=lambda tone: tone.rank)


@dataclass(frozen=True)
class CohortRow:
    """One published thalidomide cohort, each cell as its source reports it (None: not in the abstract)."""

    source: Source
    response: tuple[ReportedFinding, ...]
    complete_response: tuple[ReportedFinding, ...]
    partial_response: tuple[ReportedFinding, ...]
    relapse: tuple[ReportedFinding, ...]
    neuropathy: tuple[ReportedFinding, ...]
    adverse_events: tuple[ReportedFinding, ...]
    includes_subtype: bool

    @property
    def notes(self) -> tuple[ReportedFinding, ...]:
        """Figures a curator note explains (a source's misprint kept as printed)."""
        cells = (
            self.response, self.complete_response, self.partial_response, self.relapse, self.neuropathy,
            self.adverse_events,
        )
        return tuple(f for cell in cells for f in cell if f.curator_note)


@dataclass(frozen=True)
class Assessment:
    features: PatientFeatures
    evidence_version: str
    applicability: Applicability
    sections: tuple[Section, ...]
    summary: Summary | None = None
    key_points: tuple[KeyPoint, ...] = ()
    cohorts: tuple[CohortRow, ...] = ()
    label: Phrase = LABEL
    intended_use: Phrase = INTENDED_USE

    @property
    def statements(self) -> tuple[Statement, ...]:
        return (*self.applicability.all_statements, *(s for section in self.sections for s in section.all_statements))

    @cached_property
    def references(self) -> dict[str, int]:
        """Each cited source's number in the reference list, by key."""
        return {source.key: number for number, source in enumerate(self.sources, 1)}

    @cached_property
    def sources(self) -> tuple[Source, ...]:
        """Every source cited, the primary study first, as a reference list would order them."""
        cohort_sources = (row.source for row in self.cohorts)
        cited = dict.fromkeys((*(source for s in self.statements for source in s.sources), *cohort_sources))
        return tuple(sorted(cited, key=lambda source: list(type(source.role)).index(source.role)))

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)
