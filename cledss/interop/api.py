"""The JSON API: the same inputs as the form, the same assessment as the page.

Its query parameters and the inputs it echoes are built from the feature contract
(``cledss.clinical.features``), as the form's fields are, so both accept the same values.

django-ninja generates the OpenAPI 3 schema at /api/openapi.json from the schemas below and the answer's,
which are the one definition of its JSON (``serialise``).
The interactive docs page is switched off because ninja's loads Swagger UI from a CDN,
and cledss serves nothing from outside.
"""

from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import ValidationError
from pydantic import create_model
from pydantic.fields import FieldInfo

from cledss import answer_cache
from cledss.clinical.assess import assess
from cledss.clinical.features import REPEATED, Feature, Kind, PatientFeatures, contract, patient, unpaired
from cledss.evidence.snapshot import snapshot_or_last_confirmed
from cledss.failures import database_unavailable

from .label import LABEL, LABEL_HEADER
from .serialise import AssessmentOut, assessment_json

# During a database outage, when the evidence of a kept answer was last confirmed as published.
EVIDENCE_CONFIRMED_HEADER = "X-Cledss-Evidence-Confirmed"

api = NinjaAPI(
    title="cledss API",
    version="1",
    description=f"{LABEL}. The evidence on low-dose thalidomide for refractory cutaneous lupus erythematosus, "
    "for one patient's clinical features. Nothing is stored.",
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)


class PatientQuery(Schema):
    """The form's fields, built from the feature contract: clinical features only, never an identifier."""

    def features(self) -> PatientFeatures:
        return patient(**self.dict())


def query_schema() -> type[PatientQuery]:
    """The query parameters: one per feature of the contract, with its type, bounds and description."""
    return create_model("AssessmentQuery", __base__=PatientQuery, **{f.name: _query_field(f) for f in contract()})


def _query_field(feature: Feature) -> tuple[type, FieldInfo]:
    default = None if feature.optional else (False if feature.kind == Kind.FLAG else ...)
    annotation = feature.value_type | None if feature.optional else feature.value_type
    return annotation, Field(default, description=_description(feature), **_limits(feature))


def _limits(feature: Feature) -> dict:
    if feature.kind != Kind.NUMBER:
        return {}
    limits = {"ge": _bound(feature.minimum), "le": _bound(feature.maximum)}
    return limits | ({"decimal_places": feature.places, "allow_inf_nan": False} if feature.places else {})


def _bound(value: Decimal) -> int | float:
    """A bound as JSON Schema writes it; pydantic still compares a decimal with it exactly (0.01 admits 0.01)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _description(feature: Feature) -> str:
    unit = f", in {feature.unit.message}" if feature.unit else ""
    return f"{feature.label.message}{unit}." + (f" {feature.help.message}" if feature.help else "")


AssessmentQuery = query_schema()


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
    response["Cache-Control"] = "no-store"
    return response


@api.get(
    "/assessment",
    response={200: AssessmentOut, 422: ErrorOut},
    summary="What the published evidence says for one patient",
    operation_id="assessment",
)
def assessment(request: HttpRequest, response: HttpResponse, inputs: Query[AssessmentQuery]):
    # Like the form, refuse a repeated field rather than silently keep one of its values, and a value given
    # without its pair.
    refused = [
        {"loc": ["query", name], "msg": str(REPEATED), "type": "repeated"}
        for name, values in request.GET.lists()
        if len(values) > 1 and name in AssessmentQuery.model_fields
    ]
    refused += [
        {"loc": ["query", feature.name], "msg": str(message), "type": "unpaired"}
        for feature, message in unpaired(inputs.dict())
    ]
    # An identifier an EHR appended (mrn=...) is refused, not ignored, so the caller learns to leave it out.
    refused += [
        {"loc": ["query", name], "msg": "Not a parameter of this API: only the patient's clinical features are taken.", "type": "unknown"}
        for name in request.GET
        if name not in AssessmentQuery.model_fields
    ]
    if refused:
        raise ValidationError(refused)
    response[LABEL_HEADER] = LABEL
    # The URL holds the patient's features: no browser or proxy keeps the answer.
    response["Cache-Control"] = "no-store"
    snapshot, confirmed = snapshot_or_last_confirmed()
    key = ("api", snapshot.version, request.get_full_path())
    # Validating and encoding the answer costs several times the assessment itself, and the answer is a
    # pure function of the query and the evidence version: it is made once, as ninja would make it, and kept.
    answer = answer_cache.recall(key)
    if answer is None and confirmed is not None:
        # While the database is unreachable only answers already made are served: a machine reads no note.
        return database_unavailable(request)
    if confirmed is not None:
        response[EVIDENCE_CONFIRMED_HEADER] = confirmed.isoformat()
    if answer is None:
        made = assessment_json(assess(inputs.features(), snapshot))
        answer = answer_cache.keep(key, api.renderer.render(request, made, response_status=200))
    response.content = answer
    return response
