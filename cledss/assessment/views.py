from functools import wraps

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from cledss.clinical.assess import assess
from cledss.clinical.evidence import EvidenceSnapshot
from cledss.evidence.snapshot import published_snapshot

from . import language, pdf
from .forms import AssessmentForm
from .pages import GENERATED_LATER, generated, kept_page


def read_only(view):
    """Allow GET and HEAD only, answering anything else with a readable 405 page.

    CSRF checks are waived because these views never change anything; without the waiver a
    stray POST would get the CSRF failure page instead of being told which methods work.
    """

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            response = render(request, "405.html", status=405)
            response["Allow"] = "GET, HEAD"
            return response
        return view(request, *args, **kwargs)

    return wrapper


def _summary_context(request: HttpRequest, snapshot: EvidenceSnapshot) -> tuple[AssessmentForm, dict | None]:
    """Read the patient's features from the query string and assess them; no context if they are invalid."""
    form = AssessmentForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, {"assessment": assess(form.features(), snapshot)}


# The form and result pages carry no secret (no CSRF token, no session data), so compressing them
# cannot leak one (BREACH); the admin, which does, is left uncompressed.
@read_only
@gzip_page
def start(request: HttpRequest) -> HttpResponse:
    """The form; a browser that prefers Spanish (and has not chosen English) is sent to the Spanish one."""
    preferred = language.preferred_language(request)
    if get_language() == settings.LANGUAGE_CODE and preferred != settings.LANGUAGE_CODE:
        response = redirect(translate_url(request.get_full_path(), preferred))
    else:
        response = render(request, "assessment/form.html", {"form": AssessmentForm()})
    # The same URL answers differently by header and cookie, so no shared cache may mix them up.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The language switcher: remember the choice, then show the page in that language."""
    if code not in language.LANGUAGE_CODES:
        raise Http404
    return language.chosen(request, code, request.GET.get("next", ""))


@read_only
@gzip_page
def result(request: HttpRequest) -> HttpResponse:
    snapshot = published_snapshot(get_language())

    def page() -> HttpResponse:
        form, context = _summary_context(request, snapshot)
        if context is None:
            return render(request, "assessment/form.html", {"form": form}, status=400)
        return render(request, "assessment/result.html", {**context, "generated": GENERATED_LATER})

    return kept_page(request, snapshot.version, page)


@read_only
def result_pdf(request: HttpRequest) -> HttpResponse:
    form, context = _summary_context(request, published_snapshot(get_language()))
    paper = request.GET.get("paper", pdf.DEFAULT_PAPER)
    if context is None or paper not in pdf.PAPER_SIZES:
        return render(request, "assessment/form.html", {"form": form}, status=400)
    now = timezone.localtime()
    document = pdf.render_summary(request, {**context, "generated": generated(now)}, paper=paper)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(now)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
