"""When a CDS card appears and how loud it is: one table, hook by what the record shows (shared/DESIGN.md, "Alerts").

CDS committees switch off services that warn at every chart opening: a chart opened without thalidomide on
record gets at most one ``info`` card, an order or a signature for thalidomide gets the safety card first.
``decide`` reads the two tables below and nothing else decides; docs/interop.md prints them
(``markdown``, kept equal by a test) and tests walk them row by row.

A card's headline is the most serious thing it says for this patient. It gives the card's summary and the
override reasons the card offers, each chosen for what that headline says: a recorded pregnancy is dismissed
only for a reason that concerns the pregnancy.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from cledss.clinical.assess.exposure import LONG_TREATMENT_MONTHS

from ..fhir_reading import ORDER_HOOKS, Pregnancy, Reading

HOOKS = ("patient-view", *ORDER_HOOKS)


class Card(StrEnum):
    SAFETY = "safety"  # thalidomide being ordered: the label's warnings, this patient's first
    MONITORING = "monitoring"  # thalidomide being taken, the chart opened: the monitoring facts that apply
    EVIDENCE = "evidence"  # what the evidence says for this patient, and what the record leaves to the form


class Headline(StrEnum):
    PREGNANCY = "pregnancy"
    REPRODUCTIVE_POTENTIAL = "reproductive-potential"
    NEUROPATHY = "neuropathy"
    THROMBOSIS = "thrombosis"
    LONG_TREATMENT = "long-treatment"
    BOXED_WARNINGS = "boxed-warnings"
    EVIDENCE = "evidence"


@dataclass(frozen=True)
class Record:
    """What the table reads of a request: its hook and what the record shows."""

    hook: str
    # None when the EHR did not send the conditions (an order hook may go without them).
    cle: bool | None
    thalidomide_ordered: bool
    thalidomide_taken: bool
    pregnancy: Pregnancy
    can_become_pregnant: bool
    neuropathy: bool
    thrombosis: bool
    months_on_thalidomide: int | None

    @classmethod
    def of(cls, hook: str, reading: Reading, *, ordered: bool, conditions_sent: bool) -> "Record":
        features = reading.features
        return cls(
            hook=hook,
            cle=reading.lupus_on_record if conditions_sent else None,
            thalidomide_ordered=ordered,
            thalidomide_taken=reading.thalidomide is not None,
            pregnancy=reading.pregnancy.status,
            can_become_pregnant=features.can_become_pregnant,
            neuropathy=features.neuropathy,
            thrombosis=features.thrombosis_risk,
            months_on_thalidomide=features.months_on_thalidomide,
        )


@dataclass(frozen=True)
class Row:
    """For these hooks, when the record shows this, these cards in this order (the first row that holds wins)."""

    hooks: tuple[str, ...]
    shows: str
    holds: Callable[[Record], bool]
    cards: tuple[Card, ...]


WHEN = (
    Row(HOOKS, "no CLE: the conditions were sent and none is lupus", lambda r: r.cle is False, ()),
    Row(ORDER_HOOKS, "thalidomide not among the orders", lambda r: not r.thalidomide_ordered, ()),
    Row(ORDER_HOOKS, "thalidomide ordered (CLE on record, or the conditions not sent)", lambda r: True,
        (Card.SAFETY, Card.EVIDENCE)),
    Row(("patient-view",), "CLE, thalidomide being taken (active or on hold)", lambda r: r.thalidomide_taken,
        (Card.MONITORING,)),
    Row(("patient-view",), "CLE, no thalidomide being taken", lambda r: True, (Card.EVIDENCE,)),
)


@dataclass(frozen=True)
class Loudness:
    """A card's indicator and headline when the record shows this (the first that holds wins)."""

    indicator: str
    headline: Headline
    shows: str
    holds: Callable[[Record], bool]


def _pregnant(record: Record) -> bool:
    return record.pregnancy == Pregnancy.PREGNANT


def _long_treatment(record: Record) -> bool:
    months = record.months_on_thalidomide
    return months is not None and months >= LONG_TREATMENT_MONTHS.value


ALWAYS = "anything else"
HOW_LOUD = {
    Card.SAFETY: (
        Loudness("critical", Headline.PREGNANCY, "a recorded pregnancy", _pregnant),
        Loudness("critical", Headline.REPRODUCTIVE_POTENTIAL,
                 "reproductive potential (pregnancy status not pregnant, or a pregnancy intention answered)",
                 lambda r: r.can_become_pregnant),
        Loudness("critical", Headline.NEUROPATHY, "an existing neuropathy", lambda r: r.neuropathy),
        Loudness("warning", Headline.THROMBOSIS, "a thrombosis history (named on the card)", lambda r: r.thrombosis),
        Loudness("warning", Headline.BOXED_WARNINGS, ALWAYS, lambda r: True),
    ),
    Card.MONITORING: (
        Loudness("critical", Headline.PREGNANCY, "a recorded pregnancy", _pregnant),
        Loudness("warning", Headline.NEUROPATHY, "an existing neuropathy", lambda r: r.neuropathy),
        Loudness("warning", Headline.LONG_TREATMENT,
                 f"{LONG_TREATMENT_MONTHS.value} months or more on thalidomide (the threshold Yuki et al. 2021 tied to "
                 "neuropathy)", _long_treatment),
        Loudness("info", Headline.BOXED_WARNINGS, ALWAYS, lambda r: True),
    ),
    Card.EVIDENCE: (Loudness("info", Headline.EVIDENCE, "always", lambda r: True),),
}

OVERRIDE_REASONS_SYSTEM = "urn:cledss:cds-override-reason"
# Why a clinician goes on past a card, by its headline (CDS Hooks 2.0 overrideReasons, each a Coding with a
# display). An info card asks for none.
REASONS = {
    Headline.PREGNANCY: (
        ("pregnancy-status-wrong", _("The record's pregnancy status is wrong")),
        ("pregnancy-ended", _("The pregnancy has ended; the record is out of date")),
    ),
    Headline.REPRODUCTIVE_POTENTIAL: (
        ("in-pregnancy-prevention-programme", _("Enrolled in the pregnancy prevention programme (REMS/PPP)")),
        ("cannot-become-pregnant", _("The record is wrong: the patient cannot become pregnant")),
    ),
    Headline.NEUROPATHY: (
        ("neuropathy-weighed", _("The existing neuropathy was weighed against the label's warning")),
        ("neuropathy-record-wrong", _("The record's neuropathy is wrong or resolved")),
    ),
    Headline.THROMBOSIS: (
        ("thrombosis-weighed", _("The thrombosis history was weighed against the label's warning")),
        ("thrombosis-record-wrong", _("The record's thrombosis history is wrong")),
    ),
    Headline.LONG_TREATMENT: (
        ("neurological-monitoring-in-place", _("Neurological monitoring is in place")),
        ("treatment-start-wrong", _("The record's thalidomide start date is wrong")),
    ),
    Headline.BOXED_WARNINGS: (
        ("in-pregnancy-prevention-programme", _("Enrolled in the pregnancy prevention programme (REMS/PPP)")),
        ("risks-discussed", _("The boxed warnings were discussed with the patient")),
    ),
    Headline.EVIDENCE: (),
}


@dataclass(frozen=True)
class Planned:
    """One card the table decided on: which, how loud and what it leads with."""

    card: Card
    indicator: str
    headline: Headline

    @property
    def kind(self) -> str:
        """The card's kind, sealed into its uuid so that feedback knows which reasons it offered."""
        return f"{self.card}.{self.headline}"

    @property
    def override_reasons(self) -> list[dict]:
        if self.indicator == "info":
            return []
        return [{"system": OVERRIDE_REASONS_SYSTEM, "code": code, "display": str(display)}
                for code, display in REASONS[self.headline]]


def decide(record: Record) -> tuple[Planned, ...]:
    """The cards for this record, safety first; none at all when the table says so."""
    row = next(row for row in WHEN if record.hook in row.hooks and row.holds(record))
    return tuple(_planned(card, record) for card in row.cards)


def _planned(card: Card, record: Record) -> Planned:
    loud = next(loud for loud in HOW_LOUD[card] if loud.holds(record))
    return Planned(card, loud.indicator, loud.headline)


# Every kind a card can be, by the name its uuid carries.
KINDS = {
    planned.kind: planned
    for planned in (Planned(card, loud.indicator, loud.headline) for card, louds in HOW_LOUD.items() for loud in louds)
}


def reasons_offered(kind: str | None) -> frozenset[str]:
    """The codes of the override reasons a card of this kind offered (none for an unknown kind)."""
    planned = KINDS.get(kind) if kind else None
    return frozenset(reason["code"] for reason in planned.override_reasons) if planned else frozenset()


def markdown() -> str:
    """The tables (when, how loud, which override reasons) as docs/interop.md prints them."""
    when = ["| hook | the record shows | cards, in order |", "|---|---|---|"]
    when += [f"| {', '.join(row.hooks)} | {row.shows} | {', '.join(row.cards) or 'none'} |" for row in WHEN]
    loud = ["| card | the record shows | indicator | headline (summary and override reasons) |", "|---|---|---|---|"]
    loud += [f"| {card} | {it.shows} | `{it.indicator}` | {it.headline} |"
             for card, louds in HOW_LOUD.items() for it in louds]
    reasons = ["| headline | override reasons offered (`" + OVERRIDE_REASONS_SYSTEM + "`) |", "|---|---|"]
    reasons += [f"| {headline} | {', '.join(f'`{code}` ({display})' for code, display in offered) or 'none'} |"
                for headline, offered in REASONS.items()]
    return "\n".join([*when, "", *loud, "", *reasons])
