"""The FHIR export view; the CDS Hooks views live in ``cds_hooks.views``."""

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from cledss.evidence.snapshot import published_snapshot

from .fhir import evidence_bundle, version_id
from .label import LABEL, LABEL_HEADER

FHIR_JSON = "application/fhir+json"


@csrf_exempt  # it changes nothing: a POST is told the methods that work (405), not refused for CSRF
@require_safe
def fhir_evidence_bundle(request: HttpRequest) -> HttpResponse:
    snapshot = published_snapshot()
    etag = f'"{version_id(snapshot)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        body = json.dumps(evidence_bundle(snapshot), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type=f"{FHIR_JSON}; charset=utf-8")
    response["ETag"] = etag
    response[LABEL_HEADER] = LABEL
    return response
