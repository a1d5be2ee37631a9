"""A CDS Hooks 2.0 service (HL7 CDS Hooks specification): patient-view and order-select.

The cards only render the Assessment that ``assess`` returns for the features read from the
request's FHIR resources (``fhir_reading``); they suggest no order and change nothing, as
cledss is informational. cledss never queries the EHR's FHIR server: whatever the request
does not carry in ``prefetch`` is unknown. Nothing about the patient is stored or logged;
only card feedback (card uuid, outcome, coded reason) is kept.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import wraps

from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from cledss.clinical.assess import LABEL as LABEL_PHRASE
from cledss.clinical.assess import Assessment, Fit, Section, Statement, Tone, assess
from cledss.clinical.evidence import Outcome
from cledss.clinical.features import PatientFeatures
from cledss.evidence.snapshot import published_snapshot

from .api import LABEL_HEADER
from .fhir_reading import OrderedDose, Reading, ordered_daily_dose, read_patient, selected_thalidomide
from .models import CardFeedback
from .serialise import result_query

# Machine answers are always in English, the language their consumers parse.
LABEL = LABEL_PHRASE.message

SUMMARY_LIMIT = 140  # the specification's limit for a card summary, in characters
PREFETCH = {
    "conditions": "Condition?patient={{context.patientId}}",
    "observations": "Observation?patient={{context.patientId}}",
    "medications": "MedicationStatement?patient={{context.patientId}}",
}


@dataclass(frozen=True)
class Service:
    id: str
    hook: str
    title: str
    description: str

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
        ),
        Service(
            "cledss-thalidomide-order-select",
            "order-select",
            "cledss: thalidomide order for cutaneous lupus",
            f"When thalidomide is selected for a patient with CLE: the evidence on response, relapse and safety "
            f"(pregnancy prevention, neuropathy, thrombosis), with sources and certainty. {LABEL}.",
        ),
    )
}


# --- views --------------------------------------------------------------------------------


def machine_endpoint(*methods: str) -> Callable:
    """CSRF-exempt JSON endpoint with CORS for browser-based EHR clients and JSON 405s."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method == "OPTIONS":
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = ", ".join((*methods, "OPTIONS"))
                response["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
            elif request.method not in methods:
                response = _error("method_not_allowed", f"Use {' or '.join(methods)}.", 405)
                response["Allow"] = ", ".join((*methods, "OPTIONS"))
            else:
                response = view(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            response[LABEL_HEADER] = LABEL
            return response

        return wrapper

    return decorate


@machine_endpoint("GET")
def discovery(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"services": [s.discovery() for s in SERVICES.values()]})


@machine_endpoint("POST")
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    hook_service = SERVICES.get(service_id)
    if hook_service is None:
        return _error("unknown_service", "No CDS service has this id; GET /cds-services lists them.", 404)
    body, problem = _json_body(request)
    if problem:
        return problem
    problem = _request_problem(body, hook_service)
    if problem:
        return _error("invalid_request", problem, 400)
    if hook_service.hook == "order-select" and not selected_thalidomide(body["context"]):
        return JsonResponse({"cards": []})
    reading = read_patient(body.get("prefetch"))
    if hook_service.hook == "patient-view" and body.get("prefetch") and not reading.lupus_on_record:
        return JsonResponse({"cards": []})
    order = ordered_daily_dose(body["context"]) if hook_service.hook == "order-select" else None
    return JsonResponse({"cards": cards(reading, _Links(request), order)})


@machine_endpoint("POST")
def feedback(request: HttpRequest, service_id: str) -> HttpResponse:
    if service_id not in SERVICES:
        return _error("unknown_service", "No CDS service has this id; GET /cds-services lists them.", 404)
    body, problem = _json_body(request)
    if problem:
        return problem
    items = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return _error("invalid_feedback", "Send {\"feedback\": [{\"card\": uuid, \"outcome\": ...}, ...]}.", 400)
    rows = []
    for item in items:
        row = _feedback_row(item, service_id)
        if isinstance(row, str):
            return _error("invalid_feedback", row, 400)
        rows.append(row)
    with transaction.atomic():
        CardFeedback.objects.bulk_create(rows)
    return JsonResponse({"label": LABEL, "recorded": len(rows)})


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"label": LABEL, "error": code, "message": message}, status=status)


def _json_body(request: HttpRequest):
    try:
        return json.loads(request.body), None
    except RequestDataTooBig:
        return None, _error("too_large", "The request body is too large.", 413)
    except (ValueError, UnicodeDecodeError):
        return None, _error("malformed_json", "The request body is not valid JSON.", 400)


def _request_problem(body, hook_service: Service) -> str:
    if not isinstance(body, dict):
        return "The request must be a JSON object."
    if body.get("hook") != hook_service.hook:
        return f"This service answers the {hook_service.hook} hook."
    if not isinstance(body.get("hookInstance"), str):
        return "hookInstance must be a string."
    context = body.get("context")
    if not isinstance(context, dict) or not isinstance(context.get("patientId"), str):
        return "context must be an object with a patientId."
    if hook_service.hook == "order-select" and not (
        isinstance(context.get("selections"), list) and isinstance(context.get("draftOrders"), dict)
    ):
        return "order-select needs context.selections (a list) and context.draftOrders (a Bundle)."
    if body.get("prefetch") is not None and not isinstance(body["prefetch"], dict):
        return "prefetch must be an object."
    return ""


def _feedback_row(item, service_id: str) -> CardFeedback | str:
    if not isinstance(item, dict):
        return "Each feedback entry must be an object."
    try:
        card = uuid.UUID(str(item.get("card")))
    except ValueError:
        return "card must be the uuid of a card."
    outcome = item.get("outcome")
    if outcome not in CardFeedback.Outcome.values:
        return "outcome must be accepted or overridden."
    reason = item.get("overrideReason")
    code = reason.get("reason", {}).get("code", "") if isinstance(reason, dict) and isinstance(reason.get("reason"), dict) else ""
    # Printable only: JSON may carry a lone surrogate ("\ud800"), which no database encoding can
    # store, or a NUL, which PostgreSQL refuses; either was a 500 before the fuzzing tests found it.
    if not isinstance(code, str) or len(code) > 64 or not code.isprintable():
        return "overrideReason.reason.code must be a short code."
    return CardFeedback(card=card, service=service_id, outcome=outcome, override_reason=code)


# --- cards --------------------------------------------------------------------------------

# The card indicator for the most serious statement a card carries; the core decides the tone.
INDICATORS = {Tone.INFO: "info", Tone.WARNING: "warning", Tone.DANGER: "critical"}


class _Links:
    """Absolute URLs back into cledss for this request's host."""

    def __init__(self, request: HttpRequest):
        self.form = request.build_absolute_uri(reverse("assessment:start"))
        self._result = request.build_absolute_uri(reverse("assessment:result"))

    def result(self, features: PatientFeatures) -> str:
        return f"{self._result}?{result_query(features)}"

    def for_features(self, features: PatientFeatures) -> list[dict]:
        if features.subtype is None or features.antimalarial_status is None:
            return [_link("Enter the CLE subtype and antimalarial history on the cledss form", self.form)]
        return [_link("Full evidence summary", self.result(features))]


def cards(reading: Reading, links: _Links, order: OrderedDose | None = None) -> list[dict]:
    """The safety card first (the label's birth-defect risk leads it, for every patient), then the evidence card.

    On order-select, the ordered daily dose (``order``) is the patient's, so the neuropathy evidence is
    placed for it, or the card says why it could not be read.
    """
    features = reading.features if order is None else replace(reading.features, daily_dose_mg=order.mg)
    assessment = assess(features, published_snapshot())
    safety = _safety_card(assessment, links, order)
    return [card for card in (safety, _evidence_card(assessment, reading, links)) if card]


def _safety_card(assessment: Assessment, links: _Links, order: OrderedDose | None) -> dict | None:
    sections = [section for key in ("safety", "monitoring") if (section := assessment.section(key))]
    statements = [s for section in sections for s in section.all_statements]
    if not statements:
        return None
    first = next((s for s in statements if s.summary), statements[0])
    lines = []
    for section in sections:
        ordered = _ordered_dose_md(section, order) if section.key == "monitoring" else []
        lines += [f"**{section.title}**", "", *ordered, *_section_md(section), ""]
    return _card(
        summary=str(first.summary or first.text),
        detail=lines,
        indicator=INDICATORS[max((s.tone for s in statements), key=lambda tone: tone.rank)],
        assessment=assessment,
        links=links.for_features(assessment.features),
        source_url=links.form,
    )


def _ordered_dose_md(monitoring: Section, order: OrderedDose | None) -> list[str]:
    """What the ordered daily dose places on the neuropathy evidence, or why it could not be read."""
    if order is None:
        return []
    if order.mg is None:
        return [_md(f"cledss could not read a daily dose from the selected thalidomide order. {order.why_unread} "
                    "The daily-dose evidence below is not placed for this order; the cledss form takes a dose."), ""]
    band = [s for s in monitoring.statements if s.summary and Outcome.NEUROPATHY_DAILY_DOSE in {f.outcome for f in s.findings}]
    placed = "; ".join(str(s.summary) for s in band) or f"{order.mg} mg/day."
    return [f"**Ordered daily dose:** {_md(placed)}", ""]


def _evidence_card(assessment: Assessment, reading: Reading, links: _Links) -> dict:
    features = assessment.features
    lines = [_md(str(assessment.applicability.headline)), "", *map(_statement_md, assessment.applicability.statements)]
    for section in assessment.sections:
        if section.key in ("response", "relapse"):
            lines += ["", f"**{section.title}**", "", *_section_md(section)]
    if features.subtype is None:
        summary = "cledss could not read the CLE subtype from the record"
        lines = [_md(f"{reading.why_no_subtype} The efficacy evidence depends on the CLE subtype and on the "
                     "antimalarial history; the cledss form takes both."), "", *lines]
    elif features.antimalarial_status is None:
        summary = f"Thalidomide evidence, {features.subtype.label}: antimalarial history not on record"
        seen = " Hydroxychloroquine is on record, but that does not say whether the CLE resisted it." if (
            reading.hydroxychloroquine_on_record
        ) else ""
        lines = [_md(f"cledss could not read from the record whether this patient's CLE has resisted "
                     f"antimalarials.{seen} The response and relapse figures are shown once the history is given "
                     "on the cledss form."), "", *lines]
    else:
        summary = f"Thalidomide evidence, {features.subtype.label}: {_fit_phrase(assessment.applicability.fit)}"
    return _card(
        summary=summary,
        detail=lines,
        indicator="info",
        assessment=assessment,
        links=links.for_features(features),
        source_url=links.form,
    )


def _card(*, summary: str, detail: list[str], indicator: str, assessment: Assessment, links: list[dict], source_url: str) -> dict:
    footer = f"**{LABEL}.** {_md(str(assessment.intended_use))} Evidence version {assessment.evidence_version}."
    return {
        "uuid": str(uuid.uuid4()),
        "summary": _short(summary),
        "detail": "\n".join(detail).strip() + "\n\n" + footer,
        "indicator": indicator,
        "source": {"label": f"cledss ({LABEL.lower()})", "url": source_url},
        "links": links,
    }


def _fit_phrase(fit: Fit) -> str:
    return {
        Fit.INSIDE: "matches the study population",
        Fit.UNCERTAIN: "partly matches the study population",
        Fit.OUTSIDE: "outside the study population",
        Fit.UNKNOWN: "fit to the study population unknown",
    }[fit]


def _section_md(section: Section) -> list[str]:
    lines = list(map(_statement_md, section.statements))
    for conflict in section.conflicts:
        lines.append(f"- *Conflicting evidence, {_md(str(conflict.question).lower())}; cledss shows both sides:*")
        lines += [f"  - Found an association: {_statement_md(s)[2:]}" for s in conflict.found]
        lines += [f"  - Found no association: {_statement_md(s)[2:]}" for s in conflict.not_found]
    return lines


def _statement_md(statement: Statement) -> str:
    figures = [f"{f.figure} ({f.source.short})" for f in statement.findings if f.figure and str(f.figure) not in statement.text]
    sources = "; ".join(f"{s.short}, {s.identifiers}" if s.identifiers else s.short for s in statement.sources)
    parts = [_md(statement.text)]
    if figures:
        parts.append(f"Figures: {_md('; '.join(figures))}.")
    kind = "Certainty" if statement.certainty.is_grade else "Basis"
    parts.append(f"*{kind}: {statement.certainty.label}.* Sources: {_md(sources)}.")
    return "- " + " ".join(parts)


def _link(label: str, url: str) -> dict:
    return {"label": label, "url": url, "type": "absolute"}


def _short(text: str) -> str:
    """Under the summary limit, cut at a word boundary with an ellipsis when needed."""
    if len(text) < SUMMARY_LIMIT:
        return text
    cut = text[: SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


def _md(text: str) -> str:
    """Plain text made safe to drop into Markdown (no accidental emphasis, code or links)."""
    for char in "\\`*_[]<>":
        text = text.replace(char, f"\\{char}")
    return text

