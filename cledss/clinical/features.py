"""What the clinician tells cledss about a patient: clinical features only, never identity."""

from dataclasses import dataclass
from enum import StrEnum

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


@dataclass(frozen=True)
class PatientFeatures:
    """The clinician's form always gives subtype and antimalarial status; an EHR record may not,
    and then they are None (unknown): the safety evidence is still reported, the efficacy is not."""

    subtype: Subtype | None
    antimalarial_status: AntimalarialStatus | None
    can_become_pregnant: bool = False
    neuropathy: bool = False
    smoker: bool = False
    thrombosis_risk: bool = False
