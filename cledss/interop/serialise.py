"""One plain-JSON rendering of an Assessment, shared by the API and the CDS Hooks cards.

It only copies what ``assess`` decided; it computes no clinical figure of its own.
Decimals travel as strings exactly as reported (``number`` drops padding zeros only).
"""

from decimal import Decimal
from enum import Enum
from urllib.parse import urlencode

from cledss.clinical.assess import Assessment, CohortRow, Conflict, KeyPoint, Section, Statement
from cledss.clinical.body_of_evidence import ReportedFinding, Source
from cledss.clinical.features import Kind, PatientFeatures, contract
from cledss.clinical.stats import number


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else number(value)


def _plain(value):
    """A feature's value as JSON and query strings carry it: members by their code, decimals as written."""
    if isinstance(value, Enum):
        return value.value
    return number(value) if isinstance(value, Decimal) else value


def features_json(features: PatientFeatures) -> dict:
    """Every feature of the contract, an unknown one as null."""
    return {f.name: _plain(getattr(features, f.name)) for f in contract()}


def result_query(features: PatientFeatures) -> str:
    """The result page's query string for these features, as the form would send it: known values only."""
    params = {}
    for feature in contract():
        value = getattr(features, feature.name)
        if feature.kind == Kind.FLAG:
            value = "on" if value else None
        if value is not None:
            params[feature.name] = _plain(value)
    return urlencode(params)


def finding_json(finding: ReportedFinding) -> dict:
    return {
        "key": finding.key,
        "outcome": finding.outcome.value,
        "figure": str(finding.figure),
        "statement": finding.statement,
        "curator_note": finding.curator_note,
        "numerator": finding.numerator,
        "denominator": finding.denominator,
        "estimate": _decimal(finding.estimate),
        "lower": _decimal(finding.lower),
        "upper": _decimal(finding.upper),
        "interval": finding.interval.value,
        "comparator": finding.comparator,
        "nerve_testing": finding.nerve_testing.value,
        "certainty": finding.certainty.value,
        "certainty_reason": finding.certainty_reason,
        "source_key": finding.source.key,
    }


def statement_json(statement: Statement) -> dict:
    return {
        "text": statement.text,
        "tone": statement.tone.value,
        "certainty": statement.certainty.value,
        "findings": [finding_json(f) for f in statement.findings],
        "sources": [s.key for s in statement.sources],
    }


def source_json(source: Source) -> dict:
    return {
        "key": source.key,
        "short": source.short,
        "title": source.title,
        "citation": source.citation,
        "year": source.year,
        "size": source.size,
        "pmid": source.pmid,
        "doi": source.doi,
        "url": source.url,
        "design": source.design,
        "certainty": source.certainty.value,
        "pubmed_url": source.pubmed_url,
        "doi_url": source.doi_url,
    }


def conflict_json(conflict: Conflict) -> dict:
    return {
        "question": str(conflict.question),
        "found_association": [statement_json(s) for s in conflict.found],
        "found_no_association": [statement_json(s) for s in conflict.not_found],
    }


def key_point_json(point: KeyPoint) -> dict:
    return {
        "topic": str(point.topic),
        "section": point.anchor,
        "points": [
            {"text": str(s.summary), "certainty": s.certainty.value if point.graded else None, "sources": [x.key for x in s.sources]}
            for s in point.statements
        ],
    }


def cohort_json(row: CohortRow) -> dict:
    cells = ("response", "complete_response", "partial_response", "relapse", "neuropathy", "adverse_events")
    return {
        "source_key": row.source.key,
        "size": row.source.size,
        "includes_subtype": row.includes_subtype,
        **{name: [finding_json(f) for f in getattr(row, name)] for name in cells},
    }


def section_json(section: Section) -> dict:
    return {
        "key": section.key,
        "title": str(section.title),
        "statements": [statement_json(s) for s in section.statements],
        "conflicts": [conflict_json(c) for c in section.conflicts],
    }


def assessment_json(assessment: Assessment) -> dict:
    return {
        "label": assessment.label.message,
        "intended_use": str(assessment.intended_use),
        "evidence_version": assessment.evidence_version,
        "inputs": features_json(assessment.features),
        "applicability": {
            "fit": assessment.applicability.fit.value,
            "headline": str(assessment.applicability.headline),
            "statements": [statement_json(s) for s in assessment.applicability.statements],
            "refractoriness": [statement_json(s) for s in assessment.applicability.refractoriness],
        },
        "key_points": [key_point_json(p) for p in assessment.key_points],
        "sections": [section_json(section) for section in assessment.sections],
        "cohorts": [cohort_json(row) for row in assessment.cohorts],
        "sources": [source_json(s) for s in assessment.sources],
    }
