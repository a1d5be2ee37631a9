from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.gzip import gzip_page

from cledss.clinical.assess import assess
from cledss.clinical.evidence import EvidenceSnapshot
from cledss.clinical.handout import handout as handout_for
from cledss.evidence.snapshot import published_snapshot

from . import pdf
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
    return render(request, "assessment/form.html", {"form": AssessmentForm.prefilled(request.GET)})


@read_only
@gzip_page
def result(request: HttpRequest) -> HttpResponse:
    return _page(request, "assessment/result.html", lambda assessment: {"assessment": assessment})


@read_only
def result_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "assessment/result.html", "summary", lambda assessment: {"assessment": assessment})


def _handout(assessment) -> dict:
    return {"handout": handout_for(assessment)}


@read_only
@gzip_page
def handout(request: HttpRequest) -> HttpResponse:
    """The plain-language handout for the patient, from the same assessment as the result page."""
    return _page(request, "assessment/handout.html", _handout)


@read_only
def handout_pdf(request: HttpRequest) -> HttpResponse:
    return _pdf(request, "assessment/handout.html", "handout", _handout)


def _page(request: HttpRequest, template: str, context_of) -> HttpResponse:
    snapshot = published_snapshot(get_language())

    def page() -> HttpResponse:
        form, context = _summary_context(request, snapshot)
        if context is None:
            return render(request, "assessment/form.html", {"form": form}, status=400)
        return render(request, template, {**context_of(context["assessment"]), "generated": GENERATED_LATER})

    return kept_page(request, snapshot.version, page)


def _pdf(request: HttpRequest, template: str, kind: str, context_of) -> HttpResponse:
    form, context = _summary_context(request, published_snapshot(get_language()))
    paper = request.GET.get("paper", pdf.DEFAULT_PAPER)
    if context is None or paper not in pdf.PAPER_SIZES:
        return render(request, "assessment/form.html", {"form": form}, status=400)
    now = timezone.localtime()
    page = {**context_of(context["assessment"]), "generated": generated(now)}
    document = pdf.render_summary(request, page, paper=paper, template=template)
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(now, kind)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
