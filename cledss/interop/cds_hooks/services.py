"""The two CDS services cledss offers and the FHIR data each asks the EHR to prefetch."""

from dataclasses import dataclass

from ..fhir_reading import OBSERVATION_CODES
from ..label import LABEL

PREFETCH = {
    "conditions": "Condition?patient={{context.patientId}}",
    # Only the codes cledss reads: smoking status, pregnancy status and pregnancy intention.
    "observations": "Observation?patient={{context.patientId}}&code="
    + ",".join(f"{system}|{code}" for system, code in OBSERVATION_CODES),
    # US Core profiles MedicationRequest; MedicationStatement is kept for records that use it.
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
    )
}
