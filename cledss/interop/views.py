"""The FHIR export view; the CDS Hooks views live in ``cds_hooks``."""

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from cledss.clinical.assess import LABEL
from cledss.evidence.snapshot import published_snapshot

from .api import LABEL_HEADER
from .fhir import evidence_bundle

FHIR_JSON = "application/fhir+json"


@require_safe
def fhir_evidence_bundle(request: HttpRequest) -> HttpResponse:
    snapshot = published_snapshot()
    if request.headers.get("If-None-Match") == _etag(snapshot.version):
        response = HttpResponse(status=304)
    else:
        body = json.dumps(evidence_bundle(snapshot), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type=f"{FHIR_JSON}; charset=utf-8")
    response["ETag"] = _etag(snapshot.version)
    response[LABEL_HEADER] = LABEL
    return response


def _etag(version: str) -> str:
    return f'"{version}"'
