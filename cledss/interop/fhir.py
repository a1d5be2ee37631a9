"""The published evidence as a FHIR R5 Bundle: a Citation per source, an Evidence per finding.

Pure: it reads an ``EvidenceSnapshot`` and returns plain JSON values, so it can be tested
without Django. Numbers are copied from the findings as reported; nothing is derived here
(a Wilson interval or a percentage from counts is cledss's own work, not the source's, and
stays out of the export).

Terminology (HL7 terminology, http://terminology.hl7.org), checked against published value
sets before use:
- statistic-type: C44256 Proportion, C16932 Odds Ratio, C93152 Relative Risk, C28007 Median,
  C53319 Mean, descriptive (C93150 is the Hazard Ratio, not the odds ratio);
- attribute-estimate-type: C53324 Confidence interval, C38013 Range;
- certainty-type: Overall; certainty-rating: high, moderate, low, very-low (GRADE). A guideline's
  expert consensus and a label's regulatory facts are not GRADE ratings: they carry no rating
  code, only a description saying what they are;
- variable-role: population, measuredVariable.

Fields that FHIR R5 types as ``markdown`` carry curated text escaped (``markdown.escape``), as the
CDS Hooks cards do: a receiving system renders them, and curated text is text.
"""

import hashlib
import re
import uuid
from decimal import Decimal

from cledss.clinical.body_of_evidence import (
    Certainty,
    EstimateKind,
    EvidenceSnapshot,
    Interval,
    Measure,
    ReportedFinding,
    Source,
)
from cledss.evidence import evidence_fields

from . import markdown
from .label import LABEL

TERMINOLOGY = "http://terminology.hl7.org/CodeSystem"
UCUM = "http://unitsofmeasure.org"
PUBMED = "https://pubmed.ncbi.nlm.nih.gov"
DOI = "https://doi.org"
# cledss's own identifiers are URNs: they name things without pretending to be resolvable URLs.
IDENTIFIER_SYSTEM = "urn:cledss:fhir"
VERSION_TAG_SYSTEM = "urn:cledss:evidence-version"
LABEL_TAG_SYSTEM = "urn:cledss:label"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:cledss:fhir")

_STATISTIC_TYPES = {
    Measure.PROPORTION: ("C44256", "Proportion"),
    Measure.ODDS_RATIO: ("C16932", "Odds Ratio"),
    Measure.RELATIVE_RISK: ("C93152", "Relative Risk"),
}
_DURATION_TYPES = {
    EstimateKind.MEDIAN: ("C28007", "Median"),
    EstimateKind.MEAN: ("C53319", "Mean"),
}
_UCUM_UNITS = {"days": "d", "weeks": "wk", "months": "mo", "years": "a"}
_CERTAINTY = {
    Certainty.HIGH: ("high", "High quality"),
    Certainty.MODERATE: ("moderate", "Moderate quality"),
    Certainty.LOW: ("low", "Low quality"),
    Certainty.VERY_LOW: ("very-low", "Very low quality"),
}
_NOT_GRADED = {
    Certainty.CONSENSUS: "Expert consensus (guideline), not a GRADE rating",
    Certainty.REGULATORY: "Regulatory (drug label or risk programme), not a GRADE rating",
}


def version_id(snapshot: EvidenceSnapshot) -> str:
    """The evidence version as a FHIR id (letters, digits, "-" and "."): "v3 (sha 1a2b)" -> "v3-sha-1a2b"."""
    return re.sub(r"[^A-Za-z0-9.]+", "-", snapshot.version).strip("-")


def evidence_bundle(snapshot: EvidenceSnapshot) -> dict:
    """A ``collection`` Bundle of the snapshot, its version in ``meta``; stable for a given version."""
    entries = []
    for source in snapshot.sources:
        entries.append(_entry(citation(source)))
        entries.extend(_entry(evidence(f)) for f in snapshot.findings if f.source == source)
    bundle = {
        "resourceType": "Bundle",
        "id": "evidence",
        "meta": {
            "versionId": version_id(snapshot),
            "tag": [
                {"system": VERSION_TAG_SYSTEM, "code": version_id(snapshot), "display": snapshot.version},
                {"system": LABEL_TAG_SYSTEM, "code": "informational", "display": LABEL},
            ],
        },
        "identifier": {"system": IDENTIFIER_SYSTEM, "value": "evidence"},
        "type": "collection",
    }
    if entries:  # FHIR JSON allows no empty arrays
        bundle["entry"] = entries
    return bundle


def citation(source: Source) -> dict:
    identifiers = []
    if source.pmid:
        identifiers.append({"system": PUBMED, "value": source.pmid})
    if source.doi:
        identifiers.append({"system": DOI, "value": source.doi})
    locations = [{"url": u} for u in (source.pubmed_url, source.doi_url, source.url) if u]
    artifact = {"identifier": identifiers} if identifiers else {}
    if source.title:
        artifact["title"] = [{"text": markdown.escape(source.title)}]
    if locations:
        artifact["webLocation"] = locations
    resource = {
        "resourceType": "Citation",
        "id": _citation_id(source),
        "identifier": [{"system": f"{IDENTIFIER_SYSTEM}:source", "value": source.key}],
        "title": source.short,
        "status": "active",
        "description": markdown.escape(source.design),
        "summary": [{"text": markdown.escape(source.citation)}],
    }
    if artifact:
        resource["citedArtifact"] = artifact
    return resource


def evidence(finding: ReportedFinding) -> dict:
    source = finding.source
    # The measured variable as its source names it (cerebral ischaemic events are not thromboembolic events),
    # in English as the rest of the export is.
    outcome = finding.outcome.label.message
    measured = outcome if finding.subtype is None else f"{outcome} ({finding.subtype.label.message})"
    resource = {
        "resourceType": "Evidence",
        "id": _evidence_id(finding),
        "identifier": [{"system": f"{IDENTIFIER_SYSTEM}:finding", "value": f"{source.key}/{finding.key}"}],
        "title": f"{source.short}: {measured}",
        "citeAsReference": {"reference": _full_url(_citation_id(source), "Citation"), "display": source.short},
        "status": "active",
        "description": markdown.escape(finding.statement),
        "variableDefinition": [
            {"description": markdown.escape(source.population or source.design), "variableRole": _role("population")},
            {"description": markdown.escape(measured), "variableRole": _role("measuredVariable")},
        ],
        "certainty": [_certainty(finding)],
    }
    # The fields declared as notes, such as what the source printed that does not add up (4/24 printed as 27%),
    # so a receiver reads the figure as we do.
    notes = [{"text": markdown.escape(text)} for f in evidence_fields.FINDING if f.fhir_note if (text := getattr(finding, f.name))]
    if notes:
        resource["note"] = notes
    statistic = _statistic(finding)
    if statistic:
        resource["statistic"] = [statistic]
    return resource


def _certainty(finding: ReportedFinding) -> dict:
    certainty = {"type": {"coding": [{"system": f"{TERMINOLOGY}/certainty-type", "code": "Overall", "display": "Overall certainty"}]}}
    if finding.certainty.is_grade:
        certainty["rating"] = {"coding": [_coding("certainty-rating", *_CERTAINTY[finding.certainty])]}
        if finding.certainty_reason:
            certainty["description"] = markdown.escape(finding.certainty_reason)
    else:
        kind = _NOT_GRADED[finding.certainty]
        described = f"{kind}. {finding.certainty_reason}".strip() if finding.certainty_reason else kind
        certainty["description"] = markdown.escape(described)
    return certainty


def _statistic(finding: ReportedFinding) -> dict | None:
    if finding.measure == Measure.NARRATIVE:
        return None
    statistic: dict = {"description": markdown.escape(str(finding.figure))}
    if finding.comparator:
        statistic["modelCharacteristic"] = [{"code": {"text": f"compared against {finding.comparator}"}}]
    if finding.measure == Measure.DURATION:
        code = _DURATION_TYPES.get(finding.estimate_kind)
        statistic["statisticType"] = (
            {"coding": [_coding("statistic-type", *code)]} if code else {"coding": [_coding("statistic-type", "descriptive", "Descriptive")]}
        )
    else:
        statistic["statisticType"] = {"coding": [_coding("statistic-type", *_STATISTIC_TYPES[finding.measure])]}
    unit = _unit(finding)
    if finding.estimate is not None:
        statistic["quantity"] = {"value": _value(finding.estimate), **unit}
    if finding.numerator is not None:
        statistic["numberOfEvents"] = finding.numerator
    if finding.denominator is not None:
        statistic["sampleSize"] = {"numberOfParticipants": finding.denominator}
    if finding.interval != Interval.NONE and finding.lower is not None and finding.upper is not None:
        estimate = (
            {"type": {"coding": [_coding("attribute-estimate-type", "C53324", "Confidence interval")]}, "level": 0.95}
            if finding.interval == Interval.CI95
            else {"type": {"coding": [_coding("attribute-estimate-type", "C38013", "Range")]}}
        )
        estimate["range"] = {"low": {"value": _value(finding.lower), **unit}, "high": {"value": _value(finding.upper), **unit}}
        statistic["attributeEstimate"] = [estimate]
    return statistic


def _unit(finding: ReportedFinding) -> dict:
    if finding.measure == Measure.PROPORTION:
        return {"unit": "%", "system": UCUM, "code": "%"}
    if finding.measure == Measure.DURATION and finding.unit in _UCUM_UNITS:
        return {"unit": finding.unit, "system": UCUM, "code": _UCUM_UNITS[finding.unit]}
    return {}


def _value(value: Decimal) -> int | float:
    """A JSON number that prints as the source printed it (30, 5.82, 154.63)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _coding(system: str, code: str, display: str) -> dict:
    return {"system": f"{TERMINOLOGY}/{system}", "code": code, "display": display}


def _role(code: str) -> dict:
    return {"coding": [{"system": f"{TERMINOLOGY}/variable-role", "code": code}]}


def _entry(resource: dict) -> dict:
    return {"fullUrl": _full_url(resource["id"], resource["resourceType"]), "resource": resource}


def _full_url(resource_id: str, resource_type: str) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{resource_type}/{resource_id}')}"


def _fhir_id(text: str) -> str:
    """A FHIR id ([A-Za-z0-9-.]{1,64}) that stays the same for the same key."""
    cleaned = re.sub(r"[^A-Za-z0-9.-]", "-", text)
    if len(cleaned) <= 64:
        return cleaned
    return f"{cleaned[:51]}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def _citation_id(source: Source) -> str:
    return _fhir_id(source.key)


def _evidence_id(finding: ReportedFinding) -> str:
    return _fhir_id(f"{finding.source.key}.{finding.key}")
