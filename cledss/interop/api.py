"""The JSON API: the same inputs as the form, the same assessment as the page.

django-ninja generates the OpenAPI 3 schema at /api/openapi.json from the schemas below.
The interactive docs page is switched off because ninja's loads Swagger UI from a CDN,
and cledss serves nothing from outside.
"""

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError

from cledss.assessment.forms import REPEATED
from cledss.clinical.assess import LABEL as LABEL_PHRASE
from cledss.clinical.assess import assess
from cledss.clinical.evidence import Certainty, Interval, Outcome
from cledss.clinical.features import AntimalarialStatus, PatientFeatures, Subtype
from cledss.evidence.snapshot import published_snapshot

from .serialise import assessment_json

# Machine answers are always in English, the language their consumers parse.
LABEL = LABEL_PHRASE.message

LABEL_HEADER = "X-Cledss-Label"

api = NinjaAPI(
    title="cledss API",
    version="1",
    description=f"{LABEL}. The evidence on low-dose thalidomide for refractory cutaneous lupus erythematosus, "
    "for one patient's clinical features. Nothing is stored.",
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


class AssessmentQuery(Schema):
    """The form's fields: clinical features only, never an identifier."""

    subtype: Subtype = Field(description="CLE subtype.")
    antimalarial_status: AntimalarialStatus = Field(description="How the CLE has responded to antimalarials.")
    can_become_pregnant: bool = False
    neuropathy: bool = Field(False, description="Has peripheral neuropathy already.")
    smoker: bool = False
    thrombosis_risk: bool = Field(False, description="Has had a thrombosis, or has antiphospholipid antibodies.")

    def features(self) -> PatientFeatures:
        return PatientFeatures(**self.dict())


class FindingOut(Schema):
    key: str
    outcome: Outcome
    figure: str = Field(description="The finding's numbers in one phrase, as reported.")
    statement: str = Field(description="What the source found, in the curators' words.")
    curator_note: str = Field(description="What the source printed that does not add up, kept as printed.")
    numerator: int | None
    denominator: int | None
    estimate: str | None = Field(description="As reported, a decimal written as a string.")
    lower: str | None
    upper: str | None
    interval: Interval
    comparator: str = Field(description="What a ratio compares against; empty for other figures.")
    certainty: Certainty = Field(description="A GRADE level, or 'consensus' (a guideline) or 'regulatory' (the label).")
    certainty_reason: str
    source_key: str


class StatementOut(Schema):
    text: str
    tone: Literal["info", "warning", "danger"]
    certainty: Certainty
    findings: list[FindingOut]
    sources: list[str] = Field(description="Keys into the top-level sources list.")


class ConflictOut(Schema):
    question: str = Field(description="The risk factor the studies disagree on.")
    found_association: list[StatementOut]
    found_no_association: list[StatementOut]


class ApplicabilityOut(Schema):
    fit: Literal["inside", "uncertain", "outside", "unknown"]
    headline: str
    statements: list[StatementOut]
    refractoriness: list[StatementOut] = Field(description="Why antimalarials fail, as studies report it.")


class KeyPointLineOut(Schema):
    text: str
    certainty: Certainty
    sources: list[str]


class KeyPointOut(Schema):
    topic: str
    section: str = Field(description="The key of the section (or 'applicability') that gives the details.")
    points: list[KeyPointLineOut]


class CohortOut(Schema):
    source_key: str
    size: int | None
    includes_subtype: bool = Field(description="Whether the cohort reported on this patient's subtype.")
    response: list[FindingOut]
    complete_response: list[FindingOut]
    partial_response: list[FindingOut]
    relapse: list[FindingOut]
    neuropathy: list[FindingOut]


class SectionOut(Schema):
    key: str
    title: str
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


class InputsOut(Schema):
    subtype: Subtype
    antimalarial_status: AntimalarialStatus
    can_become_pregnant: bool
    neuropathy: bool
    smoker: bool
    thrombosis_risk: bool


class AssessmentOut(Schema):
    label: Literal["Informational, not a prescribing tool"]
    intended_use: str = Field(description="What cledss is for and its limits.")
    evidence_version: str
    inputs: InputsOut
    applicability: ApplicabilityOut
    key_points: list[KeyPointOut] = Field(description="The answer at a glance: short forms of statements below.")
    sections: list[SectionOut]
    cohorts: list[CohortOut] = Field(description="Every thalidomide cohort in CLE, then the meta-analysis.")
    sources: list[SourceOut]


class ErrorOut(Schema):
    label: Literal["Informational, not a prescribing tool"]
    error: str
    detail: list[dict] = Field(description="One entry per rejected field, as the validator reported it.")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Echoing the rejected values back would only repeat what the caller sent; the
    # field locations and messages are what a machine needs to correct the request.
    detail = [{"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in exc.errors]
    response = api.create_response(request, {"label": LABEL, "error": "invalid_input", "detail": detail}, status=422)
    response[LABEL_HEADER] = LABEL
    return response


@api.get(
    "/assessment",
    response={200: AssessmentOut, 422: ErrorOut},
    summary="What the published evidence says for one patient",
    operation_id="assessment",
)
def assessment(request: HttpRequest, response: HttpResponse, inputs: Query[AssessmentQuery]):
    # Like the form, refuse a repeated field rather than silently keep one of its values.
    repeated = [name for name, values in request.GET.lists() if len(values) > 1 and name in AssessmentQuery.model_fields]
    if repeated:
        raise ValidationError([{"loc": ["query", name], "msg": str(REPEATED), "type": "repeated"} for name in repeated])
    response[LABEL_HEADER] = LABEL
    return assessment_json(assess(inputs.features(), published_snapshot()))
