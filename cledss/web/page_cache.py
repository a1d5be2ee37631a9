"""Result pages kept in memory, per evidence version, language and URL.

A result page is a pure function of its URL (the patient's features, and the query string its
links repeat), its language and the published evidence version, apart from the moment it was
generated. Drawing its statements, tables and pictures is nearly all of its cost, so it is
rendered once with a placeholder where that moment goes, and every request fills in its own.
A publish records a new evidence version, which changes the key: a stale page is never served.

Pages stay in each process's memory only (cledss/answer_cache.py), so the patient's features are
written nowhere. PDFs are not kept: Typst makes each afresh (cledss/web/pdf.py).
"""

from collections.abc import Callable
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from cledss import answer_cache

# What a kept page holds where its generation time goes; an HTML comment, so harmless if ever shown.
GENERATED_LATER = mark_safe("<!-- cledss: generated at -->")
# Where a page says that the database could not be reached and since when its evidence is unconfirmed.
OUTAGE_LATER = mark_safe("<!-- cledss: outage note -->")


def generated(moment: datetime) -> SafeString:
    """When a summary was made, for people and for machines."""
    return format_html('<time datetime="{}">{}</time>', dateformat.format(moment, "c"), dateformat.format(moment, "Y-m-d H:i T"))


def outage_note(confirmed: datetime | None) -> str:
    """Nothing while the database answers; else when the evidence shown was last confirmed as published."""
    if confirmed is None:
        return ""
    return render_to_string("includes/outage_note.html", {"confirmed": generated(timezone.localtime(confirmed))})


def kept_page(
    request: HttpRequest, version: str, render: Callable[[], HttpResponse], confirmed: datetime | None = None
) -> HttpResponse:
    """The page for this URL and evidence version: kept if ``render`` made it before, else rendered and kept.

    ``render`` draws the page with GENERATED_LATER for its time and OUTAGE_LATER for the note of a database
    outage (``confirmed``: when the evidence was last confirmed, during one); only a 200 answer is kept.
    """
    key = ("page", version, get_language(), request.get_full_path())
    page = answer_cache.recall(key)
    if page is None:
        response = render()
        if response.status_code != 200:
            return response
        page = answer_cache.keep(key, response.content.decode())
    page = page.replace(GENERATED_LATER, generated(timezone.localtime())).replace(OUTAGE_LATER, outage_note(confirmed))
    return HttpResponse(page)
