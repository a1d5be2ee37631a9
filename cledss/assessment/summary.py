"""The body of an evidence summary, rendered once per evidence version, language and set of features.

Drawing the statements, tables and pictures is nearly all of a result page's cost, and what
they say is a pure function of the patient's features, the published evidence version and the
language. So the body is rendered once and kept; the page around it (its generation time, the
links that carry the query string) is rendered for every request. A publish records a new
evidence version, which changes the key, so a stale body is never served.

The cache lives in each process's memory only (settings.CACHES["summaries"]) and its key is a
hash: the patient's features are never written anywhere.
"""

import hashlib
from dataclasses import astuple

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from cledss.clinical.assess import assess
from cledss.clinical.evidence import EvidenceSnapshot
from cledss.clinical.features import PatientFeatures
from cledss.evidence.snapshot import published_snapshot

CACHE = "summaries"


def summary_body(features: PatientFeatures, *, language: str, pdf: bool = False) -> tuple[SafeString, str]:
    """The summary's HTML body and the evidence version it was built from."""
    snapshot = published_snapshot(language)
    if pdf:  # WeasyPrint's time dwarfs the body's, so a PDF's body is not worth the memory
        return _render(features, snapshot, pdf=True), snapshot.version
    cache = caches[CACHE]
    key = _key(snapshot.version, language, features)
    html = cache.get(key)
    if html is None:
        html = _render(features, snapshot, pdf=False)
        cache.set(key, html)
    return mark_safe(html), snapshot.version


def _render(features: PatientFeatures, snapshot: EvidenceSnapshot, *, pdf: bool) -> SafeString:
    return render_to_string("assessment/includes/summary.html", {"assessment": assess(features, snapshot), "pdf": pdf})


def _key(version: str, language: str, features: PatientFeatures) -> str:
    canonical = repr((version, language, astuple(features)))
    return "summary:" + hashlib.sha256(canonical.encode()).hexdigest()
