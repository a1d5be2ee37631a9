"""The CDS Hooks 2.0 endpoints: discovery, the three services and their feedback.

HTTP only: each call is authenticated (``trust``), its JSON checked, then handed to the reader
(``fhir_reading``), the table that decides which cards go out (``rules``) and the card builder
(``cards``). cledss never queries the EHR's FHIR server: whatever the request does not carry in
``prefetch`` is unknown. Nothing about the patient is stored or logged; only card feedback (card
uuid, outcome, coded reason) is kept, and a reason of cledss's own only if that card offered it.
"""

import json
import uuid
from collections.abc import Callable
from functools import partial, wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from cledss.evidence.snapshot import published_snapshot

from ..fhir_reading import ORDER_HOOKS, ordered_daily_dose, read_patient, thalidomide_ordered
from ..label import LABEL, LABEL_HEADER
from ..models import CardFeedback
from . import card_ids
from .cards import Links, cards
from .rules import KINDS, OVERRIDE_REASONS_SYSTEM, Record, decide, reasons_offered
from .services import PREFETCH, SERVICES, Service
from .trust import authenticated, endpoint_audiences

UNKNOWN_SERVICE = "No CDS service has this id; GET /cds-services lists them."
NOT_OFFERED = "overrideReason.reason.code is not one of the override reasons this card offered."
# A real request nests about a dozen levels (prefetch, Bundle, entry, resource, CodeableConcept, coding);
# anything deeper than this is refused before any code walks it.
MAX_DEPTH = 64
TOO_DEEP = f"The request body nests deeper than {MAX_DEPTH} levels."
# An EHR sends feedback on the cards of one hook call at a time, a handful; more is a flood to refuse.
MAX_FEEDBACK_ENTRIES = 100
TOO_MUCH_FEEDBACK = f"Send at most {MAX_FEEDBACK_ENTRIES} feedback entries in one call."


def machine_endpoint(*methods: str, audiences: Callable[..., list[str]] = lambda request, **_: []) -> Callable:
    """A CSRF-exempt JSON endpoint for EHRs: CORS for browser-based clients, JSON 405s, and every call
    (the CORS preflight aside, which carries no credentials) refused with a bare 401 unless its JWT is trusted.
    No answer, refusals included, may be kept by a cache: the cards and their feedback describe a patient."""

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
            elif not authenticated(request, endpoint_audiences(request.path, *audiences(request, **kwargs))):
                # Which check failed stays on the server: the answer would help whoever forges tokens.
                response = JsonResponse({"label": LABEL, "error": "unauthorized"}, status=401)
                response["WWW-Authenticate"] = 'Bearer realm="cledss CDS Hooks"'
            else:
                response = view(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            response["Cache-Control"] = "no-store"
            response[LABEL_HEADER] = LABEL
            return response

        return wrapper

    return decorate


def _service_path(request: HttpRequest, service_id: str) -> list[str]:
    """Feedback belongs to its service, so a token for the service's endpoint is accepted there too."""
    return [reverse("cds-service", args=[service_id])] if service_id in SERVICES else []


@machine_endpoint("GET")
def discovery(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"services": [s.discovery() for s in SERVICES.values()]})


@machine_endpoint("POST")
def service(request: HttpRequest, service_id: str) -> HttpResponse:
    hook_service = SERVICES.get(service_id)
    if hook_service is None:
        return _error("unknown_service", UNKNOWN_SERVICE, 404)
    body, problem = _json_body(request)
    if problem:
        return problem
    problem = _request_problem(body, hook_service)
    if problem:
        return _error("invalid_request", problem, 400)
    hook, context = hook_service.hook, body["context"]
    prefetch = body.get("prefetch") or {}
    unread = tuple(key for key in PREFETCH if _unread(prefetch, key))
    if missing := [key for key in hook_service.required if key in unread]:
        # The specification's answer when required data was neither prefetched nor fetchable: cledss never
        # calls the EHR's FHIR server, so without these it cannot tell whether the patient has CLE.
        return _error("precondition_failed", f"This service needs the prefetched {', '.join(missing)}.", 412)
    reading = read_patient(prefetch, today=timezone.localdate())
    ordering = hook in ORDER_HOOKS
    record = Record.of(hook, reading, ordered=ordering and thalidomide_ordered(context, hook),
                       conditions_sent="conditions" not in unread)
    plan = decide(record)
    if not plan:
        return JsonResponse({"cards": []})
    order = ordered_daily_dose(context, hook) if ordering else None
    links = Links(form=request.build_absolute_uri(reverse("web:start")))
    issue = partial(card_ids.issue, secret=settings.SECRET_KEY)
    answer = cards(plan, reading, published_snapshot(), links, issue=issue, order=order, unread=unread)
    return JsonResponse({"cards": answer})


@machine_endpoint("POST", audiences=_service_path)
def feedback(request: HttpRequest, service_id: str) -> HttpResponse:
    if service_id not in SERVICES:
        return _error("unknown_service", UNKNOWN_SERVICE, 404)
    body, problem = _json_body(request)
    if problem:
        return problem
    items = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        return _error("invalid_feedback", "Send {\"feedback\": [{\"card\": uuid, \"outcome\": ...}, ...]}.", 400)
    if len(items) > MAX_FEEDBACK_ENTRIES:
        return _error("too_much_feedback", TOO_MUCH_FEEDBACK, 413)
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
        body = json.loads(request.body)
    except RequestDataTooBig:
        return None, _error("too_large", "The request body is too large.", 413)
    except (ValueError, UnicodeDecodeError):
        return None, _error("malformed_json", "The request body is not valid JSON.", 400)
    except RecursionError:  # nested deeper than the parser's own recursion allows (about a thousand levels)
        return None, _error("too_deep", TOO_DEEP, 400)
    if _deeper_than(body, MAX_DEPTH):
        return None, _error("too_deep", TOO_DEEP, 400)
    return body, None


def _deeper_than(value, limit: int) -> bool:
    """Whether JSON ``value`` nests more than ``limit`` arrays and objects. Walked a level at a time, not
    recursively, so the check cannot itself run out of stack; a wide body costs one pass over its nodes."""
    level = [value] if isinstance(value, (dict, list)) else []
    for _ in range(limit):
        level = [c for v in level for c in (v.values() if isinstance(v, dict) else v) if isinstance(c, (dict, list))]
        if not level:
            return False
    return True


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
    if hook_service.hook == "order-sign" and not isinstance(context.get("draftOrders"), dict):
        return "order-sign needs context.draftOrders (a Bundle)."
    if body.get("prefetch") is not None and not isinstance(body["prefetch"], dict):
        return "prefetch must be an object."
    return ""


def _unread(prefetch: dict, key: str) -> bool:
    """A prefetch key the EHR left out, or whose query failed (an OperationOutcome in its place).

    ``null`` is not unread: the specification uses it for "the record has no such data"."""
    if key not in prefetch:
        return True
    value = prefetch[key]
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def _feedback_row(item, service_id: str) -> CardFeedback | str:
    if not isinstance(item, dict):
        return "Each feedback entry must be an object."
    card = _uuid(item.get("card"))
    if card is None:
        return "card must be the uuid of a card."
    outcome = item.get("outcome")
    if outcome not in CardFeedback.Outcome.values:
        return "outcome must be accepted or overridden."
    reason = _override_reason(item.get("overrideReason"), card)
    if isinstance(reason, str):
        return reason
    system, code = reason
    return CardFeedback(card=card, service=service_id, outcome=outcome, override_reason=code, override_system=system)


def _uuid(value) -> uuid.UUID | None:
    """A uuid written as a string; not a number, which str() would have turned into one."""
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _reasons_offered(card: uuid.UUID) -> frozenset[str]:
    """The codes of the override reasons this card offered, read from its uuid; none if cledss did not issue it."""
    keys = (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    return reasons_offered(card_ids.kind_of(card, KINDS, keys))


def _override_reason(reason, card: uuid.UUID) -> tuple[str, str] | str:
    """The (system, code) of the chosen override reason, or why it cannot be kept: a reason of cledss's own must be
    one the card offered (an EHR may add reasons of its own, kept as they come). Its free-text ``userComment``
    is never kept, as it could name someone."""
    coding = reason.get("reason") if isinstance(reason, dict) else None
    if coding is None:
        return "", ""  # no reason, or a comment alone: nothing coded to keep
    system, code = (coding.get("system"), coding.get("code")) if isinstance(coding, dict) else (None, None)
    # Printable only: JSON may carry a lone surrogate ("\ud800"), which no database encoding can
    # store, or a NUL, which PostgreSQL refuses; either was a 500 before the fuzzing tests found it.
    if not all(isinstance(v, str) and 0 < len(v) <= limit and v.isprintable() for v, limit in ((system, 200), (code, 64))):
        return "overrideReason.reason must be a Coding with a short system and code."
    if system == OVERRIDE_REASONS_SYSTEM and code not in _reasons_offered(card):
        return NOT_OFFERED
    return system, code
