"""What a reader gets when cledss cannot answer: a database it cannot reach (503) or a fault of its own (500).

Either answer carries the label and says what happened: a page for a person, JSON for a machine. Neither
reads the database or runs the context processors (either may be what failed): each page is drawn from
its template with the label alone. A 503 says when to try again (``Retry-After``), as a load balancer
and an EHR expect; docs/deployment.md says what keeps being served during an outage.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from cledss.clinical.assess import LABEL as LABEL_PHRASE
from cledss.interop.label import LABEL, LABEL_HEADER

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait: a database restart takes a few, a failover tens.
RETRY_AFTER = 30
# Where cledss answers programs, whatever their Accept header says.
MACHINE_PATHS = ("/api/", "/cds-services", "/fhir/", "/health/")


def wants_json(request: HttpRequest) -> bool:
    if request.path.startswith(MACHINE_PATHS) or request.path.endswith(".json"):
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _answer(request: HttpRequest, status: int, error: str, message: str, template: str) -> HttpResponse:
    if wants_json(request):
        response = JsonResponse({"label": LABEL, "error": error, "message": message}, status=status)
    else:
        page = render_to_string(template, {"informational_label": LABEL_PHRASE, "retry_after": RETRY_AFTER})
        response = HttpResponse(page, status=status)
    response[LABEL_HEADER] = LABEL
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response = _answer(
        request, 503, "unavailable", "The evidence database cannot be reached just now; try again shortly.", "503.html"
    )
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseOutageMiddleware:
    """A view that could not reach the database answers 503, not 500: the fault is the database's and passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        # The path only: the query string carries the patient's features.
        logger.warning("database unreachable while answering %s: %s", request.path, exception)
        return database_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's handler500: the fault is logged by Django; the reader gets the label and an apology."""
    return _answer(request, 500, "server_error", "cledss could not answer this request; the fault has been logged.", "500.html")
