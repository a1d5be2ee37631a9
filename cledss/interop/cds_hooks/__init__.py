"""A CDS Hooks 2.0 service (HL7 CDS Hooks specification): patient-view and order-select.

Four rooms: ``views`` (HTTP and request checks), ``trust`` (the EHR's signed JWT, replay refused),
``clients`` (which EHRs are registered, from the environment) and ``cards`` (pure card building from
what ``fhir_reading`` read, the published evidence and the links back into cledss). ``services``
names the two services and what they ask the EHR to prefetch.
"""
