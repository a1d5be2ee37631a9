"""A CDS Hooks 2.0 service (HL7 CDS Hooks specification): patient-view, order-select and order-sign.

Its rooms: ``views`` (HTTP and request checks), ``trust`` (the EHR's signed JWT, replay refused),
``clients`` (which EHRs are registered, from the environment), ``rules`` (the one table that decides
which cards go out and how loud), ``cards`` (pure card building from what ``fhir_reading`` read, the
published evidence and the links back into cledss) and ``card_ids`` (card uuids that carry their
card's kind). ``services`` names the three services and what they ask the EHR to prefetch.
"""
