"""The JSON shape of an Assessment, written once: the API's schemas, which read the core's dataclasses.

The API answers with these schemas and documents them at /api/openapi.json; the PDFs (web/paper.py) take the
same JSON through ``assessment_json`` and ``statement_json``. A finding's fields and their descriptions come
from ``cledss.evidence.evidence_fields``. The schemas only copy what ``assess`` decided; they compute no
clinical figure of their own. Decimals travel as strings exactly as reported (``number`` drops padding zeros
only), and worded text in the active language.
"""

import functools
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal
from urllib.parse import urlencode

from django.utils.translation import get_language
from ninja import Field, Schema
from pydantic import BeforeValidator, PlainSerializer, WrapValidator, create_model

from cledss.clinical.assess import Assessment, Statement
from cledss.clinical.body_of_evidence import Certainty, ReportedFinding
from cledss.clinical.features import Feature, Kind, PatientFeatures, contract
from cledss.clinical.stats import number
from cledss.evidence import evidence_fields


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


# Worded text (a Phrase) as its words in the active language; a decimal as the source wrote it.
Text = Annotated[str, BeforeValidator(str)]
DecimalText = Annotated[str | None, BeforeValidator(_decimal)]


def _echo_type(feature: Feature) -> type:
    plain = str if feature.value_type is Decimal else feature.value_type
    return plain | None if feature.optional else plain


def inputs_schema() -> type[Schema]:
    """The inputs an answer echoes, as ``features_json`` writes them (decimals as strings)."""
    return create_model("InputsOut", __base__=Schema, **{f.name: (_echo_type(f), ...) for f in contract()})


InputsOut = inputs_schema()


class _WorkedOut(Schema):
    # The values of a finding that no curator enters (evidence_fields.FINDING's worked-out entries).
    @staticmethod
    def resolve_figure(finding: ReportedFinding) -> str:
        return str(finding.figure)

    @staticmethod
    def resolve_source_key(finding: ReportedFinding) -> str:
        return finding.source.key


def _api_type(name: str) -> type:
    """The JSON type of a finding's field: as ``ReportedFinding`` holds it, decimals as strings; worked-out values as text."""
    kind = ReportedFinding.__dataclass_fields__[name].type if name in ReportedFinding.__dataclass_fields__ else str
    return DecimalText if kind == Decimal | None else kind


def finding_schema() -> type[Schema]:
    """A finding as the API shows it: the fields evidence_fields.FINDING gives a description for the API, in its order."""
    shown = [f for f in evidence_fields.FINDING if f.api is not None]
    return create_model(
        "FindingOut",
        __base__=_WorkedOut,
        **{f.name: (_api_type(f.name), Field(..., description=f.api or None)) for f in shown},
    )


FindingOut = finding_schema()


# A finding reads the same for every patient it is shown to, so each is written once per language and reused:
# validating it afresh in every statement and cohort row was most of an assessment's JSON time. The schema
# stays FindingOut's, for the OpenAPI document.
@functools.lru_cache(maxsize=4096)
def _finding_json(finding: ReportedFinding, language: str | None) -> dict:
    return FindingOut.model_validate(finding).model_dump(mode="json")


Findings = Annotated[
    list[FindingOut],
    WrapValidator(lambda findings, _schema: [_finding_json(f, get_language()) for f in findings]),
    PlainSerializer(lambda findings: findings),
]


class StatementOut(Schema):
    text: str
    tone: Literal["info", "warning", "danger"]
    certainty: Certainty
    findings: Findings
    sources: list[str] = Field(description="Keys into the top-level sources list.")

    @staticmethod
    def resolve_sources(statement: Statement) -> list[str]:
        return [s.key for s in statement.sources]


class ConflictOut(Schema):
    question: Text = Field(description="The risk factor the studies disagree on.")
    found_association: list[StatementOut]
    found_no_association: list[StatementOut]

    @staticmethod
    def resolve_found_association(conflict) -> tuple:
        return conflict.found

    @staticmethod
    def resolve_found_no_association(conflict) -> tuple:
        return conflict.not_found


class ApplicabilityOut(Schema):
    fit: Literal["inside", "uncertain", "outside", "unknown"]
    headline: Text
    statements: list[StatementOut]
    refractoriness: list[StatementOut] = Field(description="Why antimalarials fail, as studies report it.")


class KeyPointLineOut(Schema):
    text: str
    certainty: Certainty | None = Field(description="None for the fit, which compares features and grades no evidence.")
    sources: list[str]


class KeyPointOut(Schema):
    topic: Text
    section: str = Field(description="The key of the section (or 'applicability') that gives the details.")
    points: list[KeyPointLineOut]

    @staticmethod
    def resolve_section(point) -> str:
        return point.anchor

    @staticmethod
    def resolve_points(point) -> list[dict]:
        return [
            {"text": str(s.summary), "certainty": s.certainty if point.graded else None, "sources": [x.key for x in s.sources]}
            for s in point.statements
        ]


class CohortOut(Schema):
    source_key: str
    size: int | None
    includes_subtype: bool = Field(description="Whether the cohort reported on this patient's subtype.")
    response: Findings
    complete_response: Findings
    partial_response: Findings
    relapse: Findings
    neuropathy: Findings
    adverse_events: Findings = Field(
        description="Stopping for adverse effects and vascular events, each finding's outcome as its source names it."
    )

    @staticmethod
    def resolve_source_key(row) -> str:
        return row.source.key

    @staticmethod
    def resolve_size(row) -> int | None:
        return row.source.size


class SectionOut(Schema):
    key: str
    title: Text
    statements: list[StatementOut]
    conflicts: list[ConflictOut] = Field(description="Studies that disagree, side by side; cledss does not resolve them.")


class SourceOut(Schema):
    key: str
    short: str
    title: str
    citation: str
    year: int | None
    size: int | None
    pmid: str
    doi: str
    url: str
    design: str
    certainty: Certainty
    pubmed_url: str
    doi_url: str


class AssessmentOut(Schema):
    label: Literal["Informational, not a prescribing tool"]
    intended_use: Text = Field(description="What cledss is for and its limits.")
    evidence_version: str
    inputs: InputsOut
    applicability: ApplicabilityOut
    key_points: list[KeyPointOut] = Field(description="The answer at a glance: short forms of statements below.")
    sections: list[SectionOut]
    cohorts: list[CohortOut] = Field(description="Every thalidomide cohort in CLE, then the meta-analysis.")
    sources: list[SourceOut]

    @staticmethod
    def resolve_label(assessment: Assessment) -> str:
        return assessment.label.message

    @staticmethod
    def resolve_inputs(assessment: Assessment) -> dict:
        return features_json(assessment.features)


def assessment_json(assessment: Assessment) -> dict:
    return AssessmentOut.model_validate(assessment).model_dump(mode="json")


def statement_json(statement: Statement) -> dict:
    return StatementOut.model_validate(statement).model_dump(mode="json")
