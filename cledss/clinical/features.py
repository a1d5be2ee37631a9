"""What the clinician tells cledss about a patient: clinical features only, never identity."""

from dataclasses import dataclass
from enum import StrEnum


class Subtype(StrEnum):
    ACLE = "acle"
    SCLE = "scle"
    DLE = "dle"
    PROFUNDUS = "profundus"
    TUMIDUS = "tumidus"
    CHILBLAIN = "chilblain"
    OTHER = "other"

    @property
    def label(self) -> str:
        return SUBTYPE_LABELS[self]


SUBTYPE_LABELS = {
    Subtype.ACLE: "Acute CLE (ACLE)",
    Subtype.SCLE: "Subacute CLE (SCLE)",
    Subtype.DLE: "Discoid LE (DLE)",
    Subtype.PROFUNDUS: "LE profundus / panniculitis",
    Subtype.TUMIDUS: "LE tumidus",
    Subtype.CHILBLAIN: "Chilblain LE",
    Subtype.OTHER: "Other or mixed CLE",
}


class AntimalarialStatus(StrEnum):
    REFRACTORY = "refractory"
    INTOLERANT = "intolerant"
    NOT_TRIED = "not_tried"
    RESPONDING = "responding"

    @property
    def label(self) -> str:
        return ANTIMALARIAL_LABELS[self]


ANTIMALARIAL_LABELS = {
    AntimalarialStatus.REFRACTORY: "Refractory after an adequate trial",
    AntimalarialStatus.INTOLERANT: "Intolerant or contraindicated",
    AntimalarialStatus.NOT_TRIED: "Not yet tried",
    AntimalarialStatus.RESPONDING: "Responding",
}


@dataclass(frozen=True)
class PatientFeatures:
    subtype: Subtype
    antimalarial_status: AntimalarialStatus
    can_become_pregnant: bool = False
    neuropathy: bool = False
    smoker: bool = False
    thrombosis_risk: bool = False
