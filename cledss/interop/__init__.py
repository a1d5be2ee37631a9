"""Machine renderings of the same assessment and evidence: JSON API, CDS Hooks, FHIR export."""
