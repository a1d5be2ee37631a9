"""The three CDS services cledss offers (a chart opened, thalidomide selected, an order about to be signed) and the
FHIR data each asks the EHR to prefetch."""

from dataclasses import dataclass

from ..fhir_reading import OBSERVATION_CODES
from ..label import LABEL

PREFETCH = {
    "conditions": "Condition?patient={{context.patientId}}",
    # Only the codes cledss reads: smoking status, pregnancy status and pregnancy intention.
    "observations": "Observation?patient={{context.patientId}}&code="
    + ",".join(f"{system}|{code}" for system, code in OBSERVATION_CODES),
    # The antimalarials tried and the thalidomide being taken. US Core profiles MedicationRequest;
    # MedicationStatement is kept for records that use it.
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}",
    "medications": "MedicationStatement?patient={{context.patientId}}",
}


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str
    # Prefetch keys without which this service cannot answer: cledss never queries the EHR itself, so
    # their absence is answered with 412 Precondition Failed, as the specification requires.
    required: tuple[str, ...] = ()

    def discovery(self) -> dict:
        return {"hook": self.hook, "id": self.id, "title": self.title, "description": self.description, "prefetch": PREFETCH}


SERVICES = {
    s.id: s
    for s in (
        Service(
            "cledss-thalidomide-patient-view",
            "patient-view",
            "cledss: thalidomide evidence for cutaneous lupus",
            f"For a patient with a coded CLE subtype: what the published evidence says about low-dose thalidomide "
            f"for refractory CLE, with its sources and certainty. {LABEL}.",
            # Without the conditions cledss cannot tell whether the patient has CLE at all.
            required=("conditions",),
        ),
        Service(
            "cledss-thalidomide-order-select",
            "order-select",
            "cledss: thalidomide order for cutaneous lupus",
            f"When thalidomide is selected for a patient with CLE: the evidence on response, relapse and safety "
            f"(pregnancy prevention, neuropathy, thrombosis), with sources and certainty. {LABEL}.",
            # None: the selected order is in the context, and the safety card goes out whatever the record lacks.
        ),
        Service(
            "cledss-thalidomide-order-sign",
            "order-sign",
            "cledss: thalidomide order about to be signed, for cutaneous lupus",
            f"When an order for thalidomide is about to be signed for a patient with CLE: the label's warnings for "
            f"this patient first (pregnancy prevention, neuropathy, thrombosis), then the evidence, with sources and "
            f"certainty. {LABEL}.",
            # None, as for order-select: the draft orders are in the context.
        ),
    )
}
