"""What the clinician tells cledss about a patient: clinical features only, never identity.

``PatientFeatures`` is the one feature contract. Each of its fields carries a ``Feature``: how it
is labelled, explained, bounded and paired, and whether the form requires it. The form, the API's
query schema and the inputs it echoes, the result URL, the inputs table and the CDS card links are
all built from ``contract()``, so adding a feature means adding a field here and the core that
uses it, nothing else.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from .phrases import Phrase, _


class Subtype(StrEnum):
    ACLE = "acle"
    SCLE = "scle"
    DLE = "dle"
    PROFUNDUS = "profundus"
    TUMIDUS = "tumidus"
    CHILBLAIN = "chilblain"
    OTHER = "other"

    @property
    def label(self) -> Phrase:
        return SUBTYPE_LABELS[self]


SUBTYPE_LABELS = {
    Subtype.ACLE: _("Acute CLE (ACLE)"),
    Subtype.SCLE: _("Subacute CLE (SCLE)"),
    Subtype.DLE: _("Discoid LE (DLE)"),
    Subtype.PROFUNDUS: _("LE profundus / panniculitis"),
    Subtype.TUMIDUS: _("LE tumidus"),
    Subtype.CHILBLAIN: _("Chilblain LE"),
    Subtype.OTHER: _("Other or mixed CLE"),
}


class AntimalarialStatus(StrEnum):
    REFRACTORY = "refractory"
    INTOLERANT = "intolerant"
    NOT_TRIED = "not_tried"
    RESPONDING = "responding"

    @property
    def label(self) -> Phrase:
        return ANTIMALARIAL_LABELS[self]


ANTIMALARIAL_LABELS = {
    AntimalarialStatus.REFRACTORY: _("Refractory after an adequate trial"),
    AntimalarialStatus.INTOLERANT: _("Intolerant or contraindicated"),
    AntimalarialStatus.NOT_TRIED: _("Not yet tried"),
    AntimalarialStatus.RESPONDING: _("Responding"),
}


class Kind(StrEnum):
    CHOICE = "choice"  # one member of an enumeration whose members have a label
    FLAG = "flag"  # yes or no; not ticked means no
    NUMBER = "number"  # from minimum to maximum, with at most ``places`` decimal places (0: a whole number)


# Every input may be refused for being given twice: a form or URL with two values is ambiguous.
REPEATED = _("This was given more than once; give one value.")
NOT_GIVEN = _("Not given")
WHOLE_NUMBER = _("Give a whole number from %(minimum)s to %(maximum)s (%(unit)s), or leave it empty.")
DECIMAL_NUMBER = _(
    "Give a number from %(minimum)s to %(maximum)s (%(unit)s) with at most %(places)s decimal places, or leave it empty."
)
_SHOWN_FLAGS = {True: _("Yes"), False: _("No")}


@dataclass(frozen=True)
class Feature:
    """How one patient feature is asked for, checked and shown, wherever it appears."""

    kind: Kind
    label: Phrase
    group: Phrase
    help: Phrase | None = None
    choices: type[StrEnum] | None = None
    unit: Phrase | None = None
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int = 0
    # Required by the form and the API; an EHR record may still leave it unknown (None).
    required: bool = False
    missing: Phrase | None = None
    invalid: Phrase | None = None
    # Given together with this other feature or not at all, or ``unpaired`` is the answer.
    paired_with: str = ""
    unpaired: Phrase | None = None
    name: str = ""  # the field's name, filled in by contract()

    @property
    def optional(self) -> bool:
        """May be left out, and then it is unknown (a flag left out is a no)."""
        return not self.required and self.kind != Kind.FLAG

    @property
    def value_type(self) -> type:
        if self.kind == Kind.CHOICE:
            return self.choices
        if self.kind == Kind.FLAG:
            return bool
        return int if self.places == 0 else Decimal

    @property
    def refusal(self) -> Phrase | None:
        """What a value outside the feature's choices or bounds is told; numbers state their bounds."""
        if self.kind != Kind.NUMBER:
            return self.invalid
        return (WHOLE_NUMBER if self.places == 0 else DECIMAL_NUMBER).bind(
            minimum=self.minimum, maximum=self.maximum, unit=self.unit, places=self.places
        )

    def shown(self, value) -> Phrase | str:
        """The value as the inputs table shows it."""
        if self.kind == Kind.FLAG:
            return _SHOWN_FLAGS[bool(value)]
        if value is None:
            return NOT_GIVEN
        if self.kind == Kind.CHOICE:
            return value.label
        return _("%(value)s %(unit)s", value=value, unit=self.unit)


def feature(default=None, **spec) -> Any:
    """A dataclass field that carries its place in the feature contract."""
    return field(default=default, metadata={"feature": Feature(**spec)})


DISEASE = _("Disease")
SAFETY = _("Safety features")
EXPOSURE = _("Thalidomide so far and nerve conduction (optional)")
UNIT_MG_PER_DAY = _("mg/day")
UNIT_MONTHS = _("months")
UNIT_MICROVOLTS = _("µV")


@dataclass(frozen=True)
class PatientFeatures:
    """The clinician's form always gives subtype and antimalarial status; an EHR record may not,
    and then they are None (unknown): the safety evidence is still reported, the efficacy is not.
    The dose, months and SNAP amplitudes are optional everywhere: None is unknown and changes nothing."""

    subtype: Subtype | None = feature(
        kind=Kind.CHOICE, choices=Subtype, label=_("CLE subtype"), group=DISEASE, required=True,
        missing=_("Choose the CLE subtype."), invalid=_("Choose one of the listed CLE subtypes."),
    )
    antimalarial_status: AntimalarialStatus | None = feature(
        kind=Kind.CHOICE, choices=AntimalarialStatus, label=_("Antimalarial treatment"), group=DISEASE, required=True,
        help=_("Whether the patient has taken hydroxychloroquine or another antimalarial, and with what result."),
        missing=_("Choose how the CLE has responded to antimalarials."),
        invalid=_("Choose one of the listed antimalarial statuses."),
    )
    can_become_pregnant: bool = feature(False, kind=Kind.FLAG, label=_("Can become pregnant"), group=SAFETY)
    neuropathy: bool = feature(False, kind=Kind.FLAG, label=_("Has peripheral neuropathy already"), group=SAFETY)
    smoker: bool = feature(False, kind=Kind.FLAG, label=_("Smokes"), group=SAFETY)
    thrombosis_risk: bool = feature(
        False, kind=Kind.FLAG, label=_("Has had a thrombosis, or has antiphospholipid antibodies"), group=SAFETY
    )
    daily_dose_mg: int | None = feature(
        kind=Kind.NUMBER, label=_("Daily thalidomide dose"), group=EXPOSURE, unit=UNIT_MG_PER_DAY,
        minimum=Decimal(1), maximum=Decimal(400), help=_("Planned or current. Empty if not known."),
    )
    months_on_thalidomide: int | None = feature(
        kind=Kind.NUMBER, label=_("Months on thalidomide so far"), group=EXPOSURE, unit=UNIT_MONTHS,
        minimum=Decimal(0), maximum=Decimal(240), help=_("0 if not started yet. Empty if not known."),
    )
    snap_baseline_uv: Decimal | None = feature(
        kind=Kind.NUMBER, label=_("Sural SNAP amplitude at baseline"), group=EXPOSURE, unit=UNIT_MICROVOLTS,
        minimum=Decimal("0.01"), maximum=Decimal(100), places=2,
        help=_("Sensory nerve action potential from nerve conduction studies before thalidomide."),
    )
    snap_now_uv: Decimal | None = feature(
        kind=Kind.NUMBER, label=_("Sural SNAP amplitude now"), group=EXPOSURE, unit=UNIT_MICROVOLTS,
        minimum=Decimal("0.01"), maximum=Decimal(100), places=2,
        help=_("The latest measurement. Give both amplitudes or neither."),
        paired_with="snap_baseline_uv",
        unpaired=_("Give the sural SNAP amplitude both at baseline and now, or neither: cledss computes the fall "
                   "from the two."),
    )

    @property
    def inputs(self) -> tuple[tuple[Phrase, Phrase | str], ...]:
        """Each feature's label and value as entered, for the inputs table of the page and the PDF; an optional
        value left empty is unknown and changes nothing, so it is left out."""
        return tuple(
            (f.label, f.shown(value))
            for f in _contract_of(type(self))
            if (value := getattr(self, f.name)) is not None or not f.optional
        )


def contract() -> tuple[Feature, ...]:
    """The features in the order the form asks for them, each named after its field."""
    return _contract_of(PatientFeatures)


@cache
def _contract_of(features: type) -> tuple[Feature, ...]:
    return tuple(replace(f.metadata["feature"], name=f.name) for f in fields(features))


def feature_named(name: str) -> Feature:
    return next(f for f in contract() if f.name == name)


def patient(**values) -> PatientFeatures:
    """The features from values already checked against the contract (by the form or the API schema)."""
    return PatientFeatures(**values)


def unpaired(values: Mapping[str, object]) -> tuple[tuple[Feature, Phrase], ...]:
    """The features missing beside their given pair, each with the pair's message (both or neither)."""
    by_name = {f.name: f for f in contract()}
    gaps = []
    for f in by_name.values():
        if f.paired_with and (values.get(f.name) is None) != (values.get(f.paired_with) is None):
            gap = f if values.get(f.name) is None else by_name[f.paired_with]
            gaps.append((gap, f.unpaired))
    return tuple(gaps)
